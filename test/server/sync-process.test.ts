/**
 * The server as a real child process: `kill -9` in the middle of a stream of
 * edits loses nothing any client received, and clients reconnect by themselves;
 * SIGTERM closes sockets with 1012; memory stays flat over 1,000 room
 * join/leave cycles; /metrics is for the admin only.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { openDb } from '../../server/db.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { syncClient, type SyncClient } from './harness.ts';
import { serverProcesses } from './processes.ts';
import { call, int, metricValue, prng, seedInitiative } from './sync-helpers.ts';

const clients: SyncClient[] = [];
// Registered first, so run last: clients are destroyed before their servers end.
const start = serverProcesses();
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

const keys = (doc: Y.Doc) => [...doc.getMap('edits').keys()].sort();

describe('server process', () => {
  it('kill -9 mid-stream loses no update any client received; clients reconnect by themselves and converge', async () => {
    const random = prng(9);
    const first = await start({ env: { ROOM_UNLOAD_DELAY_MS: '0' } });
    const { id, tokens } = await seedInitiative(first.url, first.adminToken, ['participant', 'participant', 'participant', 'facilitator', 'observer']);
    const writers = tokens.slice(0, 4).map((token) => syncClient(first.url, id, token));
    clients.push(...writers);
    await Promise.all(writers.map((c) => c.synced));

    // What each client received from the server, apart from its own edits.
    const received = writers.map((c) => {
      const doc = new Y.Doc();
      c.doc.on('update', (update: Uint8Array, origin: unknown) => {
        if (origin === c.provider) Y.applyUpdate(doc, update);
      });
      return doc;
    });
    const killAfter = 150 + int(random, 150);
    let n = 0;
    const totalReceived = () => received.reduce((sum, doc) => sum + doc.getMap('edits').size, 0);
    while (totalReceived() < killAfter) {
      const w = int(random, writers.length);
      writers[w].doc.getMap('edits').set(`w${w}-${n++}`, n);
      await new Promise((resolve) => setImmediate(resolve));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    await vi.waitFor(() => expect(writers.every((c) => !c.provider.wsconnected)).toBe(true));
    // Everything in flight has arrived or is gone with the socket: freeze what was received.
    const receivedKeys = received.map(keys);
    const receivedVectors = received.map((doc) => Y.decodeStateVector(Y.encodeStateVector(doc)));
    expect(receivedKeys.flat().length).toBeGreaterThan(100);

    // The writers go on editing while the server is down.
    for (let i = 0; i < 20; i++) writers[i % 4].doc.getMap('edits').set(`offline-${i}`, i);

    // Straight from the database: every update any client received is stored.
    const db = openDb(first.dataDir);
    const stored = new Y.Doc();
    Y.applyUpdate(stored, new SqliteDocStorage(db).load(id)!.update);
    db.close();
    const storedVector = Y.decodeStateVector(Y.encodeStateVector(stored));
    const storedKeys = new Set(keys(stored));
    receivedKeys.forEach((list) => expect(list.filter((k) => !storedKeys.has(k))).toEqual([]));
    for (const vector of receivedVectors) {
      for (const [client, clock] of vector) expect(storedVector.get(client) ?? 0).toBeGreaterThanOrEqual(clock);
    }

    const second = await start({ port: first.port, dataDir: first.dataDir, adminToken: first.adminToken });
    const fresh = syncClient(second.url, id, tokens[4]);
    clients.push(fresh);
    await fresh.synced;
    const freshKeys = new Set(keys(fresh.doc));
    receivedKeys.forEach((list) => expect(list.filter((k) => !freshKeys.has(k))).toEqual([]));

    // The old clients came back on their own and everyone converges, offline edits included.
    await vi.waitFor(
      () => {
        expect(writers.every((c) => c.provider.wsconnected && c.provider.synced)).toBe(true);
        const all = keys(fresh.doc);
        expect(all).toContain('offline-19');
        for (const c of writers) expect(keys(c.doc)).toEqual(all);
      },
      { timeout: 15_000, interval: 50 },
    );
  }, 60_000);

  it('SIGTERM closes sockets with 1012 after storing everything, and exits cleanly', async () => {
    const server = await start();
    const { id, tokens } = await seedInitiative(server.url, server.adminToken, ['participant', 'observer']);
    const client = syncClient(server.url, id, tokens[0]);
    clients.push(client);
    await client.synced;
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    client.doc.getMap('edits').set('last words', 'stored');
    // The server handled the edit once an observer sees it.
    const observer = syncClient(server.url, id, tokens[1]);
    clients.push(observer);
    await vi.waitFor(() => expect(observer.doc.getMap('edits').get('last words')).toBe('stored'));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await vi.waitFor(() => expect(closes[0]).toBe(1012));
    // A 1012 is not final: the client keeps trying to reconnect.
    expect(client.provider.shouldConnect).toBe(true);

    const next = await start({ port: server.port, dataDir: server.dataDir, adminToken: server.adminToken });
    await vi.waitFor(() => expect(client.provider.wsconnected && client.provider.synced).toBe(true), { timeout: 10_000 });
    const fresh = syncClient(next.url, id, tokens[1]);
    clients.push(fresh);
    await fresh.synced;
    expect(fresh.doc.getMap('edits').get('last words')).toBe('stored');
  });

  it('resident memory stays flat over 1,000 room join/leave cycles, and /metrics is for the admin only', async () => {
    // Collected often (./gc-often.mjs): a sample measures what is retained, so a leak shows and garbage does not.
    const gcOften = fileURLToPath(new URL('./gc-often.mjs', import.meta.url));
    const server = await start({ env: { ROOM_UNLOAD_DELAY_MS: '0', NODE_OPTIONS: `--expose-gc --import ${gcOften}` } });
    const rooms: string[] = [];
    let memberToken = '';
    for (let i = 0; i < 10; i++) {
      const { id, tokens } = await seedInitiative(server.url, server.adminToken, ['participant']);
      rooms.push(id);
      memberToken = tokens[0];
      const writer = syncClient(server.url, id, tokens[0]);
      await writer.synced;
      for (let k = 0; k < 50; k++) writer.doc.getMap('edits').set(`k${k}`, 'x'.repeat(100));
      const check = syncClient(server.url, id, tokens[0]);
      await vi.waitFor(() => expect(check.doc.getMap('edits').size).toBe(50));
      writer.destroy();
      check.destroy();
    }

    expect((await call(server.url, 'GET', '/metrics')).status).toBe(401);
    expect((await call(server.url, 'GET', '/metrics', memberToken)).status).toBe(403);
    const metrics = async () => {
      const res = await call(server.url, 'GET', '/metrics', server.adminToken);
      expect(res.status).toBe(200);
      return res.text;
    };
    const cycle = async (i: number) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/collab/${rooms[i % rooms.length]}`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      // The first message is the server's sync step 1: the room is loaded.
      await new Promise<void>((resolve, reject) => {
        ws.once('message', () => resolve());
        ws.once('error', reject);
      });
      ws.close();
      await new Promise((resolve) => ws.once('close', resolve));
    };
    /** Resident memory once every room has been unloaded again. */
    const settled = async () => {
      await vi.waitFor(async () => expect(metricValue(await metrics(), 'convene_rooms_loaded')).toBe(0));
      return metricValue(await metrics(), 'process_resident_memory_bytes');
    };
    for (let i = 0; i < 200; i++) await cycle(i);
    const warm = await settled();
    // 1,000 cycles in five blocks, sampled after each. A single sample swings by tens of
    // MB with the collector and the allocator; a leak raises every later sample, so the
    // lowest of the last three must stay near the warm figure.
    const samples: number[] = [];
    for (let block = 0; block < 5; block++) {
      for (let i = 0; i < 200; i++) await cycle(block * 200 + i);
      samples.push(await settled());
    }
    expect(Math.min(...samples.slice(-3)) - warm).toBeLessThan(30 * 1024 * 1024);
    const text = await metrics();
    expect(metricValue(text, 'convene_connections')).toBe(0);
    expect(metricValue(text, 'convene_messages_received_total')).toBeGreaterThan(0);
    expect(text).toMatch(/convene_storage_write_seconds_bucket\{le="\+Inf"\} [1-9]\d*/);
    expect(text).toContain('convene_messages_per_second');
    expect(text).toContain('convene_compactions_total');
  }, 60_000);
});
