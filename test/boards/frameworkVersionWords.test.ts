import { describe, expect, it } from 'vitest';
import type { FrameworkDiff } from '../../machines/framework/types.ts';
import {
  cardChanges,
  cardFields,
  changeCount,
  EMPTY_VALUE,
  namesOf,
  sideName,
  valueWords,
} from '../../src/boards/framework/versions/words.ts';
import type { FrameworkVersionSummary } from '../../src/contract/portfolio.ts';

const strategy = (id: string, name: string, extra: Record<string, unknown> = {}) =>
  ({ kind: 'strategy', id, name, description: '', horizon: 'short-term', indicatorIds: [], ...extra }) as never;
const indicator = (id: string, name: string) =>
  ({
    kind: 'indicator',
    id,
    name,
    definition: '',
    unit: '',
    direction: 'decrease',
    frequency: 'yearly',
    subgroups: [],
  }) as never;

const names = namesOf([
  { entities: { strategy: [strategy('st-1', 'Parent education')], indicator: [indicator('ind-1', 'Binge drinking')] } },
]);

describe('the words of a framework comparison', () => {
  it('names linked cards, enum values and outside links in the panel’s words, never by id', () => {
    expect(valueWords('activity', 'strategyId', 'st-1', names)).toBe('Parent education');
    expect(valueWords('activity', 'strategyId', null, names)).toBe(EMPTY_VALUE);
    expect(valueWords('strategy', 'indicatorIds', ['ind-1', 'gone'], names)).toBe(
      'a card no longer on the board; Binge drinking',
    );
    expect(valueWords('strategy', 'indicatorIds', [], names)).toBe('none');
    expect(valueWords('strategy', 'horizon', 'long-term', names)).toBe('Long-term systemic');
    expect(valueWords('indicator', 'frequency', 'quarterly', names)).toBe('Quarterly');
    expect(valueWords('indicator', 'subgroups', ['North', 'South'], names)).toBe('North, South');
    expect(valueWords('strategy', 'servesId', 'parent-st', names)).toBe('a strategy of the initiative above');
    expect(
      valueWords('strategy', 'servesId', 'parent-st', names, new Map([['parent-st', 'Safer streets (City)']])),
    ).toBe('Safer streets (City)');
  });

  it('lists an added or removed card’s set fields beside its title', () => {
    const item = {
      id: 'st-2',
      kind: 'strategy' as const,
      label: 'Raise the tobacco age',
      entity: strategy('st-2', 'Raise the tobacco age', { indicatorIds: ['ind-1'] }),
    };
    expect(cardFields(item, names)).toEqual([
      { field: 'horizon', words: 'Short-term win' },
      { field: 'indicatorIds', words: 'Binge drinking' },
    ]);
  });

  it('groups the diff by card in the framework’s order of kinds and counts cards, not fields', () => {
    const diff: FrameworkDiff = {
      added: [
        {
          id: 'st-2',
          kind: 'strategy',
          label: 'Raise the tobacco age',
          entity: strategy('st-2', 'Raise the tobacco age'),
        },
      ],
      removed: [
        { id: 'ind-1', kind: 'indicator', label: 'Binge drinking', entity: indicator('ind-1', 'Binge drinking') },
      ],
      changed: [
        {
          id: 'st-1',
          kind: 'strategy',
          label: 'Parent education',
          field: 'horizon',
          before: 'short-term',
          after: 'long-term',
        },
        {
          id: 'st-1',
          kind: 'strategy',
          label: 'Parent education',
          field: 'description',
          before: '',
          after: 'Workshops',
        },
        { id: 'goal', kind: 'goal', label: 'Goal', field: 'statement', before: 'A', after: 'B' },
      ],
    };
    const groups = cardChanges(diff);
    expect(groups.map((g) => g.kind)).toEqual(['goal', 'strategy', 'indicator']);
    expect(groups[1].cards.map((c) => [c.label, c.change])).toEqual([
      ['Parent education', 'changed'],
      ['Raise the tobacco age', 'added'],
    ]);
    expect(changeCount(diff)).toBe('4 cards differ: 1 added, 1 removed, 2 changed.');
    expect(changeCount({ added: [], removed: [], changed: [] })).toBe(
      'No differences: the two are the same framework.',
    );
  });

  it('names a side by its number and name, or Now', () => {
    const versions = [{ id: 'v1', number: 1, name: 'First agreement' }] as FrameworkVersionSummary[];
    expect(sideName('v1', versions)).toBe('Version 1, “First agreement”');
    expect(sideName('current', versions)).toBe('Now');
  });
});
