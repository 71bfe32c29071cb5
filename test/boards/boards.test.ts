import { describe, expect, it } from 'vitest';
import { createEntity, createInitiativeDoc, readModel, updateEntity } from '../../src/schema/index.ts';
import { copyEntities, pasteEntities } from '../../src/canvas/clipboard.ts';
import { mergeNodes } from '../../src/canvas/useBoardElements.ts';
import type { BoardNode } from '../../src/canvas/types.ts';
import { crossing, dimensionAt, groupedPositions, regionAt, REGIONS, sideAt } from '../../src/boards/boundaries/geometry.ts';
import { roadmap, COLUMNS } from '../../src/boards/framework/roadmap.ts';

const node = (id: string, x: number, extra: Partial<BoardNode> = {}): BoardNode => ({
  id,
  position: { x, y: 0 },
  data: { entityId: id, kind: 'stakeholder', name: id },
  ...extra,
});

describe('mergeNodes', () => {
  it('keeps selection, measurements and identity; keeps a dragged card where the pointer is', () => {
    const a = node('a', 0, { selected: true, measured: { width: 200, height: 80 } });
    const b = node('b', 10, { dragging: true });
    const merged = mergeNodes([a, b], [node('a', 0), node('b', 500)], new Set());
    expect(merged[0]).toBe(a);
    expect(merged[1].position.x).toBe(10);
  });

  it('selects arriving cards named in `select` and deselects the rest', () => {
    const a = node('a', 0, { selected: true });
    const merged = mergeNodes([a], [node('a', 0), node('c', 40)], new Set(['c']));
    expect(merged.map((n) => n.selected)).toEqual([false, true]);
  });

  it('takes remote moves and renames', () => {
    const merged = mergeNodes([node('a', 0)], [{ ...node('a', 99), data: { entityId: 'a', kind: 'stakeholder', name: 'A2' } }], new Set());
    expect(merged[0].position.x).toBe(99);
    expect(merged[0].data.name).toBe('A2');
  });
});

describe('boundaries geometry', () => {
  it('decides the side by where the card’s centre is', () => {
    expect(sideAt({ x: REGIONS.inside.x + 50, y: REGIONS.inside.y + 100 })).toBe('inside');
    expect(sideAt({ x: REGIONS.outside.x + 50, y: REGIONS.outside.y + 100 })).toBe('outside');
    expect(sideAt({ x: -2000, y: 0 })).toBe('outside');
  });

  it('changes an item’s side only when its centre lands inside the other region', () => {
    const size = { width: 220, height: 130 };
    const { inside, outside } = REGIONS;
    // Top-left corners that put the card's centre well inside each region.
    const inInside = { x: inside.x + 100, y: inside.y + 200 };
    const inOutside = { x: outside.x + 100, y: outside.y + 200 };
    expect(regionAt(inInside, size)).toBe('inside');
    expect(regionAt(inOutside, size)).toBe('outside');
    // A 3 px nudge within a region changes nothing, whatever the item says.
    expect(crossing('outside', inOutside, { x: inOutside.x + 3, y: inOutside.y }, size)).toBeNull();
    expect(crossing('outside', inInside, { x: inInside.x + 3, y: inInside.y }, size)).toBeNull();
    // Dropped across, centre inside the other region: it changes.
    expect(crossing('outside', inOutside, inInside, size)).toBe('inside');
    expect(crossing('inside', inInside, inOutside, size)).toBe('outside');
    // Dropped in the gap between the regions, or with only an edge over the line: no change.
    const gap = { x: inside.x + inside.width + (outside.x - inside.x - inside.width) / 2 - size.width / 2, y: 200 };
    expect(regionAt(gap, size)).toBeNull();
    expect(crossing('outside', inOutside, gap, size)).toBeNull();
    // An outside item whose left edge reaches over the Inside frame, its centre still outside.
    const edgeOver = { x: inside.x + inside.width - 20, y: 200 };
    expect(regionAt(edgeOver, size)).toBe('outside');
    expect(crossing('outside', inOutside, edgeOver, size)).toBeNull();
    // Dropped into the region that matches its side already: nothing to change.
    expect(crossing('inside', inOutside, inInside, size)).toBeNull();
  });

  it('groups items in their side’s lane for their dimension', () => {
    const doc = createInitiativeDoc();
    const a = createEntity(doc, 'boundary', { label: 'Norms', dimension: 'issue', side: 'inside' });
    const b = createEntity(doc, 'boundary', { label: 'State', dimension: 'geography', side: 'outside' });
    const positions = groupedPositions(readModel(doc));
    expect(sideAt(positions[a])).toBe('inside');
    expect(dimensionAt(positions[a])).toBe('issue');
    expect(sideAt(positions[b])).toBe('outside');
    expect(dimensionAt(positions[b])).toBe('geography');
  });
});

describe('framework roadmap', () => {
  it('puts each part in its column, activities beside their strategy, principles below', () => {
    const doc = createInitiativeDoc();
    const s1 = createEntity(doc, 'strategy', { name: 'Parent education' });
    const s2 = createEntity(doc, 'strategy', { name: 'Laws and norms' });
    const acts = [s1, s1, s2].map((strategyId, i) => createEntity(doc, 'activity', { name: `A${i}`, strategyId }));
    const ind = createEntity(doc, 'indicator', { name: 'Binge drinking' });
    const pr = createEntity(doc, 'principle', { statement: 'Data first' });
    const src = createEntity(doc, 'source', { title: 'Survey' });
    const { positions: p, bottom } = roadmap(readModel(doc));
    expect(p.problem.x).toBe(COLUMNS.problem);
    expect(p[src].x).toBe(COLUMNS.problem);
    expect(p[src].y).toBeGreaterThan(p.problem.y);
    expect(p.goal.x).toBe(COLUMNS.goal);
    expect(p[s1].x).toBe(COLUMNS.strategy);
    expect(acts.map((a) => p[a].x)).toEqual([COLUMNS.activity, COLUMNS.activity, COLUMNS.activity]);
    // The second strategy starts below the first one's activities.
    expect(p[s2 < s1 ? s1 : s2].y).toBeGreaterThan(p[s2 < s1 ? s2 : s1].y);
    expect(p[ind].x).toBe(COLUMNS.indicator);
    expect(p[pr].y).toBe(bottom);
    expect(p.evaluation.y).toBe(bottom);
  });
});

describe('copy and paste', () => {
  it('pastes copies with new ids and offset places, links between copies pointing to the copies', () => {
    const doc = createInitiativeDoc();
    const at = (x: number) => [{ board: 'stakeholders' as const, position: { x, y: 0 } }];
    const a = createEntity(doc, 'stakeholder', { name: 'Health department', sector: 'health' }, at(0));
    const b = createEntity(doc, 'stakeholder', { name: 'Schools' }, at(300));
    createEntity(doc, 'relationship', { source: a, target: b, relation: 'funds' });
    expect(copyEntities(readModel(doc), 'stakeholders', [a, b])).toBe(3);
    const pasted = pasteEntities(doc, 'stakeholders');
    expect(pasted).toHaveLength(3);
    const model = readModel(doc);
    expect(model.entities.stakeholder).toHaveLength(4);
    const copy = model.entities.stakeholder.find((s) => pasted.includes(s.id) && s.name === 'Health department')!;
    expect(copy.sector).toBe('health');
    expect(model.placements.stakeholders[copy.id].x).toBeGreaterThan(0);
    const link = model.entities.relationship.find((r) => pasted.includes(r.id))!;
    expect(pasted).toContain(link.source);
    expect(pasted).toContain(link.target);
    expect(link.relation).toBe('funds');
    // A later edit to the original does not touch the copy.
    updateEntity(doc, a, { name: 'Renamed' });
    expect(readModel(doc).entities.stakeholder.find((s) => s.id === copy.id)!.name).toBe('Health department');
  });

  it('pastes only on the board it copied from', () => {
    const doc = createInitiativeDoc();
    const a = createEntity(doc, 'boundary', { label: 'Norms' }, [{ board: 'boundaries', position: { x: 0, y: 0 } }]);
    copyEntities(readModel(doc), 'boundaries', [a]);
    expect(pasteEntities(doc, 'stakeholders')).toEqual([]);
  });
});
