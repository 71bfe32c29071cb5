/**
 * Rooms across server processes (#14 point 2): two Convene servers in this
 * process, each with its own RedisFanout on one real Redis and its own pool on
 * one real PostgreSQL (the document log), sharing the SQLite data directory
 * for people; real y-websocket clients on both. Heartbeats run on a clock the
 * test moves; everything else on real timers, with retried assertions.
 *
 * Over 400 lines on purpose: one throwaway Redis and PostgreSQL (and two
 * servers) per file take seconds to start on a busy machine, so every
 * cross-process case shares them here rather than starting them twice.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import { Redis } from 'ioredis';
import { migrate } from '../../server/pg/migrate.ts';
import { createPool, type Pool } from '../../server/pg/pool.ts';
import { PostgresDocStorage } from '../../server/storage/postgres.ts';
import { RedisFanout, type Fanout, type NodeChange, type RoomListener } from '../../server/sync/fanout.ts';
import type { BatchScheduler } from '../../server/sync/presenceBatch.ts';
import { MESSAGE_SYNC, Room, type Peer } from '../../server/sync/room.ts';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';
import { int, prng } from './sync-helpers.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { manualClock } from './fanoutClock.ts';

/** A real RedisFanout that loses the next `dropUpdates` document updates it should publish, as Redis pub/sub may. */
class LossyFanout implements Fanout {
  dropUpdates = 0;
  constructor(readonly inner: RedisFanout) {}
  get node() {
    return this.inner.node;
  }
  publishUpdate(room: string, seq: number, update: Uint8Array) {
    if (this.dropUpdates > 0) this.dropUpdates--;
    else this.inner.publishUpdate(room, seq, update);
  }
  publishPresence(room: string, update: Uint8Array) {
    this.inner.publishPresence(room, update);
  }
  queryPresence(room: string) {
    this.inner.queryPresence(room);
  }
  subscribe(room: string, listener: RoomListener) {
    return this.inner.subscribe(room, listener);
  }
  unsubscribe(room: string, listener: RoomListener) {
    this.inner.unsubscribe(room, listener);
  }
  onReconnect(listener: () => void) {
    return this.inner.onReconnect(listener);
  }
  onNodeChange(listener: (change: NodeChange) => void) {
    return this.inner.onNodeChange(listener);
  }
  close() {
    return this.inner.close();
  }
}

let redis: TestRedis;
let postgres: TestPostgres;
const pools: Pool[] = [];
let a: Harness;
let b: Harness;
let fanoutA: RedisFanout;
let fanoutB: RedisFanout;
const clockA = manualClock();
const clockB = manualClock();
let initiative: string;
const clients: SyncClient[] = [];

beforeAll(async () => {
  [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  const url = await postgres.createDatabase();
  const first = createPool(url, { max: 1 });
  await migrate(first).finally(() => first.end());
  const storage = () => {
    const pool = createPool(url, { max: 4 });
    pools.push(pool);
    return new PostgresDocStorage(pool);
  };
  fanoutA = new RedisFanout(redis.url, { node: 'a', clock: clockA.clock });
  fanoutB = new RedisFanout(redis.url, { node: 'b', clock: clockB.clock });
  const dataDir = mkdtempSync(join(tmpdir(), 'convene-fanout-'));
  const adminToken = randomBytes(24).toString('hex');
  // A gap waits 50 ms for the update that crosses it; the quiet fetch is out of the way (tested on its own below).
  const room = { link: { gapWaitMs: 50, quietMs: 600_000 } };
  a = await startHarness({ dataDir, adminToken, storage: storage(), fanout: fanoutA, room });
  b = await startHarness({ dataDir, adminToken, storage: storage(), fanout: fanoutB, room });
  await vi.waitFor(() => expect(fanoutA.ready && fanoutB.ready).toBe(true));
  initiative = await a.createInitiative();
}, 60_000);

// Clients of one test leave before the next (their renewals would count as news from their process).
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
  await b?.convene.close();
  await a?.stop();
  await Promise.all(pools.map((p) => p.end()));
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

async function connect(h: Harness, role = 'participant', id = initiative): Promise<SyncClient> {
  const client = syncClient(h.url, id, await h.invite(id, role));
  clients.push(client);
  await client.synced;
  return client;
}

const entities = (client: SyncClient) => client.doc.getMap('entities');
/** The document's content, keys sorted (a map's key order is the order each copy learnt them in). */
const content = (doc: Y.Doc) => {
  const map = doc.getMap('entities');
  return JSON.stringify({ entities: [...map.keys()].sort().map((k) => [k, map.get(k)]), notes: doc.getText('notes').toString() });
};

/** The room's document as stored in PostgreSQL. */
async function stored(id: string): Promise<Y.Doc> {
  const doc = new Y.Doc();
  const log = await new PostgresDocStorage(pools[0]).load(id);
  if (log) Y.applyUpdate(doc, log.update);
  return doc;
}

/** Counts the update messages published on a room's channel, seen by a plain Redis subscriber. */
async function channelCounter(id: string) {
  const sub = new Redis(redis.url);
  let updates = 0;
  sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => message[0] === 0 && updates++);
  await sub.subscribe(`convene:room:${id}`);
  return {
    get updates() {
      return updates;
    },
    stop: () => sub.disconnect(),
  };
}

describe('documents across processes', () => {
  it('an edit on one process reaches the clients of the other, published once and never echoed back', async () => {
    const id = await a.createInitiative('Harbor Youth Partnership');
    const counter = await channelCounter(id);
    try {
      const [onA, onA2, onB] = [await connect(a, 'participant', id), await connect(a, 'participant', id), await connect(b, 'participant', id)];
      entities(onA).set('school-board', { name: 'School board', sector: 'government' });
      await vi.waitFor(() => expect(entities(onB).get('school-board')).toEqual({ name: 'School board', sector: 'government' }));
      await vi.waitFor(() => expect(entities(onA2).has('school-board')).toBe(true));
      entities(onB).set('food-bank', { name: 'Food bank', sector: 'nonprofit' });
      await vi.waitFor(() => expect(entities(onA).has('food-bank') && entities(onA2).has('food-bank')).toBe(true));
      // One message per edit, from the process that stored it; the receiver publishes nothing back.
      await vi.waitFor(() => expect(counter.updates).toBe(2));
      const doc = await stored(id);
      expect(content(doc)).toBe(content(onA.doc));
      // Each edit is in the log once: the receiving process appended nothing.
      const { rows } = await pools[0].query('SELECT count(*)::int AS n FROM doc_updates WHERE room = $1', [id]);
      expect(rows[0].n).toBe(2);
    } finally {
      counter.stop();
    }
  });

  it('a seeded random run of clients on both processes converges, and equals the stored document', async () => {
    const id = await a.createInitiative('Valley Food Security Network');
    const people = [await connect(a, 'participant', id), await connect(a, 'participant', id), await connect(b, 'participant', id), await connect(b, 'participant', id), await connect(b, 'lead', id)];
    const random = prng(1414);
    for (let step = 0; step < 300; step++) {
      const who = people[int(random, people.length)];
      const op = int(random, 3);
      const key = `e${int(random, 40)}`;
      if (op === 0) entities(who).set(key, { step, weight: int(random, 100) });
      else if (op === 1) entities(who).delete(key);
      else {
        const text = who.doc.getText('notes');
        text.insert(int(random, text.length + 1), String.fromCharCode(97 + int(random, 26)));
      }
      // Let the sockets breathe now and then, so edits cross while others are made.
      if (step % 25 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await vi.waitFor(() => expect(new Set(people.map((p) => content(p.doc))).size).toBe(1), { timeout: 15_000 });
    await vi.waitFor(async () => expect(content(await stored(id))).toBe(content(people[0].doc)), { timeout: 5_000 });
    expect(people[0].doc.getText('notes').length).toBeGreaterThan(0);
  });

  it('an observer on the other process receives every edit, and its own edits reach no one', async () => {
    const id = await a.createInitiative('Riverside Homelessness Partnership');
    const [writer, observer] = [await connect(a, 'participant', id), await connect(b, 'observer', id)];
    entities(observer).set('forged', { name: 'Not allowed' });
    entities(writer).set('shelter', { name: 'Shelter' });
    await vi.waitFor(() => expect(entities(observer).has('shelter')).toBe(true));
    expect(entities(writer).has('forged')).toBe(false);
    expect((await stored(id)).getMap('entities').has('forged')).toBe(false);
  });
});

type Presence = { cursor?: { x: number; y: number }; user?: { name?: string; role?: string } } | undefined;
const presenceOf = (watcher: SyncClient, of: SyncClient) => watcher.provider.awareness.getStates().get(of.doc.clientID) as Presence;

describe('presence across processes', () => {
  it('crosses with the name and role from the session, and a client that leaves is gone on the other process at once', async () => {
    const id = await a.createInitiative('Eastside Literacy Coalition');
    const [onA, onB] = [await connect(a, 'participant', id), await connect(b, 'facilitator', id)];
    onA.provider.awareness.setLocalState({ cursor: { x: 10, y: 20 }, user: { name: 'Forged name', role: 'admin' } });
    await vi.waitFor(() => expect(presenceOf(onB, onA)?.cursor).toEqual({ x: 10, y: 20 }));
    expect(presenceOf(onB, onA)?.user).toMatchObject({ role: 'participant' });
    expect(presenceOf(onB, onA)?.user?.name).not.toBe('Forged name');
    onB.provider.awareness.setLocalStateField('cursor', { x: 1, y: 2 });
    await vi.waitFor(() => expect(presenceOf(onA, onB)?.user).toMatchObject({ role: 'facilitator' }));
    onA.destroy();
    clients.splice(clients.indexOf(onA), 1);
    await vi.waitFor(() => expect(presenceOf(onB, onA)).toBeUndefined(), { timeout: 2_000 });
  });

  it('a newcomer on one process sees who is already present on the other', async () => {
    const id = await a.createInitiative('Northside Health Alliance');
    const early = await connect(b, 'participant', id);
    early.provider.awareness.setLocalStateField('cursor', { x: 5, y: 5 });
    const late = await connect(a, 'participant', id);
    await vi.waitFor(() => expect(presenceOf(late, early)?.cursor).toEqual({ x: 5, y: 5 }));
  });

  it('a process not heard for the timeout loses its clients’ presence on the others, which get it back once it is heard again', async () => {
    const id = await a.createInitiative('Lakeshore Workforce Initiative');
    const [onA, onB] = [await connect(a, 'participant', id), await connect(b, 'participant', id)];
    onB.provider.awareness.setLocalStateField('cursor', { x: 7, y: 7 });
    await vi.waitFor(() => expect(presenceOf(onA, onB)?.cursor).toEqual({ x: 7, y: 7 }));
    const room = await a.convene.rooms.open(id);
    a.convene.rooms.joined(room);
    const held = () => room.awareness.getStates().has(onB.doc.clientID);
    // Process b falls silent (no heartbeat, no goodbye): its clock no longer moves, a's does.
    clockA.advance(1000);
    clockA.advance(1000);
    clockA.advance(1000);
    expect(held()).toBe(true);
    clockA.advance(1000);
    // Past three seconds: dropped at once on a, and its clients hear it with the next batch.
    expect(held()).toBe(false);
    await vi.waitFor(() => expect(presenceOf(onA, onB)).toBeUndefined(), { timeout: 2_000 });
    // b's heartbeat is heard again: a asks for its clients' presence.
    clockB.advance(1000);
    await vi.waitFor(() => expect(presenceOf(onA, onB)?.cursor).toEqual({ x: 7, y: 7 }), { timeout: 2_000 });
  });
});

/** A sync update message setting `key` in the entities map, as a client would send it. */
function updateMessage(key: string, value: unknown): Uint8Array {
  const edit = new Y.Doc();
  edit.getMap('entities').set(key, value);
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeUpdate(e, Y.encodeStateAsUpdate(edit));
  edit.destroy();
  return encoding.toUint8Array(e);
}

/**
 * One room loaded by two processes without servers: x and y, each with a real
 * fanout (that may drop its publishes) on the file's Redis, the file's
 * PostgreSQL, one connected client each, and link timers the test ticks.
 */
async function twoRooms(options: { quietMs: number; compactAfterEntries?: number }) {
  const due = new Set<() => void>();
  const scheduler: BatchScheduler = (run) => {
    due.add(run);
    return () => void due.delete(run);
  };
  const timers = {
    tick() {
      const now = [...due];
      due.clear();
      for (const run of now) run();
    },
  };
  const x = new LossyFanout(new RedisFanout(redis.url, { clock: manualClock().clock }));
  const y = new LossyFanout(new RedisFanout(redis.url, { clock: manualClock().clock }));
  await vi.waitFor(() => expect(x.inner.ready && y.inner.ready).toBe(true));
  const storage = new PostgresDocStorage(pools[0]);
  const name = `room-${randomBytes(4).toString('hex')}`;
  const roomOptions = (fanout: Fanout) => ({
    compactAfterEntries: options.compactAfterEntries,
    link: { fanout, scheduler, quietMs: options.quietMs, gapWaitMs: 50 },
  });
  const [roomX, roomY] = [await Room.load(name, storage, roomOptions(x)), await Room.load(name, storage, roomOptions(y))];
  const peer = (id: string): Peer & { sent: Uint8Array[] } => {
    const sent: Uint8Array[] = [];
    return { id, readOnly: false, user: { name: id, role: 'participant' }, sent, send: (m) => sent.push(m), close: () => {} };
  };
  const [px, py] = [peer('px'), peer('py')];
  roomX.join(px);
  roomY.join(py);
  return {
    x,
    y,
    roomX,
    roomY,
    px,
    py,
    timers,
    name,
    async end() {
      roomX.leave(px);
      roomY.leave(py);
      roomX.destroy();
      roomY.destroy();
      await Promise.all([x.close(), y.close()]);
    },
  };
}

describe('what Redis loses is fetched from the database', () => {
  it('a dropped update shows as a gap in the numbers, and the process that saw it fetches what it lacks', async () => {
    const lossy = new LossyFanout(new RedisFanout(redis.url, { node: 'c', clock: manualClock().clock }));
    await vi.waitFor(() => expect(lossy.inner.ready).toBe(true));
    const c = await startHarness({ dataDir: a.dataDir, adminToken: a.adminToken, storage: new PostgresDocStorage(pools[0]), fanout: lossy, room: { link: { gapWaitMs: 50, quietMs: 600_000 } } });
    try {
      const id = await a.createInitiative('Mill Valley Early Years');
      const [onA, onC] = [await connect(a, 'participant', id), await connect(c, 'participant', id)];
      lossy.dropUpdates = 1;
      entities(onC).set('library', { name: 'Library' });
      await vi.waitFor(() => expect(lossy.dropUpdates).toBe(0));
      entities(onC).set('clinic', { name: 'Clinic' });
      await vi.waitFor(() => expect(entities(onA).get('library')).toEqual({ name: 'Library' }));
      expect(entities(onA).get('clinic')).toEqual({ name: 'Clinic' });
      // A dropped update and no gap yet: what reads the document on a (exports, the workflow's guards) fetches it first.
      lossy.dropUpdates = 1;
      entities(onC).set('school', { name: 'School' });
      await vi.waitFor(() => expect(lossy.dropUpdates).toBe(0));
      expect(await a.convene.rooms.withDoc(id, (doc) => doc.getMap('entities').get('school'))).toEqual({ name: 'School' });
      onC.destroy();
      clients.splice(clients.indexOf(onC), 1);
    } finally {
      await c.convene.close();
    }
  });

  it('a dropped last update shows no gap: a room with clients that heard nothing for a while fetches it', async () => {
    const { x, roomX, roomY, px, py, timers, name, end } = await twoRooms({ quietMs: 1000 });
    try {
      x.dropUpdates = 1;
      const before = py.sent.length;
      roomX.receive(px, updateMessage('garden', { name: 'Community garden' }));
      await roomX.idle();
      expect(x.dropUpdates).toBe(0);
      expect(roomY.doc.getMap('entities').has('garden')).toBe(false);
      // The quiet timer: nothing heard since it was armed, a client is connected.
      timers.tick();
      await vi.waitFor(() => expect(roomY.doc.getMap('entities').get('garden')).toEqual({ name: 'Community garden' }));
      // Relayed to y's own client, and not stored a second time.
      expect(py.sent.length).toBeGreaterThan(before);
      const { rows } = await pools[0].query('SELECT count(*)::int AS n FROM doc_updates WHERE room = $1', [name]);
      expect(rows[0].n).toBe(1);
    } finally {
      await end();
    }
  });

  it('a process that missed an update compacts only what its document holds: the missed entry stays in the log', async () => {
    const { y, roomX, roomY, px, py, timers, name, end } = await twoRooms({ quietMs: 600_000, compactAfterEntries: 2 });
    try {
      y.dropUpdates = 1;
      roomY.receive(py, updateMessage('from-y', { n: 0 }));
      await roomY.idle();
      // x never heard of it; its own three entries come after it, past x's compaction threshold.
      for (const key of ['x1', 'x2', 'x3']) roomX.receive(px, updateMessage(key, { n: 1 }));
      await roomX.idle();
      expect(roomX.doc.getMap('entities').has('from-y')).toBe(false);
      const storage = new PostgresDocStorage(pools[0]);
      const keysStored = async () => {
        const doc = new Y.Doc();
        Y.applyUpdate(doc, (await storage.load(name))!.update);
        return [...doc.getMap('entities').keys()].sort();
      };
      expect(await keysStored()).toEqual(['from-y', 'x1', 'x2', 'x3']);
      // Once the gap is fetched, x holds everything, and its compaction keeps it all.
      timers.tick();
      await vi.waitFor(() => expect(roomX.doc.getMap('entities').has('from-y')).toBe(true));
      roomX.receive(px, updateMessage('x4', { n: 2 }));
      await roomX.idle();
      expect((await storage.load(name))!.entries).toBeLessThan(5);
      expect(await keysStored()).toEqual(['from-y', 'x1', 'x2', 'x3', 'x4']);
    } finally {
      await end();
    }
  });

  it('Redis stopped and restarted during edits: clients of one process keep working meanwhile, and all converge within 5 s of its return', async () => {
    const id = await a.createInitiative('Coastal Housing Compact');
    const people = [await connect(a, 'participant', id), await connect(a, 'participant', id), await connect(b, 'participant', id)];
    entities(people[0]).set('before', { n: 0 });
    await vi.waitFor(() => expect(entities(people[2]).has('before')).toBe(true));
    const back = redis.restart({ crash: true });
    await vi.waitFor(() => expect(fanoutA.ready).toBe(false), { timeout: 5_000 });
    // While Redis is down: an edit on a reaches a's other client; b's client edits too.
    entities(people[0]).set('while-down-a', { n: 1 });
    entities(people[2]).set('while-down-b', { n: 2 });
    await vi.waitFor(() => expect(entities(people[1]).has('while-down-a')).toBe(true));
    await back;
    const returned = Date.now();
    // No edit after its return: no gap to notice, the reconnect alone fetches what each process missed.
    await vi.waitFor(() => expect(new Set(people.map((p) => content(p.doc))).size).toBe(1), { timeout: 5_000 });
    expect(Date.now() - returned).toBeLessThan(5_000);
    expect([...entities(people[2]).keys()].sort()).toEqual(['before', 'while-down-a', 'while-down-b']);
    expect(content(await stored(id))).toBe(content(people[0].doc));
  });
});
