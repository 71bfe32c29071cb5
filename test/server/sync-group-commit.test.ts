/**
 * Group commit (server/storage/groupCommit.ts, server/storage/sqlite.ts): the
 * updates of one event-loop turn are written in one SQLite transaction, on a
 * real file read through a second connection as another process would; and no
 * byte the sync endpoint sends in a turn leaves the process before that turn's
 * commit: when the commit fails, the relay of the lost update never reaches the
 * other client (real server, real y-websocket clients, a real SQLite failure).
 * Each room's next number is let go when the room unloads and read again from
 * the log: no number reused, none skipped.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import * as Y from 'yjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../server/db.ts';
import { commitBeforeEnd, endOfTurn, TurnEnd } from '../../server/storage/groupCommit.ts';
import { Rooms } from '../../server/sync/rooms.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';

/** A turn that ends only when the test says so. */
function manualTurn(): { turn: TurnEnd; end: () => void; pending: () => boolean } {
  let scheduled: (() => void) | null = null;
  const turn = new TurnEnd((run) => (scheduled = run));
  return {
    turn,
    pending: () => scheduled !== null,
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
const clients: SyncClient[] = [];
let harness: Harness | null = null;
afterEach(async () => {
  for (const c of clients.splice(0)) c.destroy();
  await harness?.stop();
  harness = null;
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDb(): { dir: string; db: Db; reader: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'convene-group-'));
  dirs.push(dir);
  const db = openDb(dir);
  // A second connection, as another process reading the file: it sees committed transactions only.
  const reader = new Database(join(dir, 'convene.db'), { readonly: true }) as Db;
  dbs.push(reader, db);
  return { dir, db, reader };
}

const rowsIn = (reader: Db) => (reader.prepare('SELECT count(*) AS n FROM doc_updates').get() as { n: number }).n;
const dataVersion = (reader: Db) => reader.pragma('data_version', { simple: true }) as number;

describe('SQLite group commit', () => {
  it('writes the updates of one turn in one transaction, none of them before the turn ends', () => {
    const { db, reader } = tempDb();
    const { turn, end, pending } = manualTurn();
    const storage = new SqliteDocStorage(db, { groupCommit: turn });
    const before = dataVersion(reader);
    const seqsA = updatesOf(30, 'a').map((u) => storage.append('room-a', u));
    const seqsB = updatesOf(20, 'b').map((u) => storage.append('room-b', u));
    // Numbered at once, 1, 2, 3… in each room, none on disk yet.
    expect(seqsA).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(seqsB).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(pending()).toBe(true);
    expect(rowsIn(reader)).toBe(0);
    end();
    // Fifty rows, and the file changed once: one commit for the whole turn.
    expect(rowsIn(reader)).toBe(50);
    expect(dataVersion(reader)).toBe(before + 1);
  });

  it('commits what the turn kept before anyone reads or compacts the log', () => {
    const { db } = tempDb();
    const { turn } = manualTurn();
    const storage = new SqliteDocStorage(db, { groupCommit: turn });
    const updates = updatesOf(5, 'k');
    let last = 0;
    for (const u of updates) last = storage.append('room', u);
    // The turn has not ended: the read commits first, so it sees every append.
    expect(storage.load('room')?.entries).toBe(5);
    storage.append('room', updatesOf(1, 'late')[0]);
    const doc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(doc, u);
    storage.compact('room', Y.encodeStateAsUpdate(doc), last);
    // The snapshot replaced the first five; the late one, kept when compaction ran, is still there after it.
    expect(storage.loadSince('room', last)?.entries).toBe(1);
    expect(storage.load('room')?.entries).toBe(2);
  });

  it('never reuses a number in a room, even of entries a compaction deleted, across a restart', () => {
    const { dir, db } = tempDb();
    const plain = new SqliteDocStorage(db);
    const updates = updatesOf(3, 'x');
    const numbers = updates.map((u) => plain.append('room', u));
    // Each room numbers its own entries: 1, 2, 3 here, and 1 in another room.
    expect(numbers).toEqual([1, 2, 3]);
    expect(plain.append('other', updatesOf(1, 'y')[0])).toBe(1);
    const doc = new Y.Doc();
    for (const u of updates) Y.applyUpdate(doc, u);
    // The snapshot replaces every entry of the room and keeps the last one's number.
    plain.compact('room', Y.encodeStateAsUpdate(doc), 3);
    expect(plain.load('room')?.entries).toBe(1);
    db.close();
    const reopened = openDb(dir);
    dbs.push(reopened);
    const { turn, end } = manualTurn();
    const grouped = new SqliteDocStorage(reopened, { groupCommit: turn });
    expect(grouped.append('room', updatesOf(1, 'z')[0])).toBe(4);
    expect(grouped.append('room', updatesOf(1, 'w')[0])).toBe(5);
    expect(grouped.append('new', updatesOf(1, 'v')[0])).toBe(1);
    end();
    // After the kept ones are written, a plain append on the same file goes on from there.
    expect(new SqliteDocStorage(reopened).append('room', updatesOf(1, 'u')[0])).toBe(6);
    expect(grouped.loadSince('room', 3)?.seq).toBe(6);
  });

  it('an old data directory (the AUTOINCREMENT log) keeps every entry with its number, and each room goes on from its own last one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'convene-group-'));
    dirs.push(dir);
    // The schema before the (room, seq) log: migrations up to 5, whose doc_updates numbered every row of every room from one AUTOINCREMENT.
    const old = openDb(dir, Date.now(), 5);
    expect(old.prepare("SELECT sql FROM sqlite_master WHERE name = 'doc_updates'").pluck().get()).toMatch(/AUTOINCREMENT/);
    const insertOld = old.prepare<[string, Buffer]>('INSERT INTO doc_updates (room, data) VALUES (?, ?)');
    const a = updatesOf(4, 'a');
    const b = updatesOf(3, 'b');
    // Interleaved, so each room's numbers have gaps: a = 1, 3, 5, 7; b = 2, 4, 6.
    for (let i = 0; i < 4; i++) {
      insertOld.run('a', Buffer.from(a[i]));
      if (b[i]) insertOld.run('b', Buffer.from(b[i]));
    }
    // The old table's largest number was 8 (deleted since): AUTOINCREMENT remembered it in sqlite_sequence.
    insertOld.run('gone', Buffer.from(updatesOf(1, 'g')[0]));
    old.prepare("DELETE FROM doc_updates WHERE room = 'gone'").run();
    const before = old.prepare('SELECT room, seq, data FROM doc_updates ORDER BY room, seq').all();
    old.close();

    const db = openDb(dir);
    dbs.push(db);
    // Every migration ran, that one (6) and the ones after it.
    expect(db.pragma('user_version', { simple: true })).toBe(7);
    expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'doc_updates'").pluck().get()).toMatch(/WITHOUT ROWID/);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'doc_updates_room'").get()).toBeUndefined();
    expect(db.prepare('SELECT room, seq, data FROM doc_updates ORDER BY room, seq').all()).toEqual(before);
    const { turn, end } = manualTurn();
    const storage = new SqliteDocStorage(db, { groupCommit: turn });
    const doc = (room: string) => {
      const d = new Y.Doc();
      Y.applyUpdate(d, storage.load(room)!.update);
      return d.getMap('m').toJSON();
    };
    expect(storage.load('a')).toMatchObject({ seq: 7, entries: 4 });
    expect(storage.load('b')).toMatchObject({ seq: 6, entries: 3 });
    expect(doc('a')).toEqual({ a0: 0, a1: 1, a2: 2, a3: 3 });
    expect(doc('b')).toEqual({ b0: 0, b1: 1, b2: 2 });
    expect(storage.loadSince('a', 3)).toMatchObject({ seq: 7, entries: 2 });
    expect(storage.append('a', updatesOf(1, 'n')[0])).toBe(8);
    expect(storage.append('b', updatesOf(1, 'n')[0])).toBe(7);
    end();
    expect(storage.loadSince('b', 6)).toMatchObject({ seq: 7, entries: 1 });
  });

  it('a failed commit releases nothing held in its turn, and the storage answers the failure from then on', () => {
    const { db } = tempDb();
    const { turn, end } = manualTurn();
    const storage = new SqliteDocStorage(db, { groupCommit: turn });
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk is full'); END`);
    const released: boolean[] = [];
    storage.append('room', updatesOf(1, 'a')[0]);
    turn.hold((committed) => released.push(committed));
    end();
    expect(released).toEqual([false]);
    expect(() => storage.append('room', updatesOf(1, 'b')[0])).toThrow('disk is full');
    expect(() => storage.load('room')).toThrow('disk is full');
  });

  it('releases held writes only after the commits of their turn, in every turn', () => {
    const { db, reader } = tempDb();
    const { turn, end } = manualTurn();
    const storage = new SqliteDocStorage(db, { groupCommit: turn });
    const seen: number[] = [];
    for (let round = 1; round <= 3; round++) {
      // What a socket would write here, held before the update is even appended: at release, the rows of its turn are in the file.
      turn.hold(() => seen.push(rowsIn(reader)));
      storage.append('room', updatesOf(1, `r${round}`)[0]);
      end();
    }
    expect(seen).toEqual([1, 2, 3]);
  });
});

describe('a quiet turn commits at once (commitNow)', () => {
  it('runs the commits so far at once, while held writes still wait for the end of the turn', () => {
    const { turn, end } = manualTurn();
    const events: string[] = [];
    turn.commit(() => events.push('commit 1'));
    turn.hold((committed) => events.push(`release ${committed}`));
    expect(turn.commitNow()).toBe(true);
    expect(events).toEqual(['commit 1']);
    // Nothing left to commit: at once, and nothing runs twice.
    expect(turn.commitNow()).toBe(true);
    turn.commit(() => events.push('commit 2'));
    end();
    expect(events).toEqual(['commit 1', 'commit 2', 'release true']);
  });

  it('a commit that fails early answers false for the rest of its turn and fails its held writes; the next turn starts clean', () => {
    const { turn, end, pending } = manualTurn();
    const released: boolean[] = [];
    turn.hold((committed) => released.push(committed));
    turn.commit(() => {
      throw new Error('disk is full');
    });
    expect(turn.commitNow()).toBe(false);
    // Later sends of the same turn, with nothing more to commit, still may not leave.
    expect(turn.commitNow()).toBe(false);
    expect(pending()).toBe(true);
    end();
    expect(released).toEqual([false]);
    expect(turn.commitNow()).toBe(true);
  });
});

describe('answers and ends that wait for the commit', () => {
  it('a change made through withDoc (an API route) is answered only once it is committed', async () => {
    const { db, reader } = tempDb();
    const rooms = new Rooms(new SqliteDocStorage(db, { groupCommit: endOfTurn }), 0);
    await rooms.withDoc('room', (doc) => doc.getMap('m').set('k', 1));
    // Answered: the row is in the file for any other reader.
    expect(rowsIn(reader)).toBe(1);
    await rooms.closeAll();
  });

  it('a socket ended while it holds writes runs the turn\'s commits before Node flushes them', async () => {
    const { turn, end: endTurn } = manualTurn();
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const client = connect((server.address() as { port: number }).port, '127.0.0.1');
    const socket = await accepted;
    const events: string[] = [];
    const received = new Promise<void>((resolve) => client.once('data', () => (events.push('received'), resolve())));
    let corked = true;
    commitBeforeEnd(socket, turn, () => corked);
    turn.commit(() => events.push('committed'));
    socket.cork();
    turn.hold(() => {
      corked = false;
      socket.uncork();
    });
    socket.write('relayed update');
    // The turn has not ended; the close handshake ends the socket now, which flushes it.
    socket.end();
    await received;
    expect(events).toEqual(['committed', 'received']);
    endTurn();
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('sync endpoint with group commit', () => {
  it('no relayed update leaves the server before its row is in the file, one writer at a time or all at once', async () => {
    const h = (harness = await startHarness());
    const id = await h.createInitiative();
    const reader = new Database(join(h.dataDir, 'convene.db'), { readonly: true }) as Db;
    dbs.push(reader);
    const writers = await Promise.all([0, 1, 2].map(async () => syncClient(h.url, id, await h.invite(id, 'participant'))));
    const watcher = syncClient(h.url, id, await h.invite(id, 'participant'));
    clients.push(...writers, watcher);
    await Promise.all([...writers, watcher].map((c) => c.synced));
    // Where bytes leave a socket for the kernel (what a corked socket's uncork calls, too): every
    // server frame (unmasked) that carries one of this test's keys must find that key stored.
    const stored = reader.prepare<[Buffer], { n: number }>('SELECT count(*) AS n FROM doc_updates WHERE instr(data, ?) > 0');
    const early: string[] = [];
    let checked = 0;
    const check = (chunk: unknown) => {
      if (!Buffer.isBuffer(chunk) || chunk[0] !== 0x82 || (chunk[1] & 0x80) !== 0) return;
      for (const key of chunk.toString('latin1').match(/key-\d{3}/g) ?? []) {
        checked++;
        if (stored.get(Buffer.from(key))!.n === 0) early.push(key);
      }
    };
    const proto = Socket.prototype as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
    const plainWrite = proto._write;
    const plainWritev = proto._writev;
    proto._write = function (this: Socket, ...args: unknown[]) {
      check(args[0]);
      return plainWrite.apply(this, args);
    };
    proto._writev = function (this: Socket, ...args: unknown[]) {
      for (const { chunk } of args[0] as { chunk: unknown }[]) check(chunk);
      return plainWritev.apply(this, args);
    };
    try {
      // One writer at a time: each turn carries one update, which leaves right after its commit.
      for (let i = 0; i < 20; i++) {
        const key = `key-${String(i).padStart(3, '0')}`;
        writers[i % 3].doc.getMap('m').set(key, i);
        await vi.waitFor(() => expect(watcher.doc.getMap('m').get(key)).toBe(i), { timeout: 10_000, interval: 5 });
      }
      // All at once: turns carry several updates, held to the end of the turn.
      for (let i = 20; i < 80; i++) writers[i % 3].doc.getMap('m').set(`key-${String(i).padStart(3, '0')}`, i);
      await vi.waitFor(() => expect(watcher.doc.getMap('m').size).toBe(80), { timeout: 10_000, interval: 20 });
    } finally {
      proto._write = plainWrite;
      proto._writev = plainWritev;
    }
    // Each key went out at least to the watcher and the two other writers.
    expect(checked).toBeGreaterThanOrEqual(80 * 3);
    expect(early).toEqual([]);
  });

  it('an update whose commit failed never reaches the other client: its socket is dropped instead', async () => {
    const h = (harness = await startHarness());
    const id = await h.createInitiative();
    const a = syncClient(h.url, id, await h.invite(id, 'participant'));
    const b = syncClient(h.url, id, await h.invite(id, 'participant'));
    const laterToken = await h.invite(id, 'participant');
    clients.push(a, b);
    await Promise.all([a.synced, b.synced]);
    // Committed and relayed: the path works.
    a.doc.getMap('m').set('before', 1);
    await vi.waitFor(() => expect(b.doc.getMap('m').get('before')).toBe(1), { timeout: 10_000, interval: 20 });

    // From now on the file refuses every insert (another connection, as a full disk would).
    const other = new Database(join(h.dataDir, 'convene.db'));
    dbs.push(other as Db);
    other.exec(`CREATE TRIGGER refuse BEFORE INSERT ON doc_updates BEGIN SELECT RAISE(ABORT, 'disk is full'); END`);
    const atClose: { code: number | undefined; has: boolean }[] = [];
    b.provider.on('connection-close', (event: CloseEvent | null) => {
      atClose.push({ code: event?.code, has: b.doc.getMap('m').has('lost') });
    });
    a.doc.getMap('m').set('lost', 1);
    await vi.waitFor(() => expect(atClose.length).toBeGreaterThanOrEqual(1), { timeout: 10_000, interval: 20 });
    // Without the update its turn failed to store: dropped (1006) when the turn held its writes, or closed
    // for the storage failure (1011) when the failed commit ran at the relay's first send (a quiet turn).
    expect(atClose[0].has).toBe(false);
    expect([1006, 1011]).toContain(atClose[0].code);
    // Nor does anyone who comes next get it: the room failed with its storage and is not served again.
    const later = syncClient(h.url, id, laterToken);
    clients.push(later);
    const laterClosed = new Promise<number | undefined>((resolve) =>
      later.provider.once('connection-close', (event: CloseEvent | null) => resolve(event?.code)),
    );
    expect(await laterClosed).toBe(1011);
    expect(later.doc.getMap('m').has('lost')).toBe(false);
    expect(b.doc.getMap('m').has('lost')).toBe(false);
  });
});

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
