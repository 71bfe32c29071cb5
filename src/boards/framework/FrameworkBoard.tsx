import { createEntity, toggleRef, updateEntity, findEntity } from '../../schema/index.ts';
import type { EntityKind } from '../../../machines/entities.ts';
import { BoardCanvas } from '../../canvas/BoardCanvas.tsx';
import { RegionNode } from '../../canvas/Region.tsx';
import { withNotes } from '../Note.tsx';
import { BoardMeasuresProvider } from '../../measures/charts/boardMeasures.tsx';
import type { BoardDefinition, BoardProps, Creator } from '../../canvas/types.ts';
import { frameworkElements } from './elements.ts';
import { Measurements } from './Measurements.tsx';
import { ServesPanel } from './Serves.tsx';
import { frameworkNodeTypes } from './nodes.tsx';
import { roadmap } from './roadmap.ts';
import { VersionsButton } from './versions/VersionsPanel.tsx';

const place = (position: { x: number; y: number }) => [{ board: 'framework' as const, position }];

function creator(kind: EntityKind, label: string, fields: Record<string, unknown>, key?: string): Creator {
  return { kind, label, key, create: (doc, position) => createEntity(doc, kind, fields, place(position)) };
}

const MINIMAP: Record<string, string> = {
  problem: '#b42318',
  goal: '#1a7f45',
  strategy: '#1f5fbf',
  activity: '#60a5fa',
  indicator: '#7e22ce',
};

const definition: BoardDefinition = withNotes({
  board: 'framework',
  nodeTypes: { ...frameworkNodeTypes, region: RegionNode },
  toElements: frameworkElements,
  creators: [
    creator('strategy', 'Add strategy', { name: 'New strategy' }, 'n'),
    {
      kind: 'activity',
      label: 'Add activity',
      key: 'a',
      // Added with a strategy selected, the activity is part of that strategy.
      create: (doc, position, model, selected) => {
        const strategyId = model.entities.strategy.find((s) => selected.includes(s.id))?.id ?? null;
        return createEntity(doc, 'activity', { name: 'New activity', strategyId }, place(position));
      },
    },
    creator('indicator', 'Add indicator', { name: 'New indicator' }, 'i'),
    creator('principle', 'Add principle', { statement: 'New principle' }, 'p'),
    creator('source', 'Add research source', { title: 'New research source' }, 'r'),
    creator('baseline', 'Add baseline data', { statement: 'New baseline data' }, 'b'),
  ],
  connect: (doc, model, source, target) => {
    const a = findEntity(model, source);
    const b = findEntity(model, target);
    if (!a || !b) return;
    const [strategy, other] = a.kind === 'strategy' ? [a, b] : b.kind === 'strategy' ? [b, a] : [null, null];
    if (!strategy || !other) return;
    if (other.kind === 'indicator') toggleRef(doc, strategy.id, 'indicatorIds', other.id, true);
    if (other.kind === 'activity') updateEntity(doc, other.id, { strategyId: strategy.id });
  },
  /** Tidy layout is the roadmap again, spaced by the cards' real heights. */
  layout: (model, { nodes }) => roadmap(model, new Map(nodes.map((n) => [n.id, n.measured?.height ?? 0]))).positions,
  panelExtras: { indicator: Measurements, strategy: ServesPanel },
  // Chosen among the parent's strategies in the panel's own section (./Serves.tsx), never typed.
  hiddenFields: { strategy: ['servesId'] },
  emptyText: { editor: '', observer: '' },
  minimapColor: (node) => MINIMAP[node.type ?? ''] ?? '#94a3b8',
});

/** The strategic action framework on one page: problem, goal, strategies, principles, evaluation, and the shared indicators. */
export default function FrameworkBoard(props: BoardProps) {
  return (
    // The cards' measures, fetched once for the whole board.
    <BoardMeasuresProvider initiativeId={props.initiativeId}>
      <BoardCanvas
        {...props}
        definition={definition}
        tools={<VersionsButton initiativeId={props.initiativeId} doc={props.doc} role={props.role} />}
        footer={
          <p className="board-footer__note">
            Link a strategy to its indicators and activities by dragging from one card’s dot to another’s. The framework
            is a working hypothesis: revise it as the group learns.
          </p>
        }
      />
    </BoardMeasuresProvider>
  );
}
