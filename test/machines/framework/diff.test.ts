/**
 * machines/framework/diff.ts: every kind of change between two readings of the
 * framework, field by field, with id lists compared as sets and placements not
 * compared.
 */
import { describe, expect, it } from 'vitest';
import { diffFrameworks, sameFramework } from '../../../machines/framework/diff.ts';
import { frameworkSnapshot } from '../../../machines/framework/snapshot.ts';
import type { FrameworkSnapshot } from '../../../machines/framework/types.ts';
import type { Entity } from '../../../machines/entities.ts';
import { card, meadowFramework } from './framework-model.ts';

const base = () => frameworkSnapshot(meadowFramework());

/** A copy of `snapshot` changed by `change`, as the board would after edits. */
function edited(snapshot: FrameworkSnapshot, change: (s: FrameworkSnapshot) => void): FrameworkSnapshot {
  const copy = structuredClone(snapshot);
  change(copy);
  return copy;
}

const entity = <T,>(s: FrameworkSnapshot, id: string): T =>
  Object.values(s.entities).flat().find((e) => (e as Entity).id === id) as T;

describe('diffFrameworks', () => {
  it('finds nothing between a framework and itself', () => {
    expect(diffFrameworks(base(), base())).toEqual({ added: [], removed: [], changed: [] });
    expect(sameFramework(base(), base())).toBe(true);
  });

  it('an added card of each kind, with its label and the whole card', () => {
    const to = edited(base(), (s) => {
      s.entities.source.push({ kind: 'source', id: 'src-new', title: 'Retail audit', reference: '' });
      s.entities.baseline.push({ kind: 'baseline', id: 'bl-new', statement: 'Retailers licensed', value: '112', source: '', date: '' });
      s.entities.strategy.push({ kind: 'strategy', id: 'sg-new', name: 'Retail licensing', description: '', horizon: 'long-term', indicatorIds: ['in-sales'], servesId: '' });
      s.entities.activity.push({ kind: 'activity', id: 'ac-new', name: 'Map retailers', strategyId: 'sg-new', ownerIds: [] });
      s.entities.principle.push({ kind: 'principle', id: 'pr-new', statement: 'Data before blame' });
      s.entities.indicator.push({ kind: 'indicator', id: 'in-new', name: 'Licensed retailers', definition: '', unit: 'count', direction: 'decrease', frequency: 'yearly', subgroups: [] });
    });
    const diff = diffFrameworks(base(), to);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([]);
    expect(diff.added.map((a) => [a.kind, a.id, a.label])).toEqual([
      ['source', 'src-new', 'Retail audit'],
      ['baseline', 'bl-new', 'Retailers licensed'],
      ['strategy', 'sg-new', 'Retail licensing'],
      ['activity', 'ac-new', 'Map retailers'],
      ['principle', 'pr-new', 'Data before blame'],
      ['indicator', 'in-new', 'Licensed retailers'],
    ]);
    expect(diff.added[2].entity).toEqual(entity(to, 'sg-new'));
  });

  it('a removed card is listed once, in `from`\'s order; the other way round it is added', () => {
    const to = edited(base(), (s) => {
      s.entities.strategy = s.entities.strategy.filter((x) => x.id !== 'sg-school');
      s.entities.principle = [];
    });
    const diff = diffFrameworks(base(), to);
    expect(diff.removed.map((r) => [r.kind, r.id, r.label])).toEqual([
      ['strategy', 'sg-school', 'Vape-free schools'],
      ['principle', 'pr-youth', 'Young people decide with us'],
    ]);
    expect(diff.added).toEqual([]);
    expect(diffFrameworks(to, base()).added.map((a) => a.id)).toEqual(['sg-school', 'pr-youth']);
  });

  it('a changed text field, enum, date, plain string and ref, each reported with before and after', () => {
    const to = edited(base(), (s) => {
      entity<{ name: string; horizon: string }>(s, 'sg-school').name = 'Vape-free campuses';
      entity<{ horizon: string }>(s, 'sg-school').horizon = 'long-term';
      entity<{ date: string; value: string }>(s, 'bl-vaping').date = '2025-05-01';
      entity<{ value: string }>(s, 'bl-vaping').value = '22 %';
      entity<{ strategyId: string | null }>(s, 'ac-hearing').strategyId = 'sg-school';
      s.entities.goal[0].statement = 'Cut youth vaping by two thirds by 2030.';
    });
    expect(diffFrameworks(base(), to).changed).toEqual([
      { id: 'bl-vaping', kind: 'baseline', label: 'Ninth graders who vape', field: 'value', before: '24 %', after: '22 %' },
      { id: 'bl-vaping', kind: 'baseline', label: 'Ninth graders who vape', field: 'date', before: '2024-05-01', after: '2025-05-01' },
      { id: 'goal', kind: 'goal', label: 'Goal', field: 'statement', before: 'Halve youth vaping by 2030.', after: 'Cut youth vaping by two thirds by 2030.' },
      { id: 'sg-school', kind: 'strategy', label: 'Vape-free campuses', field: 'name', before: 'Vape-free schools', after: 'Vape-free campuses' },
      { id: 'sg-school', kind: 'strategy', label: 'Vape-free campuses', field: 'horizon', before: 'short-term', after: 'long-term' },
      { id: 'ac-hearing', kind: 'activity', label: 'Council hearing', field: 'strategyId', before: 'sg-age', after: 'sg-school' },
    ]);
  });

  it('a problem, goal or evaluation written for the first time is a change, not an added card', () => {
    const from = edited(base(), (s) => (s.entities.evaluation[0].approach = ''));
    const diff = diffFrameworks(from, base());
    expect(diff.added).toEqual([]);
    expect(diff.changed).toEqual([
      { id: 'evaluation', kind: 'evaluation', label: 'Evaluation approach', field: 'approach', before: '', after: 'Developmental evaluation with the youth council.' },
    ]);
  });

  it('links are sets: a new order is no change, an added or dropped id is, reported sorted', () => {
    const reordered = edited(base(), (s) => entity<{ indicatorIds: string[] }>(s, 'sg-age').indicatorIds.reverse());
    expect(diffFrameworks(base(), reordered).changed).toEqual([]);
    const relinked = edited(base(), (s) => {
      entity<{ indicatorIds: string[] }>(s, 'sg-age').indicatorIds = ['in-use'];
      entity<{ indicatorIds: string[] }>(s, 'sg-school').indicatorIds = ['in-use', 'in-sales'];
      entity<{ ownerIds: string[] }>(s, 'ac-hearing').ownerIds = [];
    });
    expect(diffFrameworks(base(), relinked).changed).toEqual([
      { id: 'sg-age', kind: 'strategy', label: 'Raise the tobacco age', field: 'indicatorIds', before: ['in-sales', 'in-use'], after: ['in-use'] },
      { id: 'sg-school', kind: 'strategy', label: 'Vape-free schools', field: 'indicatorIds', before: [], after: ['in-sales', 'in-use'] },
      { id: 'ac-hearing', kind: 'activity', label: 'Council hearing', field: 'ownerIds', before: ['st-clinic'], after: [] },
    ]);
  });

  it('other lists keep their order: reordered subgroups are a change', () => {
    const to = edited(base(), (s) => entity<{ subgroups: string[] }>(s, 'in-use').subgroups.reverse());
    expect(diffFrameworks(base(), to).changed).toEqual([
      { id: 'in-use', kind: 'indicator', label: 'Youth vaping', field: 'subgroups', before: ['North', 'South'], after: ['South', 'North'] },
    ]);
  });

  it('moving cards on the board is no change', () => {
    const to = edited(base(), (s) => {
      s.placements['sg-age'] = { x: 900, y: 900 };
      delete s.placements['pr-youth'];
    });
    expect(sameFramework(base(), to)).toBe(true);
  });

  it('a field a version saved before it existed equals an empty value, but not a filled one', () => {
    const old = edited(base(), (s) => {
      delete (entity<Record<string, unknown>>(s, 'sg-age')).description;
    });
    const emptied = edited(base(), (s) => (entity<{ description: string }>(s, 'sg-age').description = ''));
    expect(diffFrameworks(old, emptied).changed).toEqual([]);
    expect(diffFrameworks(old, base()).changed).toEqual([
      { id: 'sg-age', kind: 'strategy', label: 'Raise the tobacco age', field: 'description', before: null, after: 'Work with the council.' },
    ]);
  });

  it('an id reused by another kind of card is one removed and one added', () => {
    const to = edited(base(), (s) => {
      s.entities.principle = [];
      s.entities.source.push({ kind: 'source', id: 'pr-youth', title: 'Youth council minutes', reference: '' });
    });
    const diff = diffFrameworks(base(), to);
    expect(diff.removed.map((r) => [r.kind, r.id])).toEqual([['principle', 'pr-youth']]);
    expect(diff.added.map((a) => [a.kind, a.id])).toEqual([['source', 'pr-youth']]);
    expect(diff.changed).toEqual([]);
  });

  it('answers copies: changing the diff changes neither side', () => {
    const from = base();
    const to = edited(base(), (s) => (s.entities.principle = []));
    const diff = diffFrameworks(to, from);
    (diff.added[0].entity as { statement: string }).statement = 'changed';
    expect(entity<{ statement: string }>(from, 'pr-youth').statement).toBe('Young people decide with us');
    const model = meadowFramework();
    expect(card<{ statement: string }>(model, 'pr-youth').statement).toBe('Young people decide with us');
  });
});
