import { memo, useState, type ReactNode } from 'react';
import { DropdownMenu } from 'radix-ui';
import { api } from '../kit/api.ts';
import { saveBlob } from '../kit/download.ts';
import type { UndoControls } from './kit.ts';
import { ImportDialog } from './ImportDialog.tsx';
import type { Creator, NamedLayout } from './types.ts';

interface Props {
  boardLabel: string;
  editable: boolean;
  creators: Creator[];
  onCreate: (creator: Creator) => void;
  undo: UndoControls;
  onTidy: () => void;
  tidying: boolean;
  layouts?: NamedLayout[];
  onLayout: (layout: NamedLayout) => void;
  onFit: () => void;
  onExportImage: (format: 'png' | 'svg') => void;
  initiativeId: string;
  canExport: boolean;
  canImport: boolean;
  onHelp: () => void;
  tools?: ReactNode;
}

/** The board's tools: add, undo and redo, tidy, view, export and import, help. */
export const BoardToolbar = memo(function BoardToolbar(props: Props) {
  const { editable, creators, onCreate, undo, initiativeId } = props;
  const [exportError, setExportError] = useState<string | null>(null);
  const exportJson = () => {
    setExportError(null);
    api.exportInitiative(initiativeId).then(
      ({ blob, fileName }) => saveBlob(blob, fileName),
      (error: unknown) => setExportError(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <div className="board-toolbar" role="group" aria-label={`${props.boardLabel} tools`}>
      {editable && (
        <div className="board-toolbar__group" role="group" aria-label="Add">
          {creators.map((creator) => (
            <button
              key={creator.kind + creator.label}
              type="button"
              className="button button--small button--primary"
              onClick={() => onCreate(creator)}
              aria-keyshortcuts={creator.key?.toUpperCase()}
            >
              {creator.label}
            </button>
          ))}
        </div>
      )}
      {props.tools}
      <div className="board-toolbar__group board-toolbar__group--end">
        {editable && (
          <>
            <button type="button" className="button button--small" onClick={undo.undo} disabled={!undo.canUndo} aria-keyshortcuts="Control+Z">
              Undo
            </button>
            <button type="button" className="button button--small" onClick={undo.redo} disabled={!undo.canRedo} aria-keyshortcuts="Control+Shift+Z">
              Redo
            </button>
            <button type="button" className="button button--small" onClick={props.onTidy} disabled={props.tidying}>
              Tidy layout
            </button>
            {props.layouts?.map((layout) => (
              <button key={layout.label} type="button" className="button button--small" onClick={() => props.onLayout(layout)}>
                {layout.label}
              </button>
            ))}
          </>
        )}
        <button type="button" className="button button--small" onClick={props.onFit} aria-keyshortcuts="F">
          Fit view
        </button>
        <DropdownMenu.Root>
          <DropdownMenu.Trigger asChild>
            <button type="button" className="button button--small">
              Export
            </button>
          </DropdownMenu.Trigger>
          <DropdownMenu.Portal>
            <DropdownMenu.Content className="menu" sideOffset={4} align="end">
              <DropdownMenu.Item className="menu__item" onSelect={() => props.onExportImage('png')}>
                Export this board as PNG
              </DropdownMenu.Item>
              <DropdownMenu.Item className="menu__item" onSelect={() => props.onExportImage('svg')}>
                Export this board as SVG
              </DropdownMenu.Item>
              {props.canExport && (
                <>
                  <DropdownMenu.Separator className="menu__separator" />
                  <DropdownMenu.Item className="menu__item" onSelect={exportJson}>
                    Export the initiative as JSON
                  </DropdownMenu.Item>
                </>
              )}
            </DropdownMenu.Content>
          </DropdownMenu.Portal>
        </DropdownMenu.Root>
        {props.canImport && <ImportDialog initiativeId={initiativeId} />}
        <button type="button" className="button button--small" onClick={props.onHelp} aria-keyshortcuts="?">
          Shortcuts
        </button>
      </div>
      {exportError && (
        <p className="field-error" role="alert">
          The initiative could not be exported: {exportError}
        </p>
      )}
    </div>
  );
});
