/**
 * The storage contract: every DocStorage implementation runs the same suite.
 * A Postgres one will run it too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openDb, type Db } from '../../server/db.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import type { DocStorage } from '../../server/storage/types.ts';
import { AsyncDocStorage } from './sync-helpers.ts';

interface Implementation {
  name: string;
  create(): { storage: DocStorage; reopen?: () => DocStorage; dispose(): void };
}

const implementations: Implementation[] = [
  { name: 'memory', create: () => ({ storage: new MemoryDocStorage(), dispose: () => {} }) },
  {
    name: 'sqlite',
    create: () => {
      const dir = mkdtempSync(join(tmpdir(), 'convene-storage-'));
      let db: Db = openDb(dir);
      return {
        storage: new SqliteDocStorage(db),
        reopen: () => {
          db.close();
          db = openDb(dir);
          return new SqliteDocStorage(db);
        },
        dispose: () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  { name: 'asynchronous (promise-answering wrapper)', create: () => ({ storage: new AsyncDocStorage(), dispose: () => {} }) },
];

/** A document with `n` entries in a map, edited one update at a time; answers the updates. */
function edits(n: number, from = 0, doc = new Y.Doc()): { doc: Y.Doc; updates: Uint8Array[] } {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = from; i < from + n; i++) doc.getMap('entities').set(`e${i}`, { i });
  return { doc, updates };
}

const keys = (update: Uint8Array | undefined) => {
  const doc = new Y.Doc();
  if (update) Y.applyUpdate(doc, update);
  return [...doc.getMap('entities').keys()].sort();
};

for (const impl of implementations) {
  describe(`DocStorage contract: ${impl.name}`, () => {
    let instance: ReturnType<Implementation['create']>;
    const fresh = () => (instance = impl.create()).storage;
    afterEach(() => instance?.dispose());

    it('answers null for a room with nothing stored', async () => {
      expect(await fresh().load('nobody-here')).toBeNull();
    });

    it('appends with increasing sequence numbers and loads every update merged', async () => {
      const storage = fresh();
      const { updates } = edits(5);
      const seqs: number[] = [];
      for (const u of updates) seqs.push(await storage.append('room-a', u));
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      expect(new Set(seqs).size).toBe(5);
      const stored = await storage.load('room-a');
      expect(stored).not.toBeNull();
      expect(stored!.seq).toBe(seqs[4]);
      expect(stored!.entries).toBe(5);
      expect(stored!.bytes).toBe(updates.reduce((n, u) => n + u.byteLength, 0));
      expect(keys(stored!.update)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4']);
    });

    it('keeps rooms apart', async () => {
      const storage = fresh();
      for (const u of edits(2).updates) await storage.append('room-a', u);
      for (const u of edits(3, 10).updates) await storage.append('room-b', u);
      expect(keys((await storage.load('room-a'))!.update)).toEqual(['e0', 'e1']);
      expect(keys((await storage.load('room-b'))!.update)).toEqual(['e10', 'e11', 'e12']);
    });

    it('compacts entries up to a sequence number and keeps the ones appended after it', async () => {
      const storage = fresh();
      const { doc, updates } = edits(10);
      let upto = 0;
      for (const u of updates.slice(0, 6)) upto = await storage.append('room', u);
      // The snapshot is taken here; four more updates arrive before the compaction is written.
      const snapshot = Y.encodeStateAsUpdate(doc);
      const later: number[] = [];
      for (const u of updates.slice(6)) later.push(await storage.append('room', u));
      // Snapshot of the whole doc up to entry 6, plus entries 7-10 again: harmless overlap.
      await storage.compact('room', snapshot, upto);
      const stored = await storage.load('room');
      expect(stored!.entries).toBe(1 + 4);
      expect(stored!.seq).toBe(later[3]);
      expect(keys(stored!.update)).toEqual(keys(Y.encodeStateAsUpdate(doc)));

      // A second compaction covers the first snapshot and the later entries.
      await storage.compact('room', Y.encodeStateAsUpdate(doc), stored!.seq);
      const again = await storage.load('room');
      expect(again!.entries).toBe(1);
      expect(keys(again!.update)).toHaveLength(10);
      // Appends go on after a compaction.
      const more = edits(1, 99, doc).updates;
      const next = await storage.append('room', more[0]);
      expect(next).toBeGreaterThan(again!.seq);
      expect(keys((await storage.load('room'))!.update)).toContain('e99');
    });

    it('a compaction of one room leaves the others alone', async () => {
      const storage = fresh();
      const a = edits(3);
      let upto = 0;
      for (const u of a.updates) upto = await storage.append('room-a', u);
      for (const u of edits(2, 50).updates) await storage.append('room-b', u);
      await storage.compact('room-a', Y.encodeStateAsUpdate(a.doc), upto);
      expect((await storage.load('room-b'))!.entries).toBe(2);
      expect(keys((await storage.load('room-b'))!.update)).toEqual(['e50', 'e51']);
    });

    it('loads what it stored after a reopen, once flushed', async () => {
      const storage = fresh();
      for (const u of edits(4).updates) await storage.append('room', u);
      await storage.flush();
      const reopened = instance.reopen?.() ?? storage;
      expect(keys((await reopened.load('room'))!.update)).toEqual(['e0', 'e1', 'e2', 'e3']);
    });
  });
}
