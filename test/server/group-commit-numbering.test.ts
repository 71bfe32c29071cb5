/**
 * The SQLite log's per-room next numbers (server/storage/sqlite.ts, group
 * commit) are let go when a room unloads (`forget`, called by the room's
 * destroy), and the room's next append reads its number again from the table:
 * no number is used twice, and none is skipped, whether the room's updates of
 * the turn were still kept, a compaction ran between, or the room unloaded and
 * loaded again through Rooms on a real file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../server/db.ts';
import { endOfTurn, TurnEnd } from '../../server/storage/groupCommit.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { Rooms } from '../../server/sync/rooms.ts';

/** A turn that ends only when the test says so. */
function manualTurn(): { turn: TurnEnd; end: () => void } {
  let scheduled: (() => void) | null = null;
  const turn = new TurnEnd((run) => (scheduled = run));
  return {
    turn,
    end: () => {
      const run = scheduled;
      scheduled = null;
      run?.();
    },
  };
}

function updatesOf(n: number, prefix: string): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getMap('m').set(`${prefix}${i}`, i);
  return updates;
}

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDb(): { db: Db; reader: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'convene-numbering-'));
  dirs.push(dir);
  const db = openDb(dir);
  // A second connection, as another process would read the file: committed rows only.
  const reader = new Database(join(dir, 'convene.db'), { readonly: true }) as Db;
  dbs.push(reader, db);
  return { db, reader };
}

const seqsIn = (reader: Db, room: string) =>
  reader.prepare<[string], number>('SELECT seq FROM doc_updates WHERE room = ? ORDER BY seq').pluck().all(room);

describe('the per-room next numbers of group commit, let go when a room unloads', () => {
  it('a room forgotten while its updates of the turn are still kept: they are written first, and the next append goes on after them', () => {
    const { db, reader } = tempDb();
    const { turn, end } = manualTurn();
    const storage = new SqliteDocStorage(db, { groupCommit: turn });
    const updates = updatesOf(5, 'a');
    expect(updates.slice(0, 3).map((u) => storage.append('room', u))).toEqual([1, 2, 3]);
    storage.append('other', updatesOf(1, 'o')[0]);
    expect(storage.numberedRooms).toBe(2);
    expect(seqsIn(reader, 'room')).toEqual([]);

    storage.forget('room');
    expect(storage.numberedRooms).toBe(1);
    expect(seqsIn(reader, 'room')).toEqual([1, 2, 3]);
    // Read again from the table: on from 3, not 1 again.
    expect(updates.slice(3).map((u) => storage.append('room', u))).toEqual([4, 5]);
    end();
    expect(seqsIn(reader, 'room')).toEqual([1, 2, 3, 4, 5]);
    expect(seqsIn(reader, 'other')).toEqual([1]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, storage.load('room')!.update);
    expect(doc.getMap('m').toJSON()).toEqual({ a0: 0, a1: 1, a2: 2, a3: 3, a4: 4 });
  });

  it('after a compaction and a forget, the next number is past the snapshot’s (never reused), and forgetting a room that never appended changes nothing', () => {
    const { db, reader } = tempDb();
    const { turn, end } = manualTurn();
    const storage = new SqliteDocStorage(db, { groupCommit: turn });
    const updates = updatesOf(4, 'c');
    for (const u of updates.slice(0, 3)) storage.append('room', u);
    const doc = new Y.Doc();
    for (const u of updates.slice(0, 3)) Y.applyUpdate(doc, u);
    storage.compact('room', Y.encodeStateAsUpdate(doc), 3);
    expect(seqsIn(reader, 'room')).toEqual([3]);
    storage.forget('room');
    storage.forget('never');
    expect(storage.numberedRooms).toBe(0);
    expect(storage.append('room', updates[3])).toBe(4);
    end();
    expect(seqsIn(reader, 'room')).toEqual([3, 4]);
  });

  it('through Rooms on a real file: each unload lets the number go, each reload goes on from the log, compactions between', async () => {
    const { db, reader } = tempDb();
    const storage = new SqliteDocStorage(db, { groupCommit: endOfTurn });
    const rooms = new Rooms(storage, 0, { compactAfterEntries: 4 });
    try {
      for (let round = 1; round <= 10; round++) {
        await rooms.withDoc('room', (doc) => doc.getMap('m').set(`k${round}`, round));
        // Unloaded once idle (no delay): its number is let go.
        await vi.waitFor(() => expect(rooms.isLoaded('room')).toBe(false));
        expect(storage.numberedRooms).toBe(0);
        // One append per round: the log's largest number is the round's, whatever compaction deleted.
        expect(Math.max(...seqsIn(reader, 'room'))).toBe(round);
      }
      // Compaction ran (fewer rows than appends), and the document holds every round's edit.
      expect(seqsIn(reader, 'room').length).toBeLessThan(10);
      const doc = new Y.Doc();
      Y.applyUpdate(doc, storage.load('room')!.update);
      expect(doc.getMap('m').toJSON()).toEqual(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i + 1}`, i + 1])));
    } finally {
      await rooms.closeAll();
    }
  });
});
