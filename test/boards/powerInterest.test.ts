import { describe, expect, it } from 'vitest';
import { createEntity, createInitiativeDoc, readModel } from '../../src/schema/index.ts';
import { overlaps } from '../../src/canvas/freeSpace.ts';
import { powerInterestGrid } from '../../src/boards/stakeholders/elements.ts';

/** The tallest stakeholder card measured in Chromium (a two-line name and an organisation) is about 135 px. */
const CARD = { width: 200, height: 150 };

/** An initiative with `n` stakeholders per score pair listed. */
function initiative(cells: [interest: number, influence: number, n: number][]) {
  const doc = createInitiativeDoc();
  for (const [interest, influence, n] of cells) {
    for (let k = 0; k < n; k++)
      createEntity(doc, 'stakeholder', { name: `S ${interest}/${influence} #${k}`, interest, influence });
  }
  createEntity(doc, 'effort', { name: 'Task force' });
  return readModel(doc);
}

describe('power–interest grid', () => {
  it('packs stakeholders who share a cell side by side: no two cards overlap', () => {
    const model = initiative([
      [5, 5, 7],
      [4, 4, 3],
      [2, 5, 2],
      [1, 1, 1],
      [5, 2, 4],
      [3, 3, 10],
    ]);
    const { positions } = powerInterestGrid(model);
    const boxes = Object.entries(positions).map(([id, p]) => ({ id, ...p, ...CARD }));
    expect(boxes).toHaveLength(28);
    const hits = boxes.flatMap((a, i) =>
      boxes
        .slice(i + 1)
        .filter((b) => overlaps(a, b))
        .map((b) => `${a.id} × ${b.id}`),
    );
    expect(hits).toEqual([]);
  });

  it('keeps every stakeholder inside its quadrant, below the quadrant’s name', () => {
    const model = initiative([
      [5, 5, 4],
      [1, 5, 3],
      [5, 1, 2],
      [1, 1, 5],
      [3, 4, 2],
      [4, 3, 2],
    ]);
    const { positions, split, size } = powerInterestGrid(model);
    for (const s of model.entities.stakeholder) {
      const p = positions[s.id];
      const high = { influence: s.influence >= 4, interest: s.interest >= 4 };
      const top = high.influence ? 0 : split.y;
      const bottom = high.influence ? split.y : size.height;
      const left = high.interest ? split.x : 0;
      const right = high.interest ? size.width : split.x;
      // The band for the quadrant's name and note (64 px) stays clear.
      expect(p.y, s.name).toBeGreaterThanOrEqual(top + 64);
      expect(p.y + CARD.height, s.name).toBeLessThanOrEqual(bottom);
      expect(p.x, s.name).toBeGreaterThanOrEqual(left);
      expect(p.x + CARD.width, s.name).toBeLessThanOrEqual(right);
    }
    // Existing efforts go below the grid.
    expect(positions[model.entities.effort[0].id].y).toBeGreaterThan(size.height);
  });

  it('puts high influence above and high interest to the right', () => {
    const model = initiative([
      [5, 5, 1],
      [1, 1, 1],
    ]);
    const { positions } = powerInterestGrid(model);
    const [low, key] = [...model.entities.stakeholder].sort((a, b) => a.influence - b.influence);
    expect(positions[key.id].x).toBeGreaterThan(positions[low.id].x);
    expect(positions[key.id].y).toBeLessThan(positions[low.id].y);
  });
});
