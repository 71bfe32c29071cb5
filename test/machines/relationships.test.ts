import { describe, expect, it } from 'vitest';
import { relationshipKey, sameRelationship } from '../../machines/relationships.ts';
import { createEntity, createInitiativeDoc, readModel } from '../../src/schema/index.ts';

describe('the one rule for repeated relationships', () => {
  it('a partnership is the same both ways; funds, member of and reports to have a direction', () => {
    expect(relationshipKey({ source: 'a', target: 'b', relation: 'partners' })).toBe(
      relationshipKey({ source: 'b', target: 'a', relation: 'partners' }),
    );
    for (const relation of ['funds', 'member-of', 'reports-to'] as const) {
      expect(relationshipKey({ source: 'a', target: 'b', relation })).not.toBe(
        relationshipKey({ source: 'b', target: 'a', relation }),
      );
    }
    // Two parties may be joined by several kinds at once.
    expect(relationshipKey({ source: 'a', target: 'b', relation: 'funds' })).not.toBe(
      relationshipKey({ source: 'a', target: 'b', relation: 'partners' }),
    );
  });

  it('finds the relationship a new one would repeat', () => {
    const existing = [
      { id: 'r1', source: 'a', target: 'b', relation: 'partners' as const },
      { id: 'r2', source: 'a', target: 'b', relation: 'funds' as const },
    ];
    expect(sameRelationship(existing, { source: 'b', target: 'a', relation: 'partners' })?.id).toBe('r1');
    expect(sameRelationship(existing, { source: 'a', target: 'b', relation: 'funds' })?.id).toBe('r2');
    expect(sameRelationship(existing, { source: 'b', target: 'a', relation: 'funds' })).toBeUndefined();
  });

  it('reading a document applies the same rule: a reversed partnership is dropped, a reversed funding kept', () => {
    const doc = createInitiativeDoc();
    const a = createEntity(doc, 'stakeholder', { name: 'Foundation', sector: 'philanthropy' });
    const b = createEntity(doc, 'stakeholder', { name: 'Council', sector: 'nonprofit' });
    // Two clients, offline, each drew the partnership; and each side funds the other.
    createEntity(doc, 'relationship', { source: a, target: b, relation: 'partners' });
    createEntity(doc, 'relationship', { source: b, target: a, relation: 'partners' });
    createEntity(doc, 'relationship', { source: a, target: b, relation: 'funds' });
    createEntity(doc, 'relationship', { source: b, target: a, relation: 'funds' });
    const kept = readModel(doc).entities.relationship.map((r) => `${r.relation}:${r.source === a ? 'ab' : 'ba'}`);
    expect(kept.filter((k) => k.startsWith('partners'))).toHaveLength(1);
    expect(kept.filter((k) => k.startsWith('funds')).sort()).toEqual(['funds:ab', 'funds:ba']);
    doc.destroy();
  });
});
