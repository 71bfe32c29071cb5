/**
 * Group commit across rooms on PostgreSQL (#14, point 7): the append queues of
 * one process hand the batches of every room that are ready in one turn to the
 * storage together, and it writes them in one statement. On a real throwaway
 * PostgreSQL (test/support/postgres.ts); statements are counted by a wrapper
 * around the real pool's `query`, and one commit is told by the rows' `xmin`
 * (the transaction that wrote them).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import type { Pool } from '../../server/pg/pool.ts';
import { AppendQueue, MAX_BATCH } from '../../server/storage/appendQueue.ts';
import { PostgresDocStorage } from '../../server/storage/postgres.ts';
import { filePostgres, PG_START_TIMEOUT } from './contract-databases.ts';
import { int, prng } from './sync-helpers.ts';

const pg = filePostgres();
beforeAll(() => pg.server(), PG_START_TIMEOUT);

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

/** An append statement as sent: its rooms (in the order their rows are locked), their counts, and the room of each entry. */
type Statement = [rooms: string[], counts: number[], entries: string[]];

/** A pool on the file's database (emptied when `fresh`), whose append statements are recorded. */
async function countedPool(fresh: boolean): Promise<{ pool: Pool; appends: Statement[] }> {
  const pool = fresh ? await pg.fresh() : await pg.pool();
  pools.push(pool);
  const appends: Statement[] = [];
  const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
  pool.query = ((...args: unknown[]) => {
    const config = args[0] as { name?: string; values?: unknown[] };
    // One entry of one room has a statement of its own (./postgres.ts); every other append goes in `append_rooms`.
    if (config.name === 'convene_append') appends.push([[config.values![0] as string], [1], [config.values![0] as string]]);
    if (config.name === 'convene_append_rooms') appends.push(config.values!.slice(0, 3) as Statement);
    return query(...args);
  }) as Pool['query'];
  return { pool, appends };
}

/** `n` updates of a document, one entry each, labelled `label-i`. */
function updates(label: string, n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const out: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => out.push(u));
  for (let i = 0; i < n; i++) doc.getMap('entities').set(`${label}-${i}`, i);
  return out;
}

/** A room's queue on `storage`, recording what it hands on (number and update) and its failure. */
function roomQueue(storage: PostgresDocStorage, room: string) {
  const handed: { seq: number; update: Uint8Array }[] = [];
  const failures: string[] = [];
  const queue = new AppendQueue(room, storage, null, {
    compactAfterEntries: 1_000_000,
    compactAfterBytes: 1 << 30,
    source: { ready: () => false, snapshot: () => new Uint8Array() },
    hooks: { failed: (r, error) => failures.push(`${r}: ${(error as Error).message}`) },
  });
  const append = (update: Uint8Array) => queue.append(update, (seq) => handed.push({ seq, update }));
  return { room, queue, handed, failures, append };
}

const rowsOf = async (pool: Pool, room: string) =>
  (
    await pool.query<{ seq: string; data: Buffer; xmin: string }>('SELECT seq, data, xmin::text AS xmin FROM doc_updates WHERE room = $1 ORDER BY seq', [
      room,
    ])
  ).rows.map((r) => ({ seq: Number(r.seq), data: new Uint8Array(r.data), xmin: r.xmin }));

const count = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
/**
 * Resolves after the turn end the queues wait for, before anything put off
 * from it to the next turn: its first setImmediate runs in that same phase
 * (before the queues' hook, which is armed a microtask after the appends), and
 * the second one, armed there, runs first in the next turn, ahead of anything
 * the queues' hook or the storage would arm.
 */
const sameTurnAsQueues = async () => {
  await turn();
  await turn();
};

describe('PostgreSQL log: one statement per turn across rooms', () => {
  it("several rooms' appends of one turn go in one statement and one commit, sent within the turn after; each room is numbered 1, 2, 3… in its order", async () => {
    const { pool, appends } = await countedPool(true);
    const storage = new PostgresDocStorage(pool);
    const rooms = ['room-c', 'room-a', 'room-b', 'room-d'].map((room) => roomQueue(storage, room));
    const given = new Map(rooms.map((r, i) => [r.room, updates(r.room, 1 + i)]));
    // One turn: the rooms' appends interleaved, as the messages of several sockets would come.
    for (let i = 0; i < 4; i++) for (const r of rooms) if (given.get(r.room)![i]) r.append(given.get(r.room)![i]);
    expect(appends).toHaveLength(0);
    // The queues wait for the end of the turn; the statement leaves in that same phase, not a turn later.
    await sameTurnAsQueues();
    expect(appends).toHaveLength(1);
    // Rooms in name order (the order their rows are locked), each once, with its count.
    expect(appends[0].slice(0, 2)).toEqual([
      ['room-a', 'room-b', 'room-c', 'room-d'],
      [2, 3, 1, 4],
    ]);
    await Promise.all(rooms.map((r) => r.queue.idle()));
    const xmins = new Set<string>();
    for (const r of rooms) {
      const sent = given.get(r.room)!;
      expect(r.failures).toEqual([]);
      expect(r.handed.map((h) => h.seq)).toEqual(count(sent.length));
      expect(r.handed.map((h) => h.update)).toEqual(sent);
      const rows = await rowsOf(pool, r.room);
      expect(rows.map((row) => row.data)).toEqual(sent);
      for (const row of rows) xmins.add(row.xmin);
    }
    expect(xmins.size).toBe(1);
    expect(appends).toHaveLength(1);

    // The next turn's appends: one more statement, numbers going on.
    rooms[0].append(updates('later-c', 1)[0]);
    rooms[1].append(updates('later-a', 1)[0]);
    await Promise.all(rooms.map((r) => r.queue.idle()));
    expect(appends).toHaveLength(2);
    expect(rooms[0].handed.map((h) => h.seq)).toEqual([1, 2]);
    expect(rooms[1].handed.map((h) => h.seq)).toEqual([1, 2, 3]);
  });

  it('one writer: a single append leaves in the turn after it too, as one statement of one entry', async () => {
    const { pool, appends } = await countedPool(true);
    const one = roomQueue(new PostgresDocStorage(pool), 'solo');
    one.append(updates('solo', 1)[0]);
    await sameTurnAsQueues();
    expect(appends).toHaveLength(1);
    expect(appends[0].slice(0, 2)).toEqual([['solo'], [1]]);
    await one.queue.idle();
    expect(one.handed.map((h) => h.seq)).toEqual([1]);
  });

  it('keeps MAX_BATCH entries as the limit of a whole statement: past it the next rooms go in another, and a room is never split', async () => {
    const { pool, appends } = await countedPool(true);
    const storage = new PostgresDocStorage(pool);
    const rooms = ['r1', 'r2', 'r3'].map((room) => roomQueue(storage, room));
    const per = Math.floor(MAX_BATCH / 2) + 10;
    const given = rooms.map((r) => updates(r.room, per));
    for (let i = 0; i < per; i++) rooms.forEach((r, k) => r.append(given[k][i]));
    await Promise.all(rooms.map((r) => r.queue.idle()));
    const sizes = appends.map((values) => values[2].length);
    expect(sizes.every((n) => n <= MAX_BATCH)).toBe(true);
    expect(appends.map((values) => values[0])).toEqual([['r1'], ['r2'], ['r3']]);
    for (const [k, r] of rooms.entries()) {
      expect(r.handed.map((h) => h.seq)).toEqual(count(per));
      expect((await rowsOf(pool, r.room)).map((row) => row.data)).toEqual(given[k]);
    }
  });

  it('two processes appending to the same rooms in batches at once never deadlock, and number every room with no gap, each entry the update its queue handed on', async () => {
    const random = prng(0x14_07);
    const first = await countedPool(true);
    const second = await countedPool(false);
    const names = Array.from({ length: 8 }, (_, i) => `room-${i}`);
    const processes = [first, second].map(({ pool }) => {
      const storage = new PostgresDocStorage(pool);
      return names.map((room) => roomQueue(storage, room));
    });
    const sources = new Map(names.map((room) => [room, updates(room, 1000)]));
    const used = new Map(names.map((room) => [room, 0]));
    const take = (room: string) => {
      const n = used.get(room)!;
      used.set(room, n + 1);
      return sources.get(room)![n];
    };
    // 60 turns per process, the two interleaved: each turn appends 0 to 4 updates to each of some rooms, in a random
    // order; now and then a process waits for its statements, so that statements keep crossing the other's.
    const run = async (queues: ReturnType<typeof roomQueue>[]) => {
      for (let t = 0; t < 100; t++) {
        const order = [...queues];
        for (let i = order.length - 1; i > 0; i--) {
          const j = int(random, i + 1);
          [order[i], order[j]] = [order[j], order[i]];
        }
        for (const q of order.slice(0, 1 + int(random, queues.length))) for (let k = int(random, 5); k > 0; k--) q.append(take(q.room));
        if (random() < 0.5) await Promise.all(queues.map((q) => q.queue.idle()));
        else await turn();
      }
    };
    await Promise.all(processes.map(run));
    await Promise.all(processes.flat().map((q) => q.queue.idle()));
    for (const room of names) {
      const queues = processes.map((queues) => queues.find((q) => q.room === room)!);
      for (const q of queues) {
        expect(q.failures).toEqual([]);
        const seqs = q.handed.map((h) => h.seq);
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      }
      const rows = await rowsOf(first.pool, room);
      expect(rows.map((r) => r.seq)).toEqual(count(used.get(room)!));
      const bySeq = new Map(rows.map((r) => [r.seq, r.data]));
      for (const q of queues) for (const h of q.handed) expect(bySeq.get(h.seq)).toEqual(h.update);
      expect(queues[0].handed.length + queues[1].handed.length).toBe(used.get(room)!);
    }
    // Batched across rooms: far fewer statements than appends.
    const appended = [...used.values()].reduce((a, b) => a + b, 0);
    expect(appended).toBeGreaterThan(3 * (first.appends.length + second.appends.length));
  });

  it('a statement that PostgreSQL ends as a deadlock victim is sent again: every room is numbered once, with nothing lost or doubled', async () => {
    // The storage's sessions look for a deadlock 3 s into a wait (the other session's, 60 s): the test closes the
    // cycle well within that, so the storage's statement is the one PostgreSQL ends, even on a busy machine.
    const admin = await pg.pool(1);
    pools.push(admin);
    await admin.query("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET deadlock_timeout = %L', current_database(), '3s'); END $$");
    const { pool, appends } = await countedPool(true).finally(() =>
      admin.query("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET deadlock_timeout', current_database()); END $$"),
    );
    const storage = new PostgresDocStorage(pool);
    const [a, b] = ['room-a', 'room-b'].map((room) => roomQueue(storage, room));
    a.append(updates('a0', 1)[0]);
    b.append(updates('b0', 1)[0]);
    await Promise.all([a.queue.idle(), b.queue.idle()]);
    // Another session holds room-b's row, and will ask for room-a's once the statement holds it and waits
    // for room-b: a real deadlock, which the statement's session finds first.
    const otherPool = await pg.pool();
    pools.push(otherPool);
    const other = await otherPool.connect();
    try {
      await other.query("BEGIN; SET LOCAL deadlock_timeout = '60s'");
      await other.query("SELECT 1 FROM doc_rooms WHERE room = 'room-b' FOR UPDATE");
      const [ua, ub] = [updates('a1', 1)[0], updates('b1', 1)[0]];
      a.append(ua);
      b.append(ub);
      await vi.waitFor(async () => {
        const { rows } = await other.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%doc_rooms%' AND pid <> pg_backend_pid()");
        expect(rows[0].n).toBe(1);
      }, { timeout: 10_000, interval: 20 });
      await other.query("UPDATE doc_rooms SET last_seq = last_seq WHERE room = 'room-a'");
      await other.query('COMMIT');
      await Promise.all([a.queue.idle(), b.queue.idle()]);
      expect([a.failures, b.failures]).toEqual([[], []]);
      // Sent twice: the first was the victim, rolled back whole.
      expect(appends.slice(-2).map((s) => s[0])).toEqual([
        ['room-a', 'room-b'],
        ['room-a', 'room-b'],
      ]);
      expect(a.handed.map((h) => h.seq)).toEqual([1, 2]);
      expect(b.handed.map((h) => h.seq)).toEqual([1, 2]);
      expect((await rowsOf(pool, 'room-a')).map((r) => [r.seq, r.data])).toEqual([[1, a.handed[0].update], [2, ua]]);
      expect((await rowsOf(pool, 'room-b')).map((r) => [r.seq, r.data])).toEqual([[1, b.handed[0].update], [2, ub]]);
    } finally {
      await other.query('ROLLBACK').catch(() => undefined);
      other.release();
    }
  }, 30_000);

  it('a failed statement fails every room whose entries were in it; none is handed on or stored, and rooms of the next statement go on', async () => {
    const { pool, appends } = await countedPool(true);
    const storage = new PostgresDocStorage(pool);
    // PostgreSQL's text cannot hold a NUL: this room's name fails the statement it is in.
    const rooms = ['room-a', 'bad\u0000room', 'room-b'].map((room) => roomQueue(storage, room));
    for (const r of rooms) for (const u of updates(r.room.replace('\u0000', ''), 2)) r.append(u);
    await Promise.all(rooms.map((r) => r.queue.idle()));
    expect(appends).toHaveLength(1);
    for (const r of rooms) {
      expect(r.queue.failed).toBe(true);
      expect(r.handed).toEqual([]);
      expect(r.failures).toEqual([expect.stringMatching(/invalid byte sequence/)]);
    }
    for (const room of ['room-a', 'room-b']) expect(await rowsOf(pool, room)).toEqual([]);
    // Another room of the same storage, in a later statement, is not held by that failure.
    const next = roomQueue(storage, 'room-c');
    next.append(updates('room-c', 1)[0]);
    await next.queue.idle();
    expect(next.handed.map((h) => h.seq)).toEqual([1]);
  });

  it('the database stopped: every room of the statement fails, none is acknowledged, and nothing of it is stored once the database is back', async () => {
    const { pool } = await countedPool(true);
    const storage = new PostgresDocStorage(pool);
    const rooms = ['room-a', 'room-b', 'room-c'].map((room) => roomQueue(storage, room));
    // The rooms exist already (their rows are there), and the pool holds a connection.
    for (const r of rooms) r.append(updates(`${r.room}-before`, 1)[0]);
    await Promise.all(rooms.map((r) => r.queue.idle()));
    const server = await pg.server();
    await server.halt('immediate');
    try {
      for (const r of rooms) for (const u of updates(r.room, 3)) r.append(u);
      await Promise.all(rooms.map((r) => r.queue.idle()));
    } finally {
      await server.resume();
    }
    for (const r of rooms) {
      expect(r.queue.failed).toBe(true);
      expect(r.failures).toHaveLength(1);
      expect(r.handed.map((h) => h.seq)).toEqual([1]);
    }
    const check = await pg.pool();
    pools.push(check);
    for (const r of rooms) expect((await rowsOf(check, r.room)).map((row) => row.seq)).toEqual([1]);
  });
});
