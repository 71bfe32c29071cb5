/**
 * The SQLite log's journal (server/storage/journal.ts): each turn's updates are
 * durable in an append-only file with one write, move into `doc_updates` many
 * at a time a moment later, and whatever a process that died left in its
 * journal goes into the log at the next start, a torn end left out. Real files,
 * real SQLite; a failed write is the one fault caused by a stand-in.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../server/db.ts';
import { TurnEnd } from '../../server/storage/groupCommit.ts';
import { decodeEntries, encodeEntries, Journal, journalDir, openJournal, replayJournals } from '../../server/storage/journal.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { openSqliteStores } from '../../server/sqliteStores.ts';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'convene-journal-'));
  dirs.push(dir);
  return dir;
}

function open(dir: string): { db: Db; reader: Db } {
  const db = openDb(dir);
  // A second connection, as another process reading the file: it sees committed transactions only.
  const reader = new Database(join(dir, 'convene.db'), { readonly: true }) as Db;
  dbs.push(reader, db);
  return { db, reader };
}

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

const keysOf = (update: Uint8Array | undefined) => {
  const doc = new Y.Doc();
  if (update) Y.applyUpdate(doc, update);
  return [...doc.getMap('m').keys()].sort();
};
const rowsIn = (reader: Db) => reader.prepare<[], { room: string; seq: number }>('SELECT room, seq FROM doc_updates ORDER BY room, seq').all();
const journalFiles = (dir: string) => (existsSync(journalDir(dir)) ? readdirSync(journalDir(dir)) : []);
const journalBytes = (dir: string) => journalFiles(dir).reduce((n, f) => n + statSync(join(journalDir(dir), f)).size, 0);

describe('journal records', () => {
  it('read back as written: rooms in any script, numbers past 2^32, empty and large updates', () => {
    const entries = [
      { room: 'a', seq: 1, data: new Uint8Array([1, 2, 3]) },
      { room: 'Ŝtadt-Bürger 市民', seq: 2 ** 40 + 3, data: new Uint8Array(0) },
      { room: 'b', seq: 7, data: new Uint8Array(70_000).fill(9) },
    ];
    const read = decodeEntries(encodeEntries(entries));
    expect(read.torn).toBe(0);
    expect(read.entries.map((e) => ({ ...e, data: [...e.data].length }))).toEqual(entries.map((e) => ({ ...e, data: e.data.length })));
    expect([...read.entries[2].data.subarray(0, 3)]).toEqual([9, 9, 9]);
  });

  it('a record cut short or damaged ends what is read, and says how many bytes were left', () => {
    const whole = encodeEntries([
      { room: 'r', seq: 1, data: new Uint8Array([1]) },
      { room: 'r', seq: 2, data: new Uint8Array([2, 2]) },
    ]);
    const first = encodeEntries([{ room: 'r', seq: 1, data: new Uint8Array([1]) }]).length;
    // Cut in the middle of the second record (a power loss during the write).
    const cut = decodeEntries(whole.subarray(0, whole.length - 3));
    expect(cut.entries.map((e) => e.seq)).toEqual([1]);
    expect(cut.torn).toBe(whole.length - 3 - first);
    // A byte of the second record's update changed: its CRC no longer matches.
    const damaged = Buffer.from(whole);
    damaged[damaged.length - 1] ^= 0xff;
    expect(decodeEntries(damaged).entries.map((e) => e.seq)).toEqual([1]);
    // Only a header's worth of bytes: nothing read, nothing thrown.
    expect(decodeEntries(whole.subarray(0, 5))).toEqual({ entries: [], torn: 5 });
  });

  it('refuses a room id too long for its length field instead of writing a record it cannot read', () => {
    expect(() => encodeEntries([{ room: 'x'.repeat(70_000), seq: 1, data: new Uint8Array(1) }])).toThrow(/does not fit/);
  });
});

describe('replaying journals at start', () => {
  it('writes every entry into the log, leaves out those already there and a torn end, and deletes the files', () => {
    const dir = tempDir();
    const { db, reader } = open(dir);
    const [u1, u2, u3] = updatesOf(3, 'k');
    // Entry 1 was moved before the process died; 2 and 3 were not; a third record was cut short.
    db.prepare('INSERT INTO doc_updates (room, seq, data) VALUES (?, ?, ?)').run('room', 1, Buffer.from(u1));
    const journal = openJournal(dir);
    journal.write([
      { room: 'room', seq: 1, data: u1 },
      { room: 'room', seq: 2, data: u2 },
    ]);
    journal.close(false);
    const other = openJournal(dir);
    other.write([{ room: 'other', seq: 1, data: u3 }]);
    other.close(false);
    const torn = encodeEntries([{ room: 'room', seq: 3, data: u3 }]);
    appendFileSync(other.path, torn.subarray(0, torn.length - 4));

    const replayed = replayJournals(db, dir);
    expect(replayed.entries).toBe(2);
    expect(replayed.torn).toEqual([{ file: other.path, bytes: torn.length - 4 }]);
    expect(rowsIn(reader)).toEqual([
      { room: 'other', seq: 1 },
      { room: 'room', seq: 1 },
      { room: 'room', seq: 2 },
    ]);
    expect(keysOf(new SqliteDocStorage(db).load('room')!.update)).toEqual(['k0', 'k1']);
    expect(journalFiles(dir)).toEqual([]);
    // Nothing left: a second replay does nothing.
    expect(replayJournals(db, dir)).toEqual({ entries: 0, torn: [] });
  });

  it('a data directory without a journal folder replays nothing', () => {
    const dir = tempDir();
    const { db } = open(dir);
    expect(replayJournals(db, dir)).toEqual({ entries: 0, torn: [] });
  });
});

describe('SQLite log with a journal', () => {
  function journaled(dir: string, turn: TurnEnd, moveAfterMs = 100) {
    const { db, reader } = open(dir);
    const journal = openJournal(dir);
    const storage = new SqliteDocStorage(db, { groupCommit: turn, journal, moveAfterMs });
    return { db, reader, journal, storage };
  }

  it('a turn is durable in the journal with one write when it ends, and in the table once moved, many turns in one transaction', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const dir = tempDir();
    const { turn, end } = manualTurn();
    const { reader, journal, storage } = journaled(dir, turn, 100);
    const updates = updatesOf(5, 'e');
    storage.append('room', updates[0]);
    storage.append('room', updates[1]);
    expect(statSync(journal.path).size).toBe(0);
    end();
    // Durable: both records are in the file, read back as the next start would.
    expect(decodeEntries(readFileSync(journal.path)).entries.map((e) => e.seq)).toEqual([1, 2]);
    expect(rowsIn(reader)).toEqual([]);
    for (const u of updates.slice(2)) {
      storage.append('room', u);
      end();
    }
    expect(decodeEntries(readFileSync(journal.path)).entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    const before = reader.pragma('data_version', { simple: true }) as number;
    vi.advanceTimersByTime(99);
    expect(rowsIn(reader)).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(rowsIn(reader).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    // One commit for all five, and the journal emptied after it.
    expect(reader.pragma('data_version', { simple: true }) as number).toBe(before + 1);
    expect(statSync(journal.path).size).toBe(0);
    // Appends go on into the emptied file.
    storage.append('room', updatesOf(1, 'later')[0]);
    end();
    expect(decodeEntries(readFileSync(journal.path)).entries.map((e) => e.seq)).toEqual([6]);
  });

  it('every read, compaction and next number sees what is still in the journal', () => {
    const dir = tempDir();
    const { turn, end } = manualTurn();
    const { reader, storage } = journaled(dir, turn, 60_000);
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 4; i++) doc.getMap('m').set(`k${i}`, i);
    for (const u of updates) storage.append('room', u);
    end();
    expect(rowsIn(reader)).toEqual([]);
    const loaded = storage.load('room')!;
    expect(loaded.seq).toBe(4);
    expect(keysOf(loaded.update)).toEqual(['k0', 'k1', 'k2', 'k3']);
    expect(storage.loadSince('room', 2)!.entries).toBe(2);

    // Unloaded with updates still journaled: its next number comes from the table, which must hold them.
    storage.append('room', updatesOf(1, 'x')[0]);
    end();
    storage.forget('room');
    expect(storage.append('room', updatesOf(1, 'y')[0])).toBe(6);
    end();
    storage.compact('room', Y.encodeStateAsUpdate(doc), 5);
    expect(rowsIn(reader).map((r) => r.seq)).toEqual([5, 6]);
  });

  it('a restart after kill -9: what the journal holds is in the log, and each room goes on from its own last number', () => {
    const dir = tempDir();
    const { turn, end } = manualTurn();
    const first = journaled(dir, turn, 60_000);
    const a = updatesOf(3, 'a');
    for (const u of a) first.storage.append('room-a', u);
    first.storage.append('room-b', updatesOf(1, 'b')[0]);
    end();
    // The process dies: nothing moved, the journal's file stays as it was.
    first.journal.close(false);
    first.db.close();

    const { db } = open(dir);
    expect(replayJournals(db, dir).entries).toBe(4);
    const after = new SqliteDocStorage(db, { groupCommit: turn, journal: openJournal(dir) });
    expect(keysOf(after.load('room-a')!.update)).toEqual(['a0', 'a1', 'a2']);
    expect(after.append('room-a', updatesOf(1, 'next')[0])).toBe(4);
    expect(after.append('room-b', updatesOf(1, 'next')[0])).toBe(2);
    end();
  });

  it('a failed move breaks the storage, and the journal keeps what it holds for the next start', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const dir = tempDir();
    const { turn, end } = manualTurn();
    const { db, journal, storage } = journaled(dir, turn, 100);
    const broken: unknown[] = [];
    storage.onBroken((error) => broken.push(error));
    storage.append('room', updatesOf(1, 'kept')[0]);
    end();
    // From now on the table refuses every insert (another connection, as a full disk would).
    const other = new Database(join(dir, 'convene.db')) as Db;
    dbs.push(other);
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk is full'); END`);
    vi.advanceTimersByTime(100);
    expect(broken).toHaveLength(1);
    expect(() => storage.append('room', updatesOf(1, 'after')[0])).toThrow(/disk is full/);
    expect(() => storage.load('room')).toThrow(/disk is full/);
    storage.closeJournal();
    expect(decodeEntries(readFileSync(journal.path)).entries.map((e) => e.seq)).toEqual([1]);

    // The disk has room again: the next start puts the update into the log.
    other.exec('DROP TRIGGER refuse');
    db.close();
    const { db: again } = open(dir);
    expect(replayJournals(again, dir).entries).toBe(1);
    expect(keysOf(new SqliteDocStorage(again).load('room')!.update)).toEqual(['kept0']);
  });

  it('a failed write fails its turn: nothing held in it is released, and the storage answers the failure from then on', () => {
    const dir = tempDir();
    const { turn, end } = manualTurn();
    const { storage } = journaled(dir, turn);
    const released: boolean[] = [];
    // A full disk cannot be caused here: the write itself is made to fail as the system would.
    vi.spyOn(Journal.prototype, 'write').mockImplementation(() => {
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    });
    storage.append('room', updatesOf(1, 'lost')[0]);
    turn.hold((committed) => released.push(committed));
    end();
    expect(released).toEqual([false]);
    expect(() => storage.append('room', updatesOf(1, 'next')[0])).toThrow(/ENOSPC/);
  });

  it('many updates waiting move at once, without waiting for the timer', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const dir = tempDir();
    const { turn, end } = manualTurn();
    const { reader, storage } = journaled(dir, turn, 60_000);
    const updates = updatesOf(2000, 'm');
    for (const u of updates) storage.append('room', u);
    end();
    expect(rowsIn(reader)).toHaveLength(2000);
  });
});

describe('the stores of a data directory', () => {
  it('replay a dead process’s journal at open, and leave no journal after a clean close', async () => {
    const dir = tempDir();
    const { db } = open(dir);
    // A journal a killed process left behind.
    const [u] = updatesOf(1, 'left');
    const left = openJournal(dir);
    left.write([{ room: 'room', seq: 1, data: u }]);
    left.close(false);
    db.close();

    const replayed: number[] = [];
    const stores = openSqliteStores(dir, Date.now, () => {}, (r) => replayed.push(r.entries));
    expect(replayed).toEqual([1]);
    expect(keysOf((await stores.docs.load('room'))!.update)).toEqual(['left0']);
    // The open stores write their own journal; a clean close moves everything and deletes it.
    expect(journalFiles(dir)).toHaveLength(1);
    await stores.docs.append('room', updatesOf(1, 'more')[0]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(journalBytes(dir)).toBeGreaterThan(0);
    await stores.docs.flush();
    await stores.close();
    expect(journalFiles(dir)).toEqual([]);
    const { db: after } = open(dir);
    expect(keysOf(new SqliteDocStorage(after).load('room')!.update)).toEqual(['left0', 'more0']);
  });

});
