/**
 * The storage contract: every DocStorage implementation runs the same suite,
 * SQLite, memory and PostgreSQL alike (one throwaway PostgreSQL for the file,
 * test/support/postgres.ts; a fresh database per test). What only a shared
 * database must also do (numbers per room from several processes, durable
 * through a crash of the database server) follows the suite. Over 400 lines:
 * one contract, with its implementations and helpers shared by every case.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openDb, type Db } from '../../server/db.ts';
import { migrate } from '../../server/pg/migrate.ts';
import { createPool, type Pool } from '../../server/pg/pool.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import { PostgresDocStorage } from '../../server/storage/postgres.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { TurnEnd } from '../../server/storage/groupCommit.ts';
import type { DocStorage } from '../../server/storage/types.ts';
import { emptyTables, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { AsyncDocStorage } from './sync-helpers.ts';

interface Instance {
  storage: DocStorage;
  /** The same data opened again, as after a restart (of the database server too, for PostgreSQL). */
  reopen?: () => Promise<DocStorage>;
  dispose(): Promise<void> | void;
}

interface Implementation {
  name: string;
  /** Run once before the implementation's tests (starting a server takes longer than a test may). */
  setup?: () => Promise<unknown>;
  create(): Promise<Instance> | Instance;
}

/** How long a PostgreSQL may take to start on a busy machine (about a second on a quiet one). */
const PG_START_TIMEOUT = 60_000;

/** The file's PostgreSQL and its one migrated database, made by the first test that needs them; stopped after the last. */
let postgres: Promise<TestPostgres> | undefined;
let database: Promise<string> | undefined;
const pgServer = () => (postgres ??= startPostgres());
afterAll(async () => {
  if (postgres) await (await postgres).stop();
});

/** The file's database, emptied, and a pool on it. */
async function pgDatabase(): Promise<{ url: string; pool: Pool }> {
  database ??= (async () => {
    const url = await (await pgServer()).createDatabase();
    const pool = createPool(url, { max: 1 });
    await migrate(pool).finally(() => pool.end());
    return url;
  })();
  const url = await database;
  const pool = createPool(url, { max: 4 });
  await emptyTables(pool);
  return { url, pool };
}

const implementations: Implementation[] = [
  { name: 'memory', create: () => ({ storage: new MemoryDocStorage(), dispose: () => {} }) },
  { name: 'sqlite', create: () => sqliteInstance() },
  // The server's way: each turn's appends in one transaction (server/storage/groupCommit.ts).
  { name: 'sqlite with group commit', create: () => sqliteInstance(true) },
  {
    name: 'postgres',
    setup: () => pgServer(),
    create: async () => {
      const { url, pool: first } = await pgDatabase();
      let pool = first;
      return {
        storage: new PostgresDocStorage(pool),
        reopen: async () => {
          // A new process: a new pool. (A crash of the database server is below.)
          await pool.end();
          pool = createPool(url);
          return new PostgresDocStorage(pool);
        },
        dispose: () => pool.end(),
      };
    },
  },
  { name: 'asynchronous (promise-answering wrapper)', create: () => ({ storage: new AsyncDocStorage(), dispose: () => {} }) },
];

/** A SQLite data directory's log; `grouped`: appends commit at the end of each turn, as on the server. */
function sqliteInstance(grouped = false): Instance {
  const dir = mkdtempSync(join(tmpdir(), 'convene-storage-'));
  const open = (db: Db) => new SqliteDocStorage(db, grouped ? { groupCommit: new TurnEnd() } : {});
  let db: Db = openDb(dir);
  return {
    storage: open(db),
    reopen: async () => {
      // A restart after the turn ended: what it committed is there (a kill -9 within the turn is tested in sync-group-commit).
      if (grouped) await new Promise((resolve) => setImmediate(resolve));
      db.close();
      db = openDb(dir);
      return open(db);
    },
    dispose: async () => {
      if (grouped) await new Promise((resolve) => setImmediate(resolve));
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

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

/** The keys of a document holding `held`, then `news`. */
const keysAfter = (held: Uint8Array[], news?: Uint8Array) => keys(Y.mergeUpdates(news ? [...held, news] : held));

for (const impl of implementations) {
  describe(`DocStorage contract: ${impl.name}`, () => {
    beforeAll(async () => {
      await impl.setup?.();
    }, PG_START_TIMEOUT);
    let instance: Instance | undefined;
    const fresh = async () => (instance = await impl.create()).storage;
    afterEach(async () => {
      await instance?.dispose();
      instance = undefined;
    });

    it('answers null for a room with nothing stored', async () => {
      expect(await (await fresh()).load('nobody-here')).toBeNull();
    });

    it('appends with increasing sequence numbers and loads every update merged', async () => {
      const storage = await fresh();
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
      const storage = await fresh();
      for (const u of edits(2).updates) await storage.append('room-a', u);
      for (const u of edits(3, 10).updates) await storage.append('room-b', u);
      expect(keys((await storage.load('room-a'))!.update)).toEqual(['e0', 'e1']);
      expect(keys((await storage.load('room-b'))!.update)).toEqual(['e10', 'e11', 'e12']);
    });

    it('compacts entries up to a sequence number and keeps the ones appended after it', async () => {
      const storage = await fresh();
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
      const storage = await fresh();
      const a = edits(3);
      let upto = 0;
      for (const u of a.updates) upto = await storage.append('room-a', u);
      for (const u of edits(2, 50).updates) await storage.append('room-b', u);
      await storage.compact('room-a', Y.encodeStateAsUpdate(a.doc), upto);
      expect((await storage.load('room-b'))!.entries).toBe(2);
      expect(keys((await storage.load('room-b'))!.update)).toEqual(['e50', 'e51']);
    });

    it('answers the entries after a sequence number, merged, with the last one; null when there are none', async () => {
      const storage = await fresh();
      const { updates } = edits(6);
      const seqs: number[] = [];
      for (const u of updates) seqs.push(await storage.append('room', u));
      for (const u of edits(2, 50).updates) await storage.append('other', u);
      const since = await storage.loadSince('room', seqs[2]);
      expect(since).not.toBeNull();
      expect(since!.seq).toBe(seqs[5]);
      expect(since!.entries).toBe(3);
      // A process holding the first three entries has all six once it applies the answer.
      expect(keysAfter(updates.slice(0, 3), since!.update)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
      expect(keysAfter(updates.slice(0, 3))).toEqual(['e0', 'e1', 'e2']);
      // From before the first entry: everything; from the last: nothing.
      expect(keys((await storage.loadSince('room', 0))!.update)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5']);
      expect(await storage.loadSince('room', seqs[5])).toBeNull();
      expect(await storage.loadSince('nobody-here', 0)).toBeNull();
    });

    it('after a compaction that covered the sequence number, answers the snapshot and what follows it', async () => {
      const storage = await fresh();
      const { doc, updates } = edits(8);
      const seqs: number[] = [];
      for (const u of updates.slice(0, 5)) seqs.push(await storage.append('room', u));
      await storage.compact('room', Y.encodeStateAsUpdate(doc), seqs[4]);
      for (const u of updates.slice(5)) seqs.push(await storage.append('room', u));
      // A process that held entries up to the second one: the snapshot covers what it lacks (and more).
      const behind = await storage.loadSince('room', seqs[1]);
      expect(behind!.seq).toBe(seqs[7]);
      expect(keys(behind!.update)).toEqual(keys(Y.encodeStateAsUpdate(doc)));
      // One that held everything up to the snapshot's number: only the later entries.
      const after = await storage.loadSince('room', seqs[4]);
      expect(after!.entries).toBe(3);
      expect(keysAfter(updates.slice(0, 5), after!.update)).toEqual(keys(Y.encodeStateAsUpdate(doc)));
    });

    it('loads what it stored after a reopen, once flushed', async () => {
      const storage = await fresh();
      for (const u of edits(4).updates) await storage.append('room', u);
      await storage.flush();
      const reopened = (await instance!.reopen?.()) ?? storage;
      expect(keys((await reopened.load('room'))!.update)).toEqual(['e0', 'e1', 'e2', 'e3']);
    });
  });
}

/**
 * `appendMany` is optional (the append queue falls back to `append`); those
 * that have it write a batch as consecutive entries after the earlier ones.
 */
const batching = implementations.filter((impl) => ['memory', 'postgres'].includes(impl.name));
for (const impl of batching) {
  describe(`DocStorage contract, appendMany: ${impl.name}`, () => {
    beforeAll(async () => {
      await impl.setup?.();
    }, PG_START_TIMEOUT);
    let instance: Instance | undefined;
    afterEach(async () => {
      await instance?.dispose();
      instance = undefined;
    });

    it('numbers a batch consecutively in the order given, after the appends before it and before those after it; loads it as entries of their own', async () => {
      instance = await impl.create();
      const { storage } = instance;
      expect(storage.appendMany).toBeTypeOf('function');
      const { doc, updates } = edits(8);
      const first = await storage.append('room', updates[0]);
      const batch = await storage.appendMany!('room', updates.slice(1, 6));
      expect(batch).toEqual([1, 2, 3, 4, 5].map((i) => first + i));
      const single = await storage.appendMany!('room', [updates[6]]);
      expect(single).toEqual([first + 6]);
      expect(await storage.appendMany!('room', [])).toEqual([]);
      const last = await storage.append('room', updates[7]);
      expect(last).toBeGreaterThan(first + 6);
      const stored = (await storage.load('room'))!;
      expect(stored).toMatchObject({ seq: last, entries: 8, bytes: updates.reduce((n, u) => n + u.byteLength, 0) });
      expect(keys(stored.update)).toEqual(keys(Y.encodeStateAsUpdate(doc)));
      // The batch's entries are apart: one that held up to the batch's third lacks exactly the rest.
      const since = (await storage.loadSince('room', batch[2]))!;
      expect(since.entries).toBe(4);
      expect(keysAfter(updates.slice(0, 4), since.update)).toEqual(keys(Y.encodeStateAsUpdate(doc)));
      // Another room's log is its own.
      const other = await storage.appendMany!('other', updates.slice(0, 2));
      expect(other).toEqual([other[0], other[0] + 1]);
      expect((await storage.load('other'))!.entries).toBe(2);
    });
  });
}

describe('DocStorage on PostgreSQL, shared by several processes', () => {
  beforeAll(async () => {
    await pgServer();
  }, PG_START_TIMEOUT);
  /** `n` pools on one fresh database, as `n` server processes would hold. */
  async function processes(n: number) {
    const { url, pool } = await pgDatabase();
    const pools = [pool, ...Array.from({ length: n - 1 }, () => createPool(url, { max: 4 }))];
    return { url, pools, storages: pools.map((p) => new PostgresDocStorage(p)), end: () => Promise.all(pools.map((p) => p.end())) };
  }

  const seqsOf = async (pool: Pool, room: string) =>
    (await pool.query<{ seq: string }>('SELECT seq FROM doc_updates WHERE room = $1 ORDER BY seq', [room])).rows.map((r) => Number(r.seq));

  it('numbers each room 1, 2, 3… with no gap and no repeat when three processes append to it at once', async () => {
    const { pools, storages, end } = await processes(3);
    try {
      const a = edits(60);
      const b = edits(30, 100);
      // Every update goes out at once, spread over the processes and two rooms.
      const answers = await Promise.all([
        ...a.updates.map((u, i) => storages[i % 3].append('room-a', u).then((seq) => ['room-a', seq] as const)),
        ...b.updates.map((u, i) => storages[(i + 1) % 3].append('room-b', u).then((seq) => ['room-b', seq] as const)),
      ]);
      const numbers = (room: string) => answers.filter(([r]) => r === room).map(([, seq]) => seq).sort((x, y) => x - y);
      expect(numbers('room-a')).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      expect(numbers('room-b')).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
      expect(await seqsOf(pools[0], 'room-a')).toEqual(numbers('room-a'));
      const loaded = await storages[2].load('room-a');
      expect(loaded).toMatchObject({ seq: 60, entries: 60 });
      expect(keys(loaded!.update)).toEqual(keys(Y.encodeStateAsUpdate(a.doc)));
    } finally {
      await end();
    }
  });

  it('numbers each room with no gap when three processes append batches and single updates to it at once; each batch is one block, in order', async () => {
    const { pools, storages, end } = await processes(3);
    try {
      const { doc, updates } = edits(90);
      // 30 calls, spread over the processes: batches of 1 to 5 updates and single appends, all at once.
      const calls: { updates: Uint8Array[]; answer: Promise<number[]> }[] = [];
      for (let i = 0, c = 0; i < updates.length; c++) {
        const size = 1 + (c % 5);
        const part = updates.slice(i, i + size);
        i += size;
        const storage = storages[c % 3];
        const answer = c % 4 === 3 ? Promise.all(part.map((u) => storage.append('room', u))) : storage.appendMany('room', part);
        calls.push({ updates: part, answer });
      }
      const answers = await Promise.all(calls.map((c) => c.answer));
      for (const [i, seqs] of answers.entries()) {
        expect(seqs).toHaveLength(calls[i].updates.length);
        if (i % 4 !== 3) expect(seqs).toEqual(seqs.map((_, k) => seqs[0] + k));
      }
      const all = answers.flat().sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: 90 }, (_, i) => i + 1));
      expect(await seqsOf(pools[0], 'room')).toEqual(all);
      // Each entry is the update its call gave for that number.
      const stored = await pools[1].query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE room = $1', ['room']);
      const bySeq = new Map(stored.rows.map((r) => [Number(r.seq), new Uint8Array(r.data)]));
      for (const [i, seqs] of answers.entries()) seqs.forEach((seq, k) => expect(bySeq.get(seq)).toEqual(calls[i].updates[k]));
      expect(keys((await storages[2].load('room'))!.update)).toEqual(keys(Y.encodeStateAsUpdate(doc)));
    } finally {
      await end();
    }
  });

  it('three processes writing batches to many rooms at once, each in its own order of rooms, never deadlock and number every room with no gap', async () => {
    const { pools, storages, end } = await processes(3);
    try {
      const rooms = Array.from({ length: 8 }, (_, i) => `room-${i}`);
      const { updates } = edits(4);
      // 10 rounds per process, all at once; each process lists the rooms in another order.
      const turns = storages.flatMap((storage, p) =>
        Array.from({ length: 10 }, () => {
          const order = p === 0 ? rooms : p === 1 ? [...rooms].reverse() : [...rooms.slice(4), ...rooms.slice(0, 4)];
          return Promise.all(order.map((room) => storage.appendMany(room, updates.slice(0, 1 + (p % 3)))));
        }),
      );
      await Promise.all(turns);
      // Per room: 10 turns x (1 + 2 + 3) entries.
      for (const room of rooms) expect(await seqsOf(pools[0], room)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    } finally {
      await end();
    }
  });

  it('keeps every acknowledged append through a crash of the database server in the middle of a stream, still without gaps', async () => {
    const { url, storages, end } = await processes(1);
    // The edits are made as the stream goes, so it lasts until the crash however fast the machine.
    const doc = new Y.Doc();
    let pending: Uint8Array | undefined;
    doc.on('update', (u: Uint8Array) => (pending = u));
    const acknowledged: number[] = [];
    const savedKeys: string[] = [];
    let failed = 0;
    let restarted: Promise<void> | undefined;
    try {
      // Appends one after another while the server is killed; a refused append is tried again once the
      // server is back (as a client keeps its edit), and the stream ends ten acknowledgements after that.
      const stream = (async () => {
        let afterCrash = 0;
        for (let i = 0; afterCrash < 10 && i < 100_000; ) {
          if (!pending) doc.getMap('entities').set(`e${i}`, { i });
          try {
            acknowledged.push(await storages[0].append('room', pending!));
            pending = undefined;
            savedKeys.push(`e${i++}`);
            if (failed > 0) afterCrash++;
          } catch {
            failed++;
            await restarted;
          }
        }
      })();
      await expect.poll(() => acknowledged.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(20);
      restarted = (await pgServer()).restart('immediate');
      await restarted;
      await stream;
      expect(failed).toBeGreaterThan(0);
    } finally {
      await end();
    }
    const pool = createPool(url);
    try {
      const stored = await seqsOf(pool, 'room');
      expect(stored).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
      expect(stored).toEqual(expect.arrayContaining(acknowledged));
      const loaded = keys((await new PostgresDocStorage(pool).load('room'))!.update);
      expect(loaded).toEqual(expect.arrayContaining(savedKeys));
      expect(keys(Y.encodeStateAsUpdate(doc))).toEqual(expect.arrayContaining(loaded));
    } finally {
      await pool.end();
    }
  });

  it('two processes compacting one room at once while a third appends: nothing is lost', async () => {
    const { storages, end } = await processes(3);
    try {
      const { doc, updates } = edits(40);
      for (const u of updates.slice(0, 20)) await storages[2].append('room', u);
      const at20 = Y.encodeStateAsUpdate(doc);
      const later = updates.slice(20);
      await Promise.all([
        storages[0].compact('room', at20, 20),
        storages[1].compact('room', at20, 15),
        (async () => {
          for (const u of later) await storages[2].append('room', u);
        })(),
      ]);
      const stored = await storages[1].load('room');
      expect(stored!.seq).toBe(40);
      expect(keys(stored!.update)).toEqual(keys(Y.encodeStateAsUpdate(doc)));
      expect(stored!.entries).toBeLessThanOrEqual(22);
    } finally {
      await end();
    }
  });
});
