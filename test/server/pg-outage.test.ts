/**
 * PostgreSQL unreachable (#14 point 4), with real parts: a throwaway
 * PostgreSQL that is stopped for a while and started again on the same data
 * and port, a Convene server on it, and real y-websocket clients.
 *
 * While the database is down the server acknowledges no edit (nothing is
 * relayed that is not durable): the room's clients are closed with 1013 and
 * the sentence that saving is paused, new connections get the same close, and
 * HTTP answers 503 with a sentence. The clients keep editing locally. Once it
 * is back, everything any client had received before the outage is in the
 * database (checked before any client is let back), the clients reconnect,
 * send what they kept, and everyone converges with nothing lost.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';
import { openPostgresStores, type PostgresStoresOptions } from '../../server/pg/stores.ts';
import pg from 'pg';
import { DATABASE_UNREACHABLE, isDatabaseUnreachable, SAVING_PAUSED } from '../../server/storage/outage.ts';
import { createPool } from '../../server/pg/pool.ts';
import { freePort } from '../support/ports.ts';
import { CLOSE } from '../../src/contract/closeCodes.ts';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';
import { storedInPostgres as stored } from './sync-helpers.ts';

let postgres: TestPostgres;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const clients: SyncClient[] = [];
let server: Harness | null = null;
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await server?.stop();
  server = null;
});

const keys = (doc: Y.Doc) => [...doc.getMap('edits').keys()].sort();

/** A client that notes every close it hears (code and reason), and what it received from the server, apart from its own edits. */
function watchedClient(url: string, id: string, token: string) {
  const client = syncClient(url, id, token);
  clients.push(client);
  const closes: { code: number; reason: string }[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
  });
  const received = new Y.Doc();
  client.doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === client.provider) Y.applyUpdate(received, update);
  });
  return { ...client, closes, received };
}

/**
 * A server on a fresh database with `options`, an initiative, and two of its
 * participants' clients that made `edits` edits in turn and all have them;
 * `receivedBefore`: what each had received from the other by then.
 */
async function twoEditing(edits: number, options: PostgresStoresOptions) {
  const databaseUrl = await postgres.createDatabase();
  const stores = await openPostgresStores(databaseUrl, Date.now, options);
  const started = await startHarness({ stores, lock: stores.lock });
  server = started;
  const id = await started.createInitiative('Valley Food Security Network');
  const [ana, ben] = [await started.invite(id, 'participant', 'Ana Reyes'), await started.invite(id, 'participant', 'Ben Okafor')];
  const a = watchedClient(started.url, id, ana);
  const b = watchedClient(started.url, id, ben);
  await Promise.all([a.synced, b.synced]);
  // Edits flow both ways.
  for (let i = 0; i < edits; i++) (i % 2 ? a : b).doc.getMap('edits').set(`before-${i}`, i);
  await vi.waitFor(() => {
    for (const c of [a, b]) expect(keys(c.doc).filter((k) => k.startsWith('before-'))).toHaveLength(edits);
  }, { timeout: 10_000, interval: 50 });
  return { databaseUrl, server: started, id, ana, ben, a, b, receivedBefore: [a, b].map((c) => keys(c.received)) };
}

describe('PostgreSQL unreachable', () => {
  it('rooms close with 1013 "saving paused", writes answer 503, clients keep their edits, and all is saved once it is back', async () => {
    const { databaseUrl, server, id, ana, a, b, receivedBefore } = await twoEditing(20, { pingTimeoutMs: 500 });
    expect(receivedBefore.every((list) => list.length === 10)).toBe(true);

    await postgres.halt();
    // The next edit cannot be made durable: nobody hears of it, and the room closes.
    a.doc.getMap('edits').set('during-a-0', 0);
    await vi.waitFor(() => {
      for (const c of [a, b]) expect(c.closes).toContainEqual({ code: CLOSE.tryAgain, reason: SAVING_PAUSED });
    }, { timeout: 10_000, interval: 50 });
    // They keep editing on their own copies, and keep trying: every try is refused with the same close.
    for (let i = 1; i < 6; i++) a.doc.getMap('edits').set(`during-a-${i}`, i);
    for (let i = 0; i < 6; i++) b.doc.getMap('edits').set(`during-b-${i}`, i);
    await vi.waitFor(() => {
      for (const c of [a, b]) expect(c.closes.filter((e) => e.code === CLOSE.tryAgain).length).toBeGreaterThanOrEqual(2);
    }, { timeout: 15_000, interval: 100 });
    for (const c of [a, b]) expect(c.closes.every((e) => e.code === CLOSE.tryAgain && e.reason === SAVING_PAUSED)).toBe(true);
    // Nothing made during the outage was acknowledged, not even the edit that found the database gone.
    expect(keys(b.doc).filter((k) => k.startsWith('during-a-'))).toEqual([]);
    expect(keys(a.doc).filter((k) => k.startsWith('during-b-'))).toEqual([]);

    // HTTP: a write and a read answer 503 with the sentence.
    const write = await server.api('POST', '/api/initiatives', { name: 'Harbor Literacy Alliance', issue: 'Adult literacy' });
    expect(write.status).toBe(503);
    expect(write.body).toEqual({ error: DATABASE_UNREACHABLE });
    const read = await server.api('GET', `/api/initiatives/${id}`, undefined, ana);
    expect(read.status).toBe(503);
    expect(read.body).toEqual({ error: DATABASE_UNREACHABLE });

    // Back, with the clients held off: everything any client had received is in the database already.
    for (const c of [a, b]) c.provider.disconnect();
    await postgres.resume();
    const afterOutage = keys(await stored(databaseUrl, id));
    for (const list of receivedBefore) expect(list.filter((k) => !afterOutage.includes(k))).toEqual([]);
    expect(afterOutage.filter((k) => k.startsWith('during-'))).toEqual([]);

    // The clients come back and send what they kept; everyone converges, and all of it is stored.
    for (const c of [a, b]) c.provider.connect();
    const everything = [...Array.from({ length: 20 }, (_, i) => `before-${i}`), ...['a', 'b'].flatMap((w) => Array.from({ length: 6 }, (_, i) => `during-${w}-${i}`))].sort();
    await vi.waitFor(() => {
      for (const c of [a, b]) expect(keys(c.doc)).toEqual(everything);
    }, { timeout: 15_000, interval: 50 });
    const fresh = watchedClient(server.url, id, ana);
    await fresh.synced;
    expect(keys(fresh.doc)).toEqual(everything);
    await vi.waitFor(async () => expect(keys(await stored(databaseUrl, id))).toEqual(everything), { timeout: 5_000, interval: 100 });
    expect((await server.api('POST', '/api/initiatives', { name: 'Harbor Literacy Alliance', issue: 'Adult literacy' })).status).toBe(201);
  }, 90_000);

  it('a database that hangs (frozen, connections open): within the time limit rooms close with 1013, writes answer 503, new connections are told the same, and nothing is lost once it answers', async () => {
    // In production a statement gets SERVER_TIMEOUT_MS (5 s) and a new connection the pool's 10 s; 1 s here, for a quick test.
    const limitMs = 1000;
    const { databaseUrl, server, id, ana, ben, a, b, receivedBefore } = await twoEditing(10, { pingTimeoutMs: 500, queryTimeoutMillis: limitMs, connectionTimeoutMillis: limitMs });

    postgres.freeze();
    try {
      // The edit's append is sent and never answered: past the limit the room counts the database
      // as unreachable (1013 and the sentence, not 1011), and no one heard of the edit.
      a.doc.getMap('edits').set('during-a-0', 0);
      await vi.waitFor(() => {
        for (const c of [a, b]) expect(c.closes).toContainEqual({ code: CLOSE.tryAgain, reason: SAVING_PAUSED });
      }, { timeout: 10_000, interval: 50 });
      for (const c of [a, b]) expect(c.closes.every((e) => e.code === CLOSE.tryAgain && e.reason === SAVING_PAUSED)).toBe(true);
      expect(keys(b.doc)).not.toContain('during-a-0');
      b.doc.getMap('edits').set('during-b-0', 0);

      // A write and a read answer 503 with the sentence, after the limit rather than never.
      const write = await server.api('POST', '/api/initiatives', { name: 'Harbor Literacy Alliance', issue: 'Adult literacy' });
      expect(write).toMatchObject({ status: 503, body: { error: DATABASE_UNREACHABLE } });
      const read = await server.api('GET', `/api/initiatives/${id}`, undefined, ana);
      expect(read).toMatchObject({ status: 503, body: { error: DATABASE_UNREACHABLE } });
      // A new connection cannot have its session looked up: it is told to try again later, with the same sentence.
      const late = watchedClient(server.url, id, ben);
      await vi.waitFor(() => expect(late.closes).toContainEqual({ code: CLOSE.tryAgain, reason: SAVING_PAUSED }), { timeout: 10_000, interval: 50 });
      late.destroy();
      clients.splice(clients.indexOf(late), 1);
    } finally {
      postgres.thaw();
    }

    // It answers again: the clients come back on their own and send what they kept; all converge and all is stored.
    const everything = [...Array.from({ length: 10 }, (_, i) => `before-${i}`), 'during-a-0', 'during-b-0'].sort();
    await vi.waitFor(() => {
      for (const c of [a, b]) expect(keys(c.doc)).toEqual(everything);
    }, { timeout: 20_000, interval: 50 });
    await vi.waitFor(async () => expect(keys(await stored(databaseUrl, id))).toEqual(everything), { timeout: 5_000, interval: 100 });
    for (const list of receivedBefore) expect(list.every((k) => everything.includes(k))).toBe(true);
    expect((await server.api('POST', '/api/initiatives', { name: 'Harbor Literacy Alliance', issue: 'Adult literacy' })).status).toBe(201);
  }, 90_000);

  it('tells an unreachable database (refused, shut down under a query) from a real storage fault (a constraint)', async () => {
    // Nothing listens on this port: refused.
    const nobody = createPool(`postgres://convene@127.0.0.1:${await freePort()}/postgres`);
    const refused = await nobody.query('SELECT 1').then(() => null, (error: unknown) => error);
    await nobody.end();
    expect(isDatabaseUnreachable(refused)).toBe(true);

    const databaseUrl = await postgres.createDatabase();
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('CREATE TABLE t (id int PRIMARY KEY)');
    await client.query('INSERT INTO t VALUES (1)');
    const duplicate = await client.query('INSERT INTO t VALUES (1)').then(() => null, (error: unknown) => error);
    expect((duplicate as { code?: string }).code).toBe('23505');
    expect(isDatabaseUnreachable(duplicate)).toBe(false);
    expect(isDatabaseUnreachable(new Error('disk full'))).toBe(false);

    // The server goes away under a running query: it says it is shutting down, or the connection ends.
    const running = client.query('SELECT pg_sleep(30)').then(() => null, (error: unknown) => error);
    await vi.waitFor(async () => {
      const probe = new pg.Client({ connectionString: databaseUrl });
      await probe.connect();
      const { rows } = await probe.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'SELECT pg_sleep%'");
      await probe.end();
      expect(rows[0].n).toBe(1);
    }, { timeout: 10_000, interval: 50 });
    await postgres.halt();
    try {
      expect(isDatabaseUnreachable(await running)).toBe(true);
      const after = await client.query('SELECT 1').then(() => null, (error: unknown) => error);
      expect(isDatabaseUnreachable(after)).toBe(true);
    } finally {
      await postgres.resume();
      await client.end().catch(() => undefined);
    }
  }, 60_000);
});
