/**
 * Faults of the shared services under real server processes (#14 point 4),
 * clients connected straight to each process:
 *
 * - Redis stopped for ten seconds while edits go on, then started again
 *   (empty, on the same port): while it is down, clients of one process keep
 *   seeing each other's edits; within five seconds of its return everyone
 *   holds every edit, and so does PostgreSQL.
 * - PostgreSQL stopped and started again: every process closes its rooms with
 *   1013 "saving paused", answers 503 to a write and fails /readyz; once it is
 *   back, the clients' kept edits are saved and everyone converges.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { DATABASE_UNREACHABLE, SAVING_PAUSED } from '../../server/storage/outage.ts';
import { CLOSE } from '../../src/contract/closeCodes.ts';
import { syncClient } from './harness.ts';
import { clusterParts } from './cluster.ts';
import { call, int, prng, seedInitiative, storedInPostgres } from './sync-helpers.ts';

const { clients, processes: cluster, services } = clusterParts();
afterEach(async () => {
  // A test that failed half-way leaves nothing down for the next one.
  const { postgres, redis } = services();
  await Promise.all([postgres.resume().catch(() => undefined), redis.resume().catch(() => undefined)]);
});

const keys = (doc: Y.Doc) => [...doc.getMap('edits').keys()].sort();

const storedKeys = async (databaseUrl: string, id: string) => keys(await storedInPostgres(databaseUrl, id));

describe('shared services failing under three processes', () => {
  it('Redis down for 10 s during edits: clients of one process keep working; all converge within 5 s of its return, nothing lost', async () => {
    const random = prng(1410);
    const { databaseUrl, servers, adminToken } = await cluster(3);
    const { id, tokens } = await seedInitiative(servers[0].url, adminToken, Array.from({ length: 6 }, () => 'participant'));
    // Two writers on each process.
    const writers = tokens.map((token, i) => syncClient(servers[Math.floor(i / 2)].url, id, token));
    clients.push(...writers);
    await Promise.all(writers.map((c) => c.synced));
    const written: string[] = [];
    const edit = (w: number, key: string) => {
      writers[w].doc.getMap('edits').set(key, w);
      written.push(key);
    };
    writers.forEach((_, w) => edit(w, `hello-${w}`));
    await vi.waitFor(() => {
      for (const c of writers) expect(keys(c.doc)).toEqual([...written].sort());
    }, { timeout: 10_000, interval: 50 });

    await services().redis.halt({ crash: true });
    const down = Date.now();
    // Ten seconds of edits by everyone, Redis away, paced by the clock.
    let n = 0;
    while (Date.now() - down < 10_000) {
      const w = int(random, writers.length);
      edit(w, `down-w${w}-${n++}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const downFor = Date.now() - down;
    expect(downFor).toBeGreaterThanOrEqual(10_000);
    expect(n).toBeGreaterThan(100);
    // Still down: on each process, each client holds every edit its neighbour made.
    await vi.waitFor(() => {
      for (let p = 0; p < servers.length; p++) {
        const [x, y] = [writers[2 * p], writers[2 * p + 1]];
        const mine = (w: number) => written.filter((k) => k.startsWith(`down-w${w}-`));
        expect(mine(2 * p + 1).filter((k) => !x.doc.getMap('edits').has(k))).toEqual([]);
        expect(mine(2 * p).filter((k) => !y.doc.getMap('edits').has(k))).toEqual([]);
      }
    }, { timeout: 5_000, interval: 50 });

    await services().redis.resume();
    const returned = Date.now();
    const all = [...written].sort();
    await vi.waitFor(() => {
      for (const c of writers) expect(keys(c.doc)).toEqual(all);
    }, { timeout: 5_000, interval: 50 });
    const convergedIn = Date.now() - returned;
    expect(convergedIn).toBeLessThan(5_000);
    // Nothing lost: all of it is in PostgreSQL, and a client arriving now on any process gets it.
    expect(await storedKeys(databaseUrl, id)).toEqual(all);
    const late = syncClient(servers[2].url, id, tokens[0]);
    clients.push(late);
    await late.synced;
    expect(keys(late.doc)).toEqual(all);
    console.info(`Redis down ${downFor} ms with ${n} edits; all ${writers.length} clients converged ${convergedIn} ms after its return`);
  }, 120_000);

  it('PostgreSQL down: every process pauses saving (1013, 503, /readyz), and saves what the clients kept once it is back', async () => {
    const { databaseUrl, servers, adminToken } = await cluster(2);
    const { id, tokens } = await seedInitiative(servers[0].url, adminToken, ['participant', 'participant']);
    const writers = tokens.map((token, i) => syncClient(servers[i].url, id, token));
    clients.push(...writers);
    const closes = writers.map((c) => {
      const seen: { code: number; reason: string }[] = [];
      c.provider.on('connection-close', (event: CloseEvent | null) => event && seen.push({ code: event.code, reason: event.reason }));
      return seen;
    });
    await Promise.all(writers.map((c) => c.synced));
    writers.forEach((c, w) => c.doc.getMap('edits').set(`before-${w}`, w));
    await vi.waitFor(() => {
      for (const c of writers) expect(keys(c.doc)).toEqual(['before-0', 'before-1']);
    }, { timeout: 10_000, interval: 50 });

    await services().postgres.halt();
    // Each writer edits; each process finds the database gone and says saving is paused.
    writers.forEach((c, w) => c.doc.getMap('edits').set(`during-${w}`, w));
    await vi.waitFor(() => {
      for (const seen of closes) expect(seen).toContainEqual({ code: CLOSE.tryAgain, reason: SAVING_PAUSED });
    }, { timeout: 10_000, interval: 50 });
    for (const server of servers) {
      const write = await call(server.url, 'POST', '/api/initiatives', adminToken, { name: 'Harbor Literacy Alliance', issue: 'Adult literacy' });
      expect(write.status).toBe(503);
      expect(write.body).toEqual({ error: DATABASE_UNREACHABLE });
      expect((await call(server.url, 'GET', '/readyz')).status).toBe(503);
    }
    writers.forEach((c, w) => c.doc.getMap('edits').set(`during-more-${w}`, w));

    await services().postgres.resume();
    const all = ['before-0', 'before-1', 'during-0', 'during-1', 'during-more-0', 'during-more-1'];
    await vi.waitFor(() => {
      for (const c of writers) expect(keys(c.doc)).toEqual(all);
    }, { timeout: 20_000, interval: 50 });
    await vi.waitFor(async () => expect(await storedKeys(databaseUrl, id)).toEqual(all), { timeout: 5_000, interval: 100 });
    for (const server of servers) expect((await call(server.url, 'GET', '/readyz')).status).toBe(200);
  }, 120_000);
});
