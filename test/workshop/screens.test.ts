/** The pure parts of the workshop screens (src/workshop): times, the shared view a peer sends, a board's cards. */
import { describe, expect, it } from 'vitest';
import { ENTITY_KINDS, type InitiativeModel } from '../../machines/entities.ts';
import { matchRoute, workshopPath, workshopsPath } from '../../src/kit/router.ts';
import { cardsOnBoard } from '../../src/workshop/cards.ts';
import { afterStart, countdown, localToIso } from '../../src/workshop/format.ts';
import { breakdown, sectorWord } from '../../src/workshop/groups.ts';
import { readViewport } from '../../src/workshop/useFollow.ts';

describe('the workshop screens', () => {
  it('count down rounding up, so 0:00 shows only at zero', () => {
    expect(countdown(0)).toBe('0:00');
    expect(countdown(1)).toBe('0:01');
    expect(countdown(59_001)).toBe('1:00');
    expect(countdown(15 * 60_000)).toBe('15:00');
    expect(countdown(3_600_000 + 61_000)).toBe('1:01:01');
    expect(countdown(-5)).toBe('0:00');
    expect(afterStart(95 * 60_000)).toBe('+1:35');
  });

  it('turn a date field into ISO with this browser’s offset, which the contract requires', () => {
    const iso = localToIso('2026-12-03T09:00')!;
    expect(iso).toMatch(/^2026-12-03T09:00:00[+-]\d\d:\d\d$/);
    expect(new Date(iso).getTime()).toBe(new Date('2026-12-03T09:00').getTime());
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('not a date')).toBeUndefined();
  });

  it('take from a peer only a well-formed shared view', () => {
    expect(readViewport({ board: 'framework', x: 1.5, y: -2, zoom: 0.8, summon: 2 })).toEqual({
      board: 'framework',
      x: 1.5,
      y: -2,
      zoom: 0.8,
      summon: 2,
    });
    expect(readViewport({ board: 'framework', x: 1, y: 2, zoom: 1 })?.summon).toBe(0);
    expect(readViewport({ board: 'kitchen', x: 1, y: 2, zoom: 1 })).toBeNull();
    expect(readViewport({ board: 'framework', x: Number.NaN, y: 2, zoom: 1 })).toBeNull();
    expect(readViewport({ board: 'framework', x: 1, y: 2, zoom: 0 })).toBeNull();
    expect(readViewport({ board: 'framework', x: 1, y: 2, zoom: 1e9 })).toBeNull();
    expect(readViewport('framework')).toBeNull();
    expect(readViewport(null)).toBeNull();
  });

  it('vote on the cards a board shows: its kinds (placed or not), links and one-of-a-kind cards left out, notes only where placed', () => {
    const entities = Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, []])) as unknown as InitiativeModel['entities'];
    const model = {
      entities: {
        ...entities,
        stakeholder: [{ id: 's1', kind: 'stakeholder', name: 'Youth council' }],
        relationship: [{ id: 'r1', kind: 'relationship', source: 's1', target: 's1' }],
        strategy: [{ id: 'st1', kind: 'strategy', name: 'Parent education' }],
        problem: [{ id: 'problem', kind: 'problem', statement: 'Teen binge drinking' }],
        note: [
          { id: 'n1', kind: 'note', text: 'On the map' },
          { id: 'n2', kind: 'note', text: 'On the framework' },
        ],
      },
      placements: { stakeholders: { n1: { x: 0, y: 0 } }, boundaries: {}, framework: { n2: { x: 0, y: 0 } }, governance: {} },
    } as unknown as InitiativeModel;
    expect(cardsOnBoard(model, 'stakeholders')).toEqual([
      { id: 's1', title: 'Youth council' },
      { id: 'n1', title: 'On the map' },
    ]);
    expect(cardsOnBoard(model, 'framework').map((c) => c.id)).toEqual(['st1', 'n2']);
  });

  it('say a breakdown in words, most first', () => {
    expect(breakdown({ residents: 2, government: 3, business: 0 }, sectorWord)).toBe('Government 3 · Residents 2');
    expect(breakdown({}, sectorWord)).toBe('—');
  });

  it('route the workshops page and a workshop’s record', () => {
    expect(matchRoute(workshopsPath('x 1'))).toEqual({ name: 'workshops', id: 'x 1' });
    expect(matchRoute(workshopPath('x1', 'w/2'))).toEqual({ name: 'workshop', id: 'x1', workshopId: 'w/2' });
    expect(matchRoute('/i/x1/workshops/w2/more')).toEqual({ name: 'not-found' });
  });
});
