/**
 * Several real server processes on one PostgreSQL and one Redis behind the
 * reference nginx (#14, docs/deploy.md): clients spread over the processes see
 * each other's edits, and `kill -9` of one process in the middle of a stream of
 * edits loses no update that any client had received; its clients reconnect
 * through nginx to the others and everyone converges.
 */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createPool } from '../../server/pg/pool.ts';
import { PostgresDocStorage } from '../../server/storage/postgres.ts';
import { syncClient } from './harness.ts';
import { clusterParts } from './cluster.ts';
import { call, int, metricValue, prng, seedInitiative } from './sync-helpers.ts';

const { clients, cluster } = clusterParts();

const keys = (doc: Y.Doc) => [...doc.getMap('edits').keys()].sort();

describe('three processes behind nginx', () => {
  it('edits cross processes; kill -9 of one mid-stream loses nothing any client received, and all converge', async () => {
    const random = prng(14);
    // Without room affinity, which would put the room's writers on one process: here they are spread over all three.
    const { databaseUrl, servers, nginx, adminToken } = await cluster(3, { roomAffinity: false });
    // An initiative made through one process is there on every other.
    const { id, tokens } = await seedInitiative(nginx.url, adminToken, ['participant', 'participant', 'participant', 'participant', 'participant', 'participant', 'observer']);
    for (const server of servers) expect((await call(server.url, 'GET', `/api/initiatives/${id}`, tokens[0])).status).toBe(200);

    // Six writers through nginx, spread over the processes by its round robin.
    const writers = tokens.slice(0, 6).map((token) => syncClient(nginx.url, id, token));
    clients.push(...writers);
    await Promise.all(writers.map((c) => c.synced));
    const connections = async (url: string) => metricValue((await call(url, 'GET', '/metrics', adminToken)).text, 'convene_connections');
    const spread = await Promise.all(servers.map((s) => connections(s.url)));
    expect(spread.reduce((a, b) => a + b, 0)).toBe(6);
    expect(spread.every((n) => n > 0)).toBe(true);

    // A first edit from each writer reaches every other writer, whichever process each is on.
    writers.forEach((c, i) => c.doc.getMap('edits').set(`hello-${i}`, i));
    await vi.waitFor(() => {
      for (const c of writers) expect(keys(c.doc).filter((k) => k.startsWith('hello-'))).toHaveLength(6);
    }, { timeout: 10_000, interval: 50 });

    // What each writer received from its server, kept apart from its own edits.
    const received = writers.map((c) => {
      // From what it holds now, so that later updates of the same authors apply (they build on the greetings).
      const doc = new Y.Doc();
      Y.applyUpdate(doc, Y.encodeStateAsUpdate(c.doc));
      c.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === c.provider) Y.applyUpdate(doc, update);
      });
      return doc;
    });
    const victim = servers[int(random, servers.length)];
    const killAfter = 150 + int(random, 150);
    let n = 0;
    const total = () => received.reduce((sum, doc) => sum + doc.getMap('edits').size - 6, 0);
    while (total() < killAfter) {
      const w = int(random, writers.length);
      writers[w].doc.getMap('edits').set(`w${w}-${n++}`, n);
      await new Promise((resolve) => setImmediate(resolve));
    }
    victim.child.kill('SIGKILL');
    // Frozen at the kill: everything any client had received by then.
    const receivedKeys = received.map(keys);
    const receivedVectors = received.map((doc) => Y.decodeStateVector(Y.encodeStateVector(doc)));
    await victim.exited;

    // The writers go on editing, those of the killed process while they reconnect.
    for (let i = 0; i < 30; i++) writers[i % 6].doc.getMap('edits').set(`after-${i}`, i);

    // Straight from PostgreSQL: every update any client had received is stored.
    const pool = createPool(databaseUrl);
    try {
      const stored = new Y.Doc();
      Y.applyUpdate(stored, (await new PostgresDocStorage(pool).load(id))!.update);
      const storedKeys = new Set(keys(stored));
      const storedVector = Y.decodeStateVector(Y.encodeStateVector(stored));
      receivedKeys.forEach((list) => expect(list.filter((k) => !storedKeys.has(k))).toEqual([]));
      for (const vector of receivedVectors) {
        for (const [client, clock] of vector) expect(storedVector.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
      }
    } finally {
      await pool.end();
    }

    // Everyone is back (through nginx, on the processes left) and converges, the edits after the kill included.
    const observer = syncClient(nginx.url, id, tokens[6]);
    clients.push(observer);
    await observer.synced;
    await vi.waitFor(
      () => {
        expect(writers.every((c) => c.provider.wsconnected && c.provider.synced)).toBe(true);
        const all = keys(observer.doc);
        expect(all).toContain('after-29');
        for (const list of receivedKeys) expect(list.filter((k) => !all.includes(k))).toEqual([]);
        for (const c of writers) expect(keys(c.doc)).toEqual(all);
      },
      { timeout: 20_000, interval: 50 },
    );
    const left = servers.filter((s) => s !== victim);
    expect((await Promise.all(left.map((s) => connections(s.url)))).reduce((a, b) => a + b, 0)).toBe(7);
  }, 120_000);
});
