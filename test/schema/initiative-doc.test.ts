/**
 * The document as a whole (src/schema/index.ts): creating, observing and
 * encoding it, and the entity API working on documents that collaborators
 * changed concurrently or that a hostile client wrote raw. Field by field
 * behaviour of the entity API is in ./model.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  createEntity,
  createInitiativeDoc,
  deleteEntities,
  encodeInitiative,
  observeInitiative,
  placeEntity,
  readModel,
  updateEntity,
  type InitiativeDoc,
} from '../../src/schema/index.ts';

const council = { name: 'County council', sector: 'government', role: 'champion' } as const;
const foundation = { name: 'Riverside Community Foundation', sector: 'philanthropy', role: 'anchor-funder' } as const;
const parents = { name: 'Parents of Year 9', sector: 'residents', role: 'affected' } as const;

const onMap = (x: number, y: number) => [{ board: 'stakeholders' as const, position: { x, y } }];
const names = (doc: InitiativeDoc) => readModel(doc).entities.stakeholder.map((s) => s.name);

/** Copies everything `from` has that `to` lacks (one direction of a sync). */
function pull(to: InitiativeDoc, from: InitiativeDoc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
}

/** A peer that ignores the schema module and writes raw Y types, as a hostile client could. */
function hostileWrite(victim: InitiativeDoc, write: (raw: Y.Doc) => void): void {
  const raw = new Y.Doc();
  pull(raw, victim);
  write(raw);
  pull(victim, raw);
}

describe('observeInitiative', () => {
  it('fires once per transaction that changes something, local or remote, and stops after unsubscribe', () => {
    const doc = createInitiativeDoc();
    const listener = vi.fn();
    const stop = observeInitiative(doc, listener);

    const a = createEntity(doc, 'stakeholder', council, onMap(0, 0)); // entity and placement: one transaction
    expect(listener).toHaveBeenCalledTimes(1);
    placeEntity(doc, 'stakeholders', a, { x: 50, y: 60 });
    expect(listener).toHaveBeenCalledTimes(2);

    // Nothing changes: no call.
    placeEntity(doc, 'stakeholders', a, { x: 50, y: 60 });
    updateEntity(doc, a, { name: council.name });
    updateEntity(doc, 'no-such-id', { name: 'Ghost' });
    expect(listener).toHaveBeenCalledTimes(2);

    // A remote change arrives as one update.
    const other = createInitiativeDoc();
    pull(other, doc);
    other.transact(() => {
      const b = createEntity(other, 'stakeholder', foundation);
      createEntity(other, 'relationship', { source: a, target: b, relation: 'funds' });
    });
    pull(doc, other);
    expect(listener).toHaveBeenCalledTimes(3);

    stop();
    createEntity(doc, 'stakeholder', parents);
    deleteEntities(doc, [a]);
    expect(listener).toHaveBeenCalledTimes(3);
  });

  it('keeps other listeners when one unsubscribes', () => {
    const doc = createInitiativeDoc();
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = observeInitiative(doc, first);
    observeInitiative(doc, second);
    stopFirst();
    createEntity(doc, 'stakeholder', council);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });
});

describe('encodeInitiative', () => {
  it('holds the whole document: a copy made from it reads the same and keeps collaborating', () => {
    const doc = createInitiativeDoc();
    const a = createEntity(doc, 'stakeholder', council, onMap(0, 0));
    const b = createEntity(doc, 'stakeholder', foundation, onMap(240, 0));
    createEntity(doc, 'relationship', { source: b, target: a, relation: 'funds' });
    const copy = createInitiativeDoc();
    Y.applyUpdate(copy, encodeInitiative(doc));
    expect(readModel(copy)).toEqual(readModel(doc));
    expect(readModel(copy).entities.relationship).toHaveLength(1);

    createEntity(copy, 'stakeholder', parents);
    pull(doc, copy);
    expect(readModel(doc)).toEqual(readModel(copy));
  });

  it('of an empty document reads as an empty initiative', () => {
    const copy = createInitiativeDoc();
    Y.applyUpdate(copy, encodeInitiative(createInitiativeDoc()));
    expect(readModel(copy)).toEqual(readModel(createInitiativeDoc()));
    expect(names(copy)).toEqual([]);
  });
});

describe('a document holding entries a hostile client wrote raw', () => {
  it('writes ignore the junk, and deleting it with real entities removes both', () => {
    const doc = createInitiativeDoc();
    const a = createEntity(doc, 'stakeholder', council, onMap(0, 0));
    const b = createEntity(doc, 'stakeholder', foundation, onMap(240, 0));
    hostileWrite(doc, (raw) => {
      raw.getMap<unknown>('entities').set('junk', 'junk');
      raw.getMap<unknown>('placements.stakeholders').set('junk', 'junk');
    });
    const before = encodeInitiative(doc);
    updateEntity(doc, 'junk', { name: 'Still junk' });
    expect(encodeInitiative(doc)).toEqual(before);

    createEntity(doc, 'relationship', { source: a, target: b, relation: 'partners' });
    deleteEntities(doc, [a, 'junk']);
    const model = readModel(doc);
    expect(model.entities.stakeholder.map((s) => s.id)).toEqual([b]);
    expect(model.entities.relationship).toEqual([]);
    expect(model.placements.stakeholders).toEqual({ [b]: { x: 240, y: 0 } });
    expect(doc.getMap('entities').has('junk')).toBe(false);
    expect(doc.getMap('placements.stakeholders').has('junk')).toBe(false);
  });
});

describe('offline edits on two documents', () => {
  it('converge, whatever the order; a relationship to a stakeholder removed meanwhile is not shown', () => {
    const left = createInitiativeDoc();
    const right = createInitiativeDoc();
    const a = createEntity(left, 'stakeholder', council, onMap(0, 0));
    const b = createEntity(left, 'stakeholder', foundation, onMap(240, 0));
    pull(right, left);

    placeEntity(left, 'stakeholders', a, { x: 10, y: 10 });
    placeEntity(right, 'stakeholders', a, { x: 99, y: 99 });
    updateEntity(left, b, { name: 'The Foundation' });
    const c = createEntity(right, 'stakeholder', parents);
    deleteEntities(left, [b]);
    createEntity(right, 'relationship', { source: b, target: c, relation: 'partners' });

    pull(left, right);
    pull(right, left);
    const merged = readModel(left);
    expect(readModel(right)).toEqual(merged);
    expect(merged.entities.stakeholder.map((s) => s.id).sort()).toEqual([a, c].sort());
    expect(merged.entities.relationship).toEqual([]);
    // Concurrent moves resolve to one of the two positions, the same everywhere.
    expect([10, 99]).toContain(merged.placements.stakeholders[a].x);
  });
});
