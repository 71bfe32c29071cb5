/** src/schema/cards.ts: the words that name a card, the same in the browser and on the server. */
import { describe, expect, it } from 'vitest';
import { ENTITY_KINDS, type Entity } from '../../machines/entities.ts';
import { FIELDS } from '../../src/schema/fields.ts';
import { entityTitle, TITLE_FIELDS } from '../../src/schema/cards.ts';

describe('entityTitle', () => {
  it('every kind’s main text is one of its own text fields (a relationship has none)', () => {
    for (const kind of ENTITY_KINDS) {
      const field = TITLE_FIELDS[kind];
      if (kind === 'relationship') expect(field).toBeNull();
      else expect(FIELDS[kind][field!]?.type, `${kind}.${field}`).toBe('text');
    }
  });

  it('names the one-of-a-kind cards by their statement, and a blank card as unnamed (or by the given words)', () => {
    const problem = { kind: 'problem', id: 'problem', description: 'Teen binge drinking' } as Entity;
    const evaluation = { kind: 'evaluation', id: 'evaluation', approach: 'Yearly review' } as Entity;
    const goal = { kind: 'goal', id: 'goal', statement: 'Below the state average' } as Entity;
    expect([problem, evaluation, goal].map((e) => entityTitle(e))).toEqual(['Teen binge drinking', 'Yearly review', 'Below the state average']);
    const blank = { kind: 'strategy', id: 'st-1', name: '  ', description: 'Longer words' } as Entity;
    expect(entityTitle(blank)).toBe('(unnamed)');
    expect(entityTitle(blank, 'st-1')).toBe('st-1');
  });
});
