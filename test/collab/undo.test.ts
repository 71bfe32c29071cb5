import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  bindText,
  createEntity,
  createInitiativeDoc,
  createUndo,
  readModel,
  updateEntity,
  type InitiativeDoc,
} from '../../src/schema/index.ts';

const REMOTE = Symbol('remote');

/** Two replicas that exchange every update at once, as two browsers through the server do. */
function pair(): [InitiativeDoc, InitiativeDoc] {
  const a = createInitiativeDoc();
  const b = createInitiativeDoc();
  a.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(b, update, REMOTE);
  });
  b.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) Y.applyUpdate(a, update, REMOTE);
  });
  return [a, b];
}

const names = (doc: InitiativeDoc) => readModel(doc).entities.stakeholder.map((s) => s.name).sort();

describe('per-user undo (createUndo) across two replicas', () => {
  it("A's undo removes A's card only; B's card stays, for both", () => {
    const [a, b] = pair();
    const undoA = createUndo(a);
    const undoB = createUndo(b);
    createEntity(a, 'stakeholder', { name: 'Health department', sector: 'health', role: 'champion' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    undoA.stopCapturing();
    createEntity(b, 'stakeholder', { name: 'School district', sector: 'education', role: 'partner' }, [{ board: 'stakeholders', position: { x: 100, y: 0 } }]);
    expect(names(a)).toEqual(['Health department', 'School district']);

    expect(undoA.canUndo()).toBe(true);
    undoA.undo();
    expect(names(a)).toEqual(['School district']);
    expect(names(b)).toEqual(['School district']);
    // A has nothing more to undo: B's edit is not in A's history.
    expect(undoA.canUndo()).toBe(false);
    undoA.undo();
    expect(names(b)).toEqual(['School district']);

    // Redo brings A's card back for both; B's own undo takes only B's card.
    undoA.redo();
    expect(names(b)).toEqual(['Health department', 'School district']);
    undoB.undo();
    expect(names(a)).toEqual(['Health department']);
  });

  it("undoing my typing keeps what someone else typed into the same field", () => {
    const [a, b] = pair();
    const id = createEntity(a, 'stakeholder', { name: 'Health', sector: 'health', role: 'partner' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    const undoA = createUndo(a);
    const undoB = createUndo(b);
    bindText(a, id, 'name')!.write('County Health');
    undoA.stopCapturing();
    bindText(b, id, 'name')!.write('County Health Department');
    expect(bindText(a, id, 'name')!.read()).toBe('County Health Department');

    undoA.undo();
    expect(bindText(a, id, 'name')!.read()).toBe('Health Department');
    expect(bindText(b, id, 'name')!.read()).toBe('Health Department');
    expect(undoB.canUndo()).toBe(true);
  });

  it('changes that arrive from the other replica are never in my history', () => {
    const [a, b] = pair();
    const undoA = createUndo(a);
    const id = createEntity(b, 'stakeholder', { name: 'Faith council', sector: 'faith', role: 'partner' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    updateEntity(b, id, { sector: 'nonprofit' });
    expect(undoA.canUndo()).toBe(false);
    undoA.undo();
    expect(readModel(a).entities.stakeholder).toHaveLength(1);
  });
});
