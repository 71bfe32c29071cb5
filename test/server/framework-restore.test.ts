/**
 * server/framework/restore.ts on plain Yjs documents: a version written back
 * makes the framework equal to it in one transaction, field by field (a
 * concurrent edit to another field survives the merge), completes cards saved
 * before a field existed, and checks everything before writing.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { frameworkSnapshot } from '../../machines/framework/snapshot.ts';
import type { FrameworkSnapshot } from '../../machines/framework/types.ts';
import { checkedSnapshot, RESTORE_ORIGIN, writeFramework } from '../../server/framework/restore.ts';
import { createEntity, readModel, SchemaError, updateEntity } from '../../src/schema/index.ts';

const onFramework = (x: number, y: number) => [{ board: 'framework' as const, position: { x, y } }];

function drawn() {
  const doc = new Y.Doc();
  const use = createEntity(doc, 'indicator', { name: 'Youth vaping', unit: 'percent' }, onFramework(0, 400));
  const age = createEntity(doc, 'strategy', { name: 'Raise the tobacco age', description: 'Council first.', indicatorIds: [use] }, onFramework(0, 200));
  const youth = createEntity(doc, 'principle', { statement: 'Young people decide with us' }, onFramework(200, 0));
  const note = createEntity(doc, 'note', { text: 'Ask the pharmacies' }, onFramework(600, 600));
  const group = createEntity(doc, 'group', { name: 'Retail working group', strategyIds: [age] }, [{ board: 'governance', position: { x: 0, y: 0 } }]);
  updateEntity(doc, 'goal', { statement: 'Halve youth vaping by 2030.' });
  return { doc, ids: { use, age, youth, note, group } };
}

const snapshotOf = (doc: Y.Doc) => frameworkSnapshot(readModel(doc));

describe('writeFramework', () => {
  it('makes the framework equal to the version in one transaction, leaving notes and other kinds alone', () => {
    const { doc, ids } = drawn();
    const version = snapshotOf(doc);
    updateEntity(doc, ids.age, { name: 'Tobacco 21' });
    createEntity(doc, 'principle', { statement: 'Data before blame' }, onFramework(400, 0));
    const transactions: unknown[] = [];
    doc.on('afterTransaction', (t: Y.Transaction) => transactions.push(t.origin));
    const counts = writeFramework(doc, version);
    expect(transactions).toEqual([RESTORE_ORIGIN]);
    expect(counts).toEqual({ added: 0, removed: 1, changed: 1 });
    expect(snapshotOf(doc)).toEqual(version);
    const model = readModel(doc);
    expect(model.entities.note.map((n) => n.id)).toEqual([ids.note]);
    expect(model.entities.group[0].strategyIds).toEqual([ids.age]);
    expect(model.placements.governance[ids.group]).toEqual({ x: 0, y: 0 });
  });

  it('writes only the fields that differ: a concurrent edit to another field of the card survives', () => {
    const { doc, ids } = drawn();
    const version = snapshotOf(doc);
    updateEntity(doc, ids.age, { name: 'Tobacco 21' });
    // A second browser, in sync before the restore, types in the description meanwhile.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    updateEntity(other, ids.age, { description: 'Council first, then the state.' });
    writeFramework(doc, version);
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const age = readModel(doc).entities.strategy.find((s) => s.id === ids.age)!;
    expect(age.name).toBe('Raise the tobacco age');
    expect(age.description).toBe('Council first, then the state.');
  });

  it('brings deleted cards back under their ids, with their links and places', () => {
    const { doc, ids } = drawn();
    const version = snapshotOf(doc);
    const fresh = new Y.Doc();
    writeFramework(fresh, version);
    expect(snapshotOf(fresh)).toEqual(version);
    expect(readModel(fresh).entities.strategy[0]).toMatchObject({ id: ids.age, indicatorIds: [ids.use] });
  });

  it('restores a name that was empty in the version, which a caller could not type', () => {
    const { doc, ids } = drawn();
    // Two people deleting overlapping parts of a name can empty it: the document keeps the card.
    const name = doc.getMap<Y.Map<unknown>>('entities').get(ids.youth)!.get('statement') as Y.Text;
    name.delete(0, name.length);
    const version = snapshotOf(doc);
    expect(version.entities.principle[0].statement).toBe('');
    updateEntity(doc, ids.youth, { statement: 'Listen first' });
    writeFramework(doc, version);
    expect(snapshotOf(doc)).toEqual(version);
  });

  it('completes a card saved before a field existed with the field\'s default', () => {
    const { doc, ids } = drawn();
    const version = structuredClone(snapshotOf(doc));
    delete (version.entities.strategy[0] as unknown as Record<string, unknown>).description;
    writeFramework(doc, version);
    expect(readModel(doc).entities.strategy.find((s) => s.id === ids.age)!.description).toBe('');
  });

  it('checks the whole version before writing: a card that does not fit leaves the document untouched', () => {
    const { doc } = drawn();
    const before = snapshotOf(doc);
    const version: FrameworkSnapshot = structuredClone(before);
    version.entities.principle = [];
    (version.entities.strategy[0] as unknown as Record<string, unknown>).horizon = 'someday';
    expect(() => checkedSnapshot(version)).toThrow(SchemaError);
    expect(() => writeFramework(doc, version)).toThrow(/Strategy horizon must be one of/);
    expect(snapshotOf(doc)).toEqual(before);
    const wrongId = structuredClone(before);
    wrongId.entities.goal[0].id = 'not-the-goal';
    expect(() => writeFramework(doc, wrongId)).toThrow(SchemaError);
    expect(snapshotOf(doc)).toEqual(before);
  });
});
