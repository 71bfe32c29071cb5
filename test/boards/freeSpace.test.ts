import { describe, expect, it } from 'vitest';
import { CARD_MARGIN, freeSpot, overlaps, type Box } from '../../src/canvas/freeSpace.ts';

const CARD = { width: 200, height: 100 };

/** A seeded generator (mulberry32), so a failing layout can be replayed. */
function random(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('freeSpot', () => {
  it('centres the card on the wanted point when the board is empty there', () => {
    expect(freeSpot({ x: 500, y: 300 }, CARD, [])).toEqual({ x: 400, y: 250 });
    const far = { x: 2000, y: 2000, ...CARD };
    expect(freeSpot({ x: 500, y: 300 }, CARD, [far])).toEqual({ x: 400, y: 250 });
  });

  it('moves off a card that sits on the wanted point, to the nearest free spot, with the margin kept', () => {
    const there = { x: 400, y: 250, ...CARD };
    const spot = freeSpot({ x: 500, y: 300 }, CARD, [there]);
    const box = { ...spot, ...CARD };
    expect(overlaps(box, there, CARD_MARGIN - 1)).toBe(false);
    // Nearest: one step of half a card plus margin away on some axis, not somewhere far.
    const distance = Math.hypot(spot.x - 400, spot.y - 250);
    expect(distance).toBeLessThanOrEqual(Math.hypot(CARD.width + CARD_MARGIN, CARD.height + CARD_MARGIN));
    expect(distance).toBeGreaterThan(0);
  });

  it('never lands on any card of a crowded board (seeded random boards)', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const next = random(seed);
      const occupied: Box[] = [];
      for (let i = 0; i < 40; i++) {
        occupied.push({
          x: Math.round(next() * 1200),
          y: Math.round(next() * 800),
          width: 180 + Math.round(next() * 70),
          height: 70 + Math.round(next() * 120),
        });
      }
      const wanted = { x: next() * 1200, y: next() * 800 };
      const spot = freeSpot(wanted, CARD, occupied);
      const box = { ...spot, ...CARD };
      const hit = occupied.filter((other) => overlaps(box, other, CARD_MARGIN));
      expect(hit, `seed ${seed}`).toEqual([]);
    }
  });

  it('adding many cards one after another at the same point gives a board where none overlaps', () => {
    const occupied: Box[] = [];
    for (let i = 0; i < 30; i++) occupied.push({ ...freeSpot({ x: 0, y: 0 }, CARD, occupied), ...CARD });
    for (let i = 0; i < occupied.length; i++) {
      for (let j = i + 1; j < occupied.length; j++)
        expect(overlaps(occupied[i], occupied[j]), `${i} and ${j}`).toBe(false);
    }
    // They cluster round the point rather than trailing off in a line.
    const furthest = Math.max(...occupied.map((b) => Math.hypot(b.x + 100, b.y + 50)));
    expect(furthest).toBeLessThan(1000);
  });
});

describe('overlaps', () => {
  it('boxes that only touch do not overlap; a margin makes them', () => {
    const a = { x: 0, y: 0, width: 100, height: 50 };
    const b = { x: 100, y: 0, width: 100, height: 50 };
    expect(overlaps(a, b)).toBe(false);
    expect(overlaps(a, b, 1)).toBe(true);
    expect(overlaps(a, { ...b, x: 99 })).toBe(true);
  });
});
