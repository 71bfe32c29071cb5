import { memo, useMemo, useState } from 'react';
import type { NodeProps } from '@xyflow/react';
import { BOUNDARY_DIMENSION_LABELS, type BoundaryDimension, type BoundarySide } from '../../../machines/entities.ts';
import { createEntity, placeEntity, updateEntity } from '../../schema/index.ts';
import { BoardCanvas } from '../../canvas/BoardCanvas.tsx';
import { ChangeNotice, type Change } from '../../canvas/ChangeNotice.tsx';
import { BOUNDARY_SIDE_LABELS } from '../../canvas/labels.ts';
import { RegionNode } from '../../canvas/Region.tsx';
import type { BoardDefinition, BoardNode, BoardProps } from '../../canvas/types.ts';
import { Card, truncate } from '../Card.tsx';
import { cardNode } from '../common.ts';
import { withNotes } from '../Note.tsx';
import { backdrop, crossing, dimensionAt, groupedPositions, sideAt } from './geometry.ts';
import { RationaleReview } from './RationaleReview.tsx';

/** A boundary item: what it is, its dimension, its side, and why. */
function BoundaryView({ data, selected }: NodeProps<BoardNode>) {
  const side = data.side as BoundarySide;
  return (
    <Card
      variant={`boundary card--${side}`}
      eyebrow={BOUNDARY_DIMENSION_LABELS[data.dimension as BoundaryDimension]}
      title={String(data.label)}
      selected={selected} peer={data.peer}
      handles={false}
    >
      <div className="card__line card__line--side">{BOUNDARY_SIDE_LABELS[side]}</div>
      {data.review ? <div className="card__line card__line--review">Rationale to review</div> : null}
      {data.rationale ? (
        <div className="card__note">
          <span className="visually-hidden">Rationale: </span>
          {truncate(String(data.rationale), 120)}
        </div>
      ) : null}
    </Card>
  );
}

const nodeTypes = { boundary: memo(BoundaryView), region: RegionNode };

/** The board, telling `notify` when a drop moves an item across the boundary. */
const boundariesBoard = (notify: (change: Change) => void): BoardDefinition => ({
  board: 'boundaries',
  nodeTypes,
  toElements: (model) => {
    const fallback = groupedPositions(model);
    const nodes = backdrop();
    for (const item of model.entities.boundary) {
      nodes.push(
        cardNode(item, 'boundary', model.placements.boundaries[item.id] ?? fallback[item.id], {
          label: item.label,
          dimension: item.dimension,
          side: item.side,
          rationale: item.rationale,
          review: item.rationaleNeedsReview,
        }),
      );
    }
    return { nodes, edges: [] };
  },
  creators: [
    {
      kind: 'boundary',
      label: 'Add boundary item',
      key: 'n',
      create: (doc, position) =>
        createEntity(
          doc,
          'boundary',
          { label: 'New boundary item', side: sideAt(position), dimension: dimensionAt(position) ?? 'issue' },
          [{ board: 'boundaries', position }],
        ),
    },
  ],
  // An item changes side only when dropped with its centre inside the other region (geometry.ts, crossing).
  onDrop: (doc, model, id, position, size) => {
    const item = model.entities.boundary.find((b) => b.id === id);
    const from = model.placements.boundaries[id] ?? groupedPositions(model)[id];
    placeEntity(doc, 'boundaries', id, position);
    const side = item ? crossing(item.side, from, position, size) : null;
    if (!item || !side) return;
    updateEntity(doc, id, { side, rationaleNeedsReview: true });
    notify({
      message: `‘${item.label || 'Unnamed item'}’ is now ${side} the boundary. Its rationale is flagged for review.`,
      undo: () => {
        updateEntity(doc, id, { side: item.side, rationaleNeedsReview: item.rationaleNeedsReview });
        if (from) placeEntity(doc, 'boundaries', id, from);
      },
    });
  },
  hiddenFields: { boundary: ['rationaleNeedsReview'] },
  panelExtras: { boundary: RationaleReview },
  layout: (model) => groupedPositions(model),
  emptyText: {
    editor:
      'Draw the boundaries: which issues and root causes, populations and geographies are inside the effort, and which are left outside? Drag an item across the line to move it.',
    observer: 'No boundary items yet. They appear here as the group decides what is inside the effort.',
  },
  minimapColor: (node) => (node.data.side === 'inside' ? '#1a7f45' : '#a15c00'),
});

/** Boundaries: what is inside the effort and what is left outside, by dimension. */
export default function BoundariesBoard(props: BoardProps) {
  const [change, setChange] = useState<Change | null>(null);
  const definition = useMemo(() => withNotes(boundariesBoard(setChange)), []);
  return (
    <>
      <BoardCanvas
        {...props}
        definition={definition}
        footer={
          <p className="board-footer__note">
            Boundaries are loose and change over time: drag an item into the other region to move it inside or outside;
            say why in its rationale.
          </p>
        }
      />
      <ChangeNotice change={change} onClose={() => setChange(null)} />
    </>
  );
}
