/**
 * Where a new card goes so that it hides no other: pure geometry, no React.
 * The search walks outward from the wanted point, ring by ring on a grid of
 * half a card, and answers the nearest spot where a card of the given size,
 * with a margin all round, overlaps no card already on the board.
 */
import type { Position } from '../../machines/entities.ts';

export interface Size {
  width: number;
  height: number;
}

export interface Box extends Position, Size {}

/** Space kept clear between a new card and its neighbours, in flow pixels. */
export const CARD_MARGIN = 24;
/** How far the search goes (in rings of half a card) before settling for the wanted point. */
const MAX_RINGS = 60;

/** True when two boxes share any area once `margin` is added round `a`. */
export function overlaps(a: Box, b: Box, margin = 0): boolean {
  return (
    a.x - margin < b.x + b.width &&
    b.x < a.x + a.width + margin &&
    a.y - margin < b.y + b.height &&
    b.y < a.y + a.height + margin
  );
}

/** The offsets of ring `r` (a square of side 2r + 1 on the grid), nearest to the middle first. */
function ring(r: number): [number, number][] {
  if (r === 0) return [[0, 0]];
  const cells: [number, number][] = [];
  for (let i = -r; i <= r; i++) {
    cells.push([i, -r], [i, r]);
    if (i !== -r && i !== r) cells.push([-r, i], [r, i]);
  }
  return cells.sort((a, b) => Math.hypot(a[0], a[1]) - Math.hypot(b[0], b[1]) || a[1] - b[1] || a[0] - b[0]);
}

/**
 * The top-left corner of a free spot for a card of `size` whose centre is as
 * near `centre` as the cards in `occupied` allow, `margin` apart from each.
 * When nothing is free within reach, answers the spot centred on `centre`.
 */
export function freeSpot(centre: Position, size: Size, occupied: readonly Box[], margin = CARD_MARGIN): Position {
  const origin = { x: centre.x - size.width / 2, y: centre.y - size.height / 2 };
  const step = { x: (size.width + margin) / 2, y: (size.height + margin) / 2 };
  for (let r = 0; r <= MAX_RINGS; r++) {
    for (const [i, j] of ring(r)) {
      const spot = { x: Math.round(origin.x + i * step.x), y: Math.round(origin.y + j * step.y) };
      const box = { ...spot, ...size };
      if (!occupied.some((other) => overlaps(box, other, margin))) return spot;
    }
  }
  return { x: Math.round(origin.x), y: Math.round(origin.y) };
}
