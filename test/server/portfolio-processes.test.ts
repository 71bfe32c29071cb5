/**
 * The portfolio's figures across processes (#14 points 3 and 7; docs/portfolio.md,
 * "Across processes"): two Convene servers in this test process, each with its
 * own pool on one real PostgreSQL and its own RedisFanout on one real Redis,
 * and a third "process" z that only appends and publishes. Each server's
 * recomputations wait on a schedule the test runs by hand; the status store
 * each server writes through counts its calls (every full recomputation ends
 * in one `put`; every check reads one `stored`). One process on SQLite last.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { PortfolioRow } from '../../src/contract/index.ts';
import { createEntity } from '../../src/schema/index.ts';
import { openPostgresStores } from '../../server/pg/stores.ts';
import type { StatusStore } from '../../server/portfolio/types.ts';
import { PostgresDocStorage } from '../../server/storage/postgres.ts';
import { RedisFanout } from '../../server/sync/fanout.ts';
import type { Schedule } from '../../server/workflow/runner.ts';
import { redisSuite } from '../support/redisSuite.ts';
import { filePostgres, PG_START_TIMEOUT } from './contract-databases.ts';
import { manualClock } from './fanoutClock.ts';
import { openSqliteStores } from '../../server/sqliteStores.ts';
import type { Room } from '../../server/sync/room.ts';
import { rawClient, startHarness, testClock, type Harness, type TestClock } from './harness.ts';

const pg = filePostgres();
const suite = redisSuite();
const DELAY = 500;

/** Tasks that run only when the test says so; running them waits for what they started. */
function manualSchedule() {
  const due: { task: () => void; ms: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (task, ms) => {
    const entry = { task, ms, cancelled: false };
    due.push(entry);
    return () => void (entry.cancelled = true);
  };
  return {
    schedule,
    /** The delays of the tasks waiting, in the order they were scheduled. */
    waiting: () => due.filter((e) => !e.cancelled).map((e) => e.ms),
    async run() {
      const now = due.splice(0).filter((e) => !e.cancelled);
      await Promise.all(now.map((e) => Promise.resolve(e.task() as unknown)));
    },
  };
}

/** The status store with its calls counted; `die()` makes every later call fail, as a dead process's would never arrive. */
function counted(inner: StatusStore) {
  const calls = { put: 0, stored: 0 };
  let dead = false;
  const alive = () => {
    if (dead) throw new Error('this process is dead');
  };
  const store: StatusStore = {
    get: async (ids) => (alive(), inner.get(ids)),
    stored: async (id) => (alive(), calls.stored++, inner.stored(id)),
    put: async (id, figures, at, seq) => (alive(), calls.put++, inner.put(id, figures, at, seq)),
  };
  return { store, calls, die: () => void (dead = true), inner };
}

/** One server on the file's database and the suite's Redis, its portfolio on a manual schedule. */
async function server(node: string, url: string, adminToken: string, clock: TestClock) {
  const stores = await openPostgresStores(url, clock.now);
  const statuses = counted(stores.statuses);
  const timers = manualSchedule();
  const fanout = new RedisFanout(suite.redis.url, { node, clock: manualClock().clock });
  const h = await startHarness({
    stores: { ...stores, statuses: statuses.store },
    lock: stores.lock,
    adminToken,
    fanout,
    clock: clock.now,
    portfolio: { schedule: timers.schedule, delayMs: DELAY, jitterMs: () => 0 },
    room: { link: { quietMs: 600_000 } },
  });
  await vi.waitFor(() => expect(fanout.ready).toBe(true));
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await h.stop();
  };
  suite.ends.push(stop);
  return { h, timers, statuses, stop };
}

/** Two servers on an emptied database; an initiative whose room both hold loaded, its first figures stored. */
async function twoProcesses() {
  const url = await pg.database();
  await (await pg.fresh(1)).end();
  const clock = testClock();
  const adminToken = randomBytes(24).toString('hex');
  const a = await server('a', url, adminToken, clock);
  const b = await server('b', url, adminToken, clock);
  const id = await a.h.createInitiative('Riverside Homelessness Partnership');
  // Both hold the room, as a connected client would.
  for (const p of [a, b]) {
    const room = await p.h.convene.rooms.open(id);
    suite.ends.unshift(async () => p.h.convene.rooms.abandon(room));
  }
  await a.timers.run();
  await b.timers.run();
  await vi.waitFor(async () => expect(await a.statuses.inner.stored(id)).toBeDefined());
  for (const p of [a, b]) Object.assign(p.statuses.calls, { put: 0, stored: 0 });
  return { a, b, id, clock };
}

/** What `read` answers of the room as the process `p` holds it (loaded meanwhile). */
async function onRoom<T>(p: { h: Harness }, id: string, read: (room: Room) => T): Promise<T> {
  const room = await p.h.convene.rooms.open(id);
  try {
    return read(room);
  } finally {
    p.h.convene.rooms.abandon(room);
  }
}

const strategy = (name: string) => (doc: Y.Doc) => createEntity(doc, 'strategy', { name });
const iso = (ms: number) => new Date(ms).toISOString();

describe('the portfolio across two processes on PostgreSQL and Redis', () => {
  beforeAll(() => pg.database(), PG_START_TIMEOUT);

  it('an edit taken by one process is recomputed by it; the other, having heard it, reads the stored row and recomputes nothing', async () => {
    const { a, b, id, clock } = await twoProcesses();
    clock.advance(60_000);
    await a.h.convene.rooms.withDoc(id, strategy('Every family housed within 30 days'));
    expect(a.timers.waiting()).toEqual([DELAY]);
    // b hears a's entry over Redis: a backup check, later.
    await vi.waitFor(() => expect(b.timers.waiting()).toEqual([2 * DELAY]));
    const edited = clock.now();
    clock.advance(DELAY);

    await a.timers.run();
    expect(a.statuses.calls.put).toBe(1);
    const stored = (await a.statuses.inner.stored(id))!;
    // The number of a's entry: read before the view read the document that holds it.
    expect(stored.seq).toBe(await onRoom(a, id, (room) => room.seq));
    expect(stored.seq).toBeGreaterThan(0);
    expect(stored.figures.lastActivityAt).toBe(iso(edited));

    clock.advance(DELAY);
    await b.timers.run();
    expect(b.statuses.calls).toEqual({ put: 0, stored: 1 });
    expect(b.timers.waiting()).toEqual([]);
  });

  it('edits taken by both processes: one recomputes, the other finds its own edit in the stored figures and recomputes nothing', async () => {
    const { a, b, id, clock } = await twoProcesses();
    clock.advance(60_000);
    await a.h.convene.rooms.withDoc(id, strategy('Every family housed within 30 days'));
    await vi.waitFor(() => expect(b.timers.waiting()).toEqual([2 * DELAY]));
    await b.h.convene.rooms.withDoc(id, strategy('A landlord partnership'));
    // Ours too now: b's window is due after the delay.
    expect(b.timers.waiting()).toEqual([DELAY]);
    await vi.waitFor(async () => expect(await onRoom(a, id, (room) => room.seq)).toBe(await onRoom(b, id, (room) => room.seq)));

    await a.timers.run();
    expect(a.statuses.calls).toEqual({ put: 1, stored: 1 });
    expect((await a.statuses.inner.stored(id))!.seq).toBe(await onRoom(b, id, (room) => room.seq));
    // b's edit came after its window opened: checked in a window of its own, as is b's entry on a. Having found
    // the figures stored, b follows: its next window is due after twice the delay, though it holds an edit of b's.
    await b.timers.run();
    expect(b.timers.waiting()).toEqual([2 * DELAY]);
    await b.timers.run();
    expect(a.timers.waiting()).toEqual([2 * DELAY]);
    await a.timers.run();
    expect(b.statuses.calls).toEqual({ put: 0, stored: 2 });
    expect(a.statuses.calls).toEqual({ put: 1, stored: 2 });
  });

  it('when the process that took an edit dies before its timer, the other recomputes it', async () => {
    const { a, b, id, clock } = await twoProcesses();
    // At the time the stored figures hold as the last activity: only the log number says they lack the edit.
    const edited = clock.now();
    expect((await b.statuses.inner.stored(id))!.figures.lastActivityAt).toBe(iso(edited));
    await a.h.convene.rooms.withDoc(id, strategy('Every family housed within 30 days'));
    await vi.waitFor(() => expect(b.timers.waiting()).toEqual([2 * DELAY]));
    const before = (await b.statuses.inner.stored(id))!;
    // a dies: its timer never runs, and nothing it would still do reaches the database.
    a.statuses.die();
    await a.stop();
    expect(a.statuses.calls.put).toBe(0);

    clock.advance(2 * DELAY);
    await b.timers.run();
    expect(b.statuses.calls).toEqual({ put: 1, stored: 1 });
    const after = (await b.statuses.inner.stored(id))!;
    expect(after.seq).toBeGreaterThan(before.seq ?? 0);
    expect(after.figures.lastActivityAt).toBe(iso(edited));

    // What browsers get: the row as the contract has it, without the log number.
    const rows = (await b.h.api('GET', '/api/portfolio')).body as PortfolioRow[];
    const row = rows.find((r) => r.id === id)!;
    expect(row.lastActivityAt).toBe(iso(edited));
    expect(Object.keys(row).sort()).toEqual(
      ['estimate', 'id', 'lastActivityAt', 'lastWorkshop', 'name', 'parentId', 'progress', 'reportCard', 'role', 'stage', 'stageSince', 'unmet'].sort(),
    );
    expect(JSON.stringify(rows)).not.toMatch(/seq/);
  });

  it('an edit numbered past an entry this process had not heard is not taken as covered by figures stored from that entry', async () => {
    const { a, b, id, clock } = await twoProcesses();
    const before = await onRoom(a, id, (room) => room.seq);
    // Another process's entry takes the next number; a has not heard it (it is never published).
    const pool = await pg.pool(1);
    suite.ends.push(() => pool.end());
    const other = new Y.Doc();
    other.getMap('entities').set('someone else', { name: 'someone else' });
    expect(await new PostgresDocStorage(pool).append(id, Y.encodeStateAsUpdate(other))).toBe(before + 1);
    clock.advance(60_000);
    await a.h.convene.rooms.withDoc(id, strategy('Every family housed within 30 days'));
    // a's edit is heard as at least the next number; its append lands one past it.
    await vi.waitFor(async () => expect(await a.h.convene.rooms.appendedThrough(id)).toBe(before + 2));
    // Figures stored from the document up to the other entry only (as b would, having heard that entry first).
    const stored = (await a.statuses.inner.stored(id))!;
    await a.statuses.inner.put(id, { ...stored.figures, lastActivityAt: iso(clock.now()) }, iso(clock.now()), before + 1);
    clock.advance(DELAY);
    await a.timers.run();
    // Not covered: a recomputes, from a document that holds its edit.
    expect(a.statuses.calls.put).toBe(1);
    expect((await a.statuses.inner.stored(id))!.seq).toBeGreaterThanOrEqual(before + 2);
    void b;
  });

  it("a client's edit held back until another process's entry releases it is stamped and recomputed, once", async () => {
    const { a, b, id, clock } = await twoProcesses();
    // A client of b sends an edit made on top of one b has not got (made through z, a process without a portfolio).
    const client = new Y.Doc();
    const edits: Uint8Array[] = [];
    client.on('update', (u: Uint8Array) => edits.push(u));
    client.getMap('entities').set('library', { name: 'library' });
    client.getMap('entities').set('clinic', { name: 'clinic' });
    const token = await b.h.invite(id, 'participant');
    const raw = rawClient(b.h.url, id, token);
    suite.ends.unshift(async () => raw.ws.close());
    await raw.opened;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, edits[1]);
    raw.ws.send(encoding.toUint8Array(e));
    const hasOn = (p: typeof a, key: string) => p.h.convene.rooms.withDoc(id, (doc) => doc.getMap('entities').has(key));
    await vi.waitFor(async () => expect(await onRoom(b, id, (room) => room.doc.store.pendingStructs !== null)).toBe(true));
    expect(await hasOn(b, 'clinic')).toBe(false);
    expect(b.timers.waiting()).toEqual([]);

    clock.advance(60_000);
    const released = clock.now();
    const pool = await pg.pool(1);
    suite.ends.push(() => pool.end());
    const z = new RedisFanout(suite.redis.url, { node: 'z', clock: manualClock().clock });
    suite.ends.push(() => z.close());
    await vi.waitFor(() => expect(z.ready).toBe(true));
    z.publishUpdate(id, await new PostgresDocStorage(pool).append(id, edits[0]), edits[0]);
    // b takes z's entry, which releases the client's edit (origin: another process); a gets b's entry of it.
    await vi.waitFor(async () => expect(await hasOn(a, 'clinic')).toBe(true));
    // Heard on both as another process's change: a backup check each, and no process took it as its own.
    expect(b.timers.waiting()).toEqual([2 * DELAY]);
    await vi.waitFor(() => expect(a.timers.waiting()).toEqual([2 * DELAY]));

    clock.advance(2 * DELAY);
    await b.timers.run();
    expect(b.statuses.calls).toEqual({ put: 1, stored: 1 });
    const stored = (await b.statuses.inner.stored(id))!;
    expect(stored.figures.lastActivityAt).toBe(iso(released));
    // a: what it heard (z's entry, then b's) is covered by b's figures; the later entry in a window of its own.
    await a.timers.run();
    expect(a.timers.waiting()).toEqual([2 * DELAY]);
    await a.timers.run();
    expect(a.statuses.calls).toEqual({ put: 0, stored: 2 });
    expect(a.timers.waiting()).toEqual([]);
  });
});

describe('one process on SQLite', () => {
  it('an edit is recomputed after the delay, without a check and without a log number', async () => {
    const timers = manualSchedule();
    const dataDir = mkdtempSync(join(tmpdir(), 'convene-test-'));
    const stores = openSqliteStores(dataDir, Date.now, () => {});
    const statuses = counted(stores.statuses);
    const h = await startHarness({ dataDir, stores: { ...stores, statuses: statuses.store }, portfolio: { schedule: timers.schedule, delayMs: DELAY } });
    suite.ends.push(() => h.stop());
    const id = await h.createInitiative();
    await timers.run();
    await vi.waitFor(async () => expect(await statuses.inner.stored(id)).toBeDefined());
    Object.assign(statuses.calls, { put: 0, stored: 0 });
    await h.convene.rooms.withDoc(id, strategy('Every family housed within 30 days'));
    await h.convene.rooms.withDoc(id, strategy('A landlord partnership'));
    expect(timers.waiting()).toEqual([DELAY]);
    await timers.run();
    await vi.waitFor(() => expect(statuses.calls.put).toBe(1));
    expect(statuses.calls.stored).toBe(0);
    expect((await statuses.inner.stored(id))?.seq).toBeNull();
  });
});
