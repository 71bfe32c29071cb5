import {
  BOUNDARY_DIMENSIONS,
  BOUNDARY_DIMENSION_LABELS,
  type BoundaryDimension,
  type BoundarySide,
  type InitiativeModel,
  type Position,
} from '../../../machines/entities.ts';
import { regionNode, type Rect } from '../../canvas/Region.tsx';
import type { BoardNode, Positions } from '../../canvas/types.ts';
import { BOUNDARY_SIDE_LABELS } from '../../canvas/labels.ts';

/** The boundary: one large region for what is inside the effort, one beside it for what is left outside. */
export const REGIONS: Record<BoundarySide, Rect> = {
  inside: { x: 0, y: 0, width: 1000, height: 840 },
  outside: { x: 1080, y: 0, width: 740, height: 840 },
};
const HEADER = 60;
const LANE = (REGIONS.inside.height - HEADER) / BOUNDARY_DIMENSIONS.length;
/** A boundary card's size until measured (220 wide, 115–170 tall with its rationale). */
const CARD = { width: 220, height: 150 };

function lane(side: BoundarySide, index: number): Rect {
  const r = REGIONS[side];
  return { x: r.x + 16, y: r.y + HEADER + index * LANE, width: r.width - 32, height: LANE - 12 };
}

export function backdrop(): BoardNode[] {
  const nodes: BoardNode[] = [];
  for (const side of ['inside', 'outside'] as const) {
    nodes.push(regionNode(side, BOUNDARY_SIDE_LABELS[side], REGIONS[side], side === 'inside' ? 'inside' : 'outside'));
    BOUNDARY_DIMENSIONS.forEach((d, i) => nodes.push(regionNode(`${side}-${d}`, BOUNDARY_DIMENSION_LABELS[d], lane(side, i), 'lane')));
  }
  return nodes;
}

const within = (p: Position, r: Rect) => p.x >= r.x && p.x <= r.x + r.width && p.y >= r.y && p.y <= r.y + r.height;

type Size = { width: number; height: number };
const centreOf = (position: Position, size: Size = CARD) => ({ x: position.x + size.width / 2, y: position.y + size.height / 2 });

/** Which side of the boundary a card at `position` is on (its centre decides). */
export function sideAt(position: Position, size: Size = CARD): BoundarySide {
  return within(centreOf(position, size), REGIONS.inside) ? 'inside' : 'outside';
}

/** The region a card's centre is in: inside, outside, or neither (between or beyond them). */
export function regionAt(position: Position, size: Size = CARD): BoundarySide | null {
  const centre = centreOf(position, size);
  if (within(centre, REGIONS.inside)) return 'inside';
  return within(centre, REGIONS.outside) ? 'outside' : null;
}

/**
 * The side an item takes when dropped at `to`, having been at `from`: it
 * changes only when the card's centre lands inside the other region, coming
 * from elsewhere. A nudge within a region, or a drop between the regions,
 * changes nothing. Answers null when the side stays.
 */
export function crossing(side: BoundarySide, from: Position | undefined, to: Position, size: Size): BoundarySide | null {
  const landed = regionAt(to, size);
  if (!landed || landed === side) return null;
  return from && regionAt(from, size) === landed ? null : landed;
}

/** Which dimension's lane a card at `position` is in, if any. */
export function dimensionAt(position: Position, size: Size = CARD): BoundaryDimension | null {
  const centre = centreOf(position, size);
  const side = sideAt(position, size);
  const index = BOUNDARY_DIMENSIONS.findIndex((_, i) => within(centre, lane(side, i)));
  return index >= 0 ? BOUNDARY_DIMENSIONS[index] : null;
}

/** Items grouped in their side's lane for their dimension, in rows. */
export function groupedPositions(model: InitiativeModel): Positions {
  const positions: Positions = {};
  const counts = new Map<string, number>();
  for (const item of model.entities.boundary) {
    const key = `${item.side}:${item.dimension}`;
    const k = counts.get(key) ?? 0;
    counts.set(key, k + 1);
    const l = lane(item.side, BOUNDARY_DIMENSIONS.indexOf(item.dimension));
    const perRow = Math.max(1, Math.floor((l.width - 24) / (CARD.width + 16)));
    positions[item.id] = {
      x: l.x + 24 + (k % perRow) * (CARD.width + 16),
      y: l.y + 36 + Math.floor(k / perRow) * (CARD.height + 16),
    };
  }
  return positions;
}
