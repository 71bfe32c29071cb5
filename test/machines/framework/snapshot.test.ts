/** machines/framework/snapshot.ts: what a saved version copies out of the model, its counts and its cards' labels. */
import { describe, expect, it } from 'vitest';
import { blankModel } from '../../../machines/evaluation.ts';
import { cardLabel, frameworkSnapshot, LABEL_MAX_LENGTH, snapshotCounts } from '../../../machines/framework/snapshot.ts';
import { FRAMEWORK_KINDS } from '../../../machines/framework/types.ts';
import { card, meadowFramework } from './framework-model.ts';

describe('frameworkSnapshot', () => {
  it('keeps every framework card with all its fields, sorted by id, and nothing else', () => {
    const model = meadowFramework();
    const snapshot = frameworkSnapshot(model);
    expect(Object.keys(snapshot.entities)).toEqual([...FRAMEWORK_KINDS]);
    expect(snapshot.entities.strategy.map((s) => s.id)).toEqual(['sg-age', 'sg-school']);
    expect(snapshot.entities.indicator.map((s) => s.id)).toEqual(['in-sales', 'in-use']);
    expect(snapshot.entities.strategy[0]).toEqual(card(model, 'sg-age'));
    expect(snapshot.entities.goal).toEqual([{ kind: 'goal', id: 'goal', statement: 'Halve youth vaping by 2030.' }]);
    expect(JSON.stringify(snapshot)).not.toContain('nt-idea');
    expect(JSON.stringify(snapshot)).not.toContain('County clinic');
    expect(snapshot.entities.activity[0].ownerIds).toEqual(['st-clinic']);
  });

  it('keeps the framework board placements of its cards only (not notes, not other boards)', () => {
    const model = meadowFramework();
    const { placements } = frameworkSnapshot(model);
    expect(placements['sg-age']).toEqual(model.placements.framework['sg-age']);
    expect(placements['nt-idea']).toBeUndefined();
    expect(Object.keys(placements)).toHaveLength(11);
    expect(Object.keys(placements)).toEqual([...Object.keys(placements)].sort());
  });

  it('is a copy: changing the model afterwards changes nothing of it', () => {
    const model = meadowFramework();
    const snapshot = frameworkSnapshot(model);
    const before = JSON.stringify(snapshot);
    card<{ indicatorIds: string[]; name: string }>(model, 'sg-age').indicatorIds.push('in-new');
    card<{ name: string }>(model, 'sg-age').name = 'Tobacco 21';
    card<{ subgroups: string[] }>(model, 'in-use').subgroups.pop();
    model.placements.framework['sg-age'].x = 999;
    model.entities.goal[0].statement = 'Something else';
    expect(JSON.stringify(snapshot)).toBe(before);
  });
});

describe('snapshotCounts', () => {
  it('counts each kind; the problem, goal and evaluation count once written', () => {
    expect(snapshotCounts(frameworkSnapshot(meadowFramework()))).toEqual({
      problem: 1, source: 1, baseline: 1, goal: 1, strategy: 2, activity: 1, principle: 1, evaluation: 1, indicator: 2,
    });
    const blank = snapshotCounts(frameworkSnapshot(blankModel()));
    expect(blank).toEqual(Object.fromEntries(FRAMEWORK_KINDS.map((k) => [k, 0])));
  });
});

describe('cardLabel', () => {
  it('names a card by its words, a singleton by its kind, a wordless card by its kind', () => {
    const model = meadowFramework();
    expect(cardLabel(card(model, 'sg-age'))).toBe('Raise the tobacco age');
    expect(cardLabel(card(model, 'src-survey'))).toBe('Youth risk survey 2024');
    expect(cardLabel(card(model, 'pr-youth'))).toBe('Young people decide with us');
    expect(cardLabel(card(model, 'goal'))).toBe('Goal');
    expect(cardLabel(card(model, 'problem'))).toBe('Problem description');
    expect(cardLabel({ kind: 'strategy', id: 's', name: '  ', description: '', horizon: 'short-term', indicatorIds: [], servesId: '' })).toBe('Strategy');
  });

  it('cuts long words with an ellipsis and folds line breaks', () => {
    const long = `Build ${'a very long strategy name '.repeat(6)}`;
    const label = cardLabel({ kind: 'strategy', id: 's', name: long, description: '', horizon: 'short-term', indicatorIds: [], servesId: '' });
    expect(label.length).toBeLessThanOrEqual(LABEL_MAX_LENGTH);
    expect(label.endsWith('…')).toBe(true);
    expect(cardLabel({ kind: 'principle', id: 'p', statement: 'Listen\nfirst' })).toBe('Listen first');
  });
});
