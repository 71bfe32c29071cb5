import './boards.css';
import { memo, useEffect, useRef, useState, type ComponentType, type FocusEvent, type KeyboardEvent } from 'react';
import type { NodeProps, NodeTypes } from '@xyflow/react';
import { DropdownMenu } from 'radix-ui';
import {
  BOARDS,
  ENTITY_KIND_LABELS,
  type Board,
  type EntityKind,
  type InitiativeModel,
  type NoteColour,
} from '../../machines/entities.ts';
import { convertNote, createEntity, NOTE_TARGETS } from '../schema/index.ts';
import { CollaborativeText, PeerSelectionOutline, useUndo, type PeerMark } from '../canvas/kit.ts';
import { useBoardDoc } from '../canvas/boardDoc.ts';
import type { BoardDefinition, BoardNode, Creator, PanelExtraProps } from '../canvas/types.ts';
import { cardNode } from './common.ts';

/** The paper of each note colour (boards.css draws the same), for the minimap. */
const NOTE_PAPER: Record<NoteColour, string> = {
  yellow: '#fde68a',
  pink: '#fbcfe8',
  blue: '#bfdbfe',
  green: '#bbf7d0',
  orange: '#fed7aa',
  purple: '#ddd6fe',
};

/**
 * A sticky note: its words as written (line breaks kept, never read as HTML),
 * on paper of its colour, under its group and with who wrote it when those are said. Editors write
 * on it in place with a double-click (Escape or leaving the field ends it),
 * typing together like in the details. No handles: a note is not linked until
 * it is turned into a card.
 */
function NoteView({ data, selected }: NodeProps<BoardNode>) {
  const board = useBoardDoc();
  const [editing, setEditing] = useState(false);
  const editor = useRef<HTMLDivElement>(null);
  const text = String(data.text ?? '');
  const author = String(data.author ?? '');
  const group = String(data.group ?? '');
  const canEdit = !!board?.editable;
  useEffect(() => {
    if (editing) editor.current?.querySelector('textarea')?.focus();
  }, [editing]);
  const stop = (event: KeyboardEvent) => {
    if (event.key === 'Escape') setEditing(false);
  };
  const leave = (event: FocusEvent) => {
    if (!editor.current?.contains(event.relatedTarget as Node | null)) setEditing(false);
  };
  return (
    <div
      className={`sticky-note sticky-note--${String(data.colour)}${selected ? ' is-selected' : ''}`}
      onDoubleClick={
        canEdit
          ? (event) => {
              // Writing on this note, not adding a card where the board was double-clicked.
              event.stopPropagation();
              setEditing(true);
            }
          : undefined
      }
      title={canEdit && !editing ? 'Double-click to write on the note' : undefined}
    >
      <PeerSelectionOutline mark={data.peer as PeerMark | undefined} />
      {group && <p className="sticky-note__group">{group}</p>}
      {editing && board ? (
        <div ref={editor} className="sticky-note__editor nodrag nopan nowheel" onKeyDown={stop} onBlur={leave}>
          <CollaborativeText doc={board.doc} entityId={data.entityId} field="text" label="Words on the note" multiline rows={4} maxLength={500} />
        </div>
      ) : text.trim() ? (
        <p className="sticky-note__text">{text}</p>
      ) : (
        <p className="sticky-note__text sticky-note__text--empty">Empty note</p>
      )}
      {author && <p className="sticky-note__author">{author}</p>}
    </div>
  );
}

export const NoteNode = memo(NoteView);

/** The notes placed on `board`, as cards of type `note`. */
function noteNodes(model: InitiativeModel, board: Board): BoardNode[] {
  const placed = model.placements[board];
  return model.entities.note
    .filter((note) => placed[note.id])
    .map((note) =>
      cardNode(note, 'note', placed[note.id], {
        text: note.text,
        colour: note.colour,
        author: note.author,
        group: note.group,
      }),
    );
}

function noteCreator(board: Board): Creator {
  return {
    kind: 'note',
    label: 'Add sticky note',
    key: 't',
    // Added empty, its text field focused: written at once, like a paper note.
    create: (doc, position) => createEntity(doc, 'note', {}, [{ board, position }]),
  };
}

/** "Turn into…" in a note's details: the kinds its board offers (NOTE_TARGETS), for editors only. */
function TurnInto({ doc, entityId, editable, board }: PanelExtraProps & { board: Board }) {
  const [error, setError] = useState<string | null>(null);
  const ref = useRef<HTMLDivElement>(null);
  const { stopCapturing } = useUndo(doc);
  if (!editable) return null;
  const turn = (kind: EntityKind) => {
    // The card keeps the note's id, so this panel stays and shows the card: its first field takes the focus.
    const panel = ref.current?.closest('[data-entity-panel]');
    try {
      // One undo step of its own, never merged with the typing just before or after.
      stopCapturing();
      convertNote(doc, entityId, kind, board);
      stopCapturing();
      setError(null);
      requestAnimationFrame(() => panel?.querySelector<HTMLElement>('input, textarea, select')?.focus());
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  };
  return (
    <div className="turn-into" ref={ref}>
      <DropdownMenu.Root>
        <DropdownMenu.Trigger asChild>
          <button type="button" className="button button--small">
            Turn into…
          </button>
        </DropdownMenu.Trigger>
        <DropdownMenu.Portal>
          <DropdownMenu.Content className="menu" sideOffset={4} align="start">
            {NOTE_TARGETS[board].map((kind) => (
              <DropdownMenu.Item key={kind} className="menu__item" onSelect={() => turn(kind)}>
                {ENTITY_KIND_LABELS[kind]}
              </DropdownMenu.Item>
            ))}
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
      <p className="turn-into__hint">It becomes a card of that kind in the same place, keeping its words.</p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** One "Turn into…" section per board, made once, so the panel's component stays the same between renders. */
const TURN_INTO = Object.fromEntries(
  BOARDS.map((board) => {
    const Section = (props: PanelExtraProps) => <TurnInto {...props} board={board} />;
    Section.displayName = `TurnInto(${board})`;
    return [board, Section];
  }),
) as Record<Board, ComponentType<PanelExtraProps>>;

/** Node types with the note's added, made once per board's own (React Flow wants them stable). */
const withNoteType = new WeakMap<NodeTypes, NodeTypes>();

/**
 * A board with sticky notes: its note cards, "Add sticky note" (T) last in its
 * toolbar, and "Turn into…" in a note's details. Every board takes notes.
 */
export function withNotes(definition: BoardDefinition): BoardDefinition {
  const { board } = definition;
  let nodeTypes = withNoteType.get(definition.nodeTypes);
  if (!nodeTypes) {
    nodeTypes = { ...definition.nodeTypes, note: NoteNode };
    withNoteType.set(definition.nodeTypes, nodeTypes);
  }
  return {
    ...definition,
    nodeTypes,
    toElements: (model) => {
      const elements = definition.toElements(model);
      return { nodes: [...elements.nodes, ...noteNodes(model, board)], edges: elements.edges };
    },
    creators: [...definition.creators, noteCreator(board)],
    panelExtras: { ...definition.panelExtras, note: TURN_INTO[board] },
    minimapColor: (node) =>
      node.type === 'note'
        ? (NOTE_PAPER[node.data.colour as NoteColour] ?? NOTE_PAPER.yellow)
        : (definition.minimapColor?.(node) ?? '#94a3b8'),
  };
}
