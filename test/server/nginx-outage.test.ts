/**
 * The reference nginx (docs/nginx.conf, run by test/support/nginx.ts) in front
 * of three real server processes on one PostgreSQL and one Redis, when a part
 * goes away (#14):
 *
 * - PostgreSQL stopped: every process answers writes, and /readyz, 503 with a
 *   sentence, and closes new websockets with 1013. nginx passes those answers
 *   on as they are and sets no process aside for them: /healthz still answers
 *   200 through it (not nginx's own 502), and once the database is back a write
 *   through nginx succeeds at once, without waiting out the upstream's
 *   fail_timeout (10 s).
 * - One process stopped with SIGTERM (a restart): reads through nginx never
 *   answer an error; while it drains, an upgrade straight to it is answered 503
 *   and a new client through nginx lands on another; its websocket clients are
 *   back, through nginx, on the others.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_UNREACHABLE, SAVING_PAUSED } from '../../server/storage/outage.ts';
import { CLOSE } from '../../src/contract/closeCodes.ts';
import { rawClient, stopReading, syncClient } from './harness.ts';
import { clusterParts } from './cluster.ts';
import { call, seedInitiative } from './sync-helpers.ts';

const { clients, cluster, services } = clusterParts();
afterEach(async () => {
  // A test that failed half-way leaves nothing down for the next one.
  await services().postgres.resume().catch(() => undefined);
});

/** docs/nginx.conf's fail_timeout: how long nginx sets aside a process it counted as failed. */
const FAIL_TIMEOUT_MS = 10_000;

const initiative = { name: 'Harbor Literacy Alliance', issue: 'Adult literacy' };

describe('docs/nginx.conf when a part is away', () => {
  it('PostgreSQL down: the 503 and its sentence pass through nginx, /healthz answers 200, and writes succeed as soon as the database is back', async () => {
    const { nginx, servers, adminToken } = await cluster(3);
    expect(nginx.conf).toMatch(/max_fails=1 fail_timeout=10s;/);
    const { id, tokens } = await seedInitiative(nginx.url, adminToken, ['participant']);

    await services().postgres.halt();
    // Writes through nginx, twice as many as there are processes (its round robin gives each process some):
    // each is the server's own 503 with its sentence, never nginx's 502.
    const writes = [];
    for (let i = 0; i < servers.length * 2; i++) writes.push(await call(nginx.url, 'POST', '/api/initiatives', adminToken, initiative));
    expect(writes.map((w) => [w.status, w.body])).toEqual(writes.map(() => [503, { error: DATABASE_UNREACHABLE }]));
    // A read that needs the database (nginx tries a GET on the next process when it counts the answer as a failure).
    for (let i = 0; i < servers.length; i++) {
      expect(await call(nginx.url, 'GET', '/readyz')).toMatchObject({ status: 503, text: 'The database cannot be reached.' });
    }
    // Right after: the processes still answer, through nginx.
    for (let i = 0; i < servers.length; i++) expect(await call(nginx.url, 'GET', '/healthz')).toMatchObject({ status: 200, text: 'ok' });
    // A websocket through nginx is upgraded and told that saving is paused (not refused by nginx).
    const raw = rawClient(nginx.url, id, tokens[0]);
    raw.opened.catch(() => undefined);
    expect(await raw.closed).toEqual({ code: CLOSE.tryAgain, reason: SAVING_PAUSED });

    await services().postgres.resume();
    const back = Date.now();
    // Until a write succeeds, each answer is the server's 503, never nginx's 502; and it succeeds well
    // before nginx's fail_timeout would have let a process set aside back in.
    const statuses: number[] = [];
    await vi.waitFor(
      async () => {
        const write = await call(nginx.url, 'POST', '/api/initiatives', adminToken, initiative);
        statuses.push(write.status);
        expect(write.status).toBe(201);
      },
      { timeout: FAIL_TIMEOUT_MS / 2, interval: 100 },
    );
    const tookMs = Date.now() - back;
    expect(statuses.filter((s) => s !== 503)).toEqual([201]);
    expect(tookMs).toBeLessThan(FAIL_TIMEOUT_MS / 2);
    // And through every process: nginx set none of them aside.
    for (let i = 0; i < servers.length; i++) {
      expect((await call(nginx.url, 'POST', '/api/initiatives', adminToken, initiative)).status).toBe(201);
    }
    expect(await call(nginx.url, 'GET', '/readyz')).toMatchObject({ status: 200, text: 'ready' });
    console.info(`writes through nginx succeeded ${tookMs} ms after PostgreSQL was back (${statuses.length} tries)`);
  }, 120_000);

  it('one process stopped with SIGTERM: reads through nginx never fail, new websockets go to the others while it drains, and its clients are back on the others', async () => {
    // Without room affinity, so that the room's writers are on every process, the stopping one among them.
    // A drain of 20 s, ended by the test: the window for the checks below is the test's, not the machine's speed.
    const { nginx, servers, adminToken } = await cluster(3, { roomAffinity: false }, { SHUTDOWN_DRAIN_MS: '20000' });
    const { id, tokens } = await seedInitiative(nginx.url, adminToken, Array.from({ length: 8 }, () => 'participant'));
    const writers = tokens.slice(0, 6).map((token) => syncClient(nginx.url, id, token));
    clients.push(...writers);
    await Promise.all(writers.map((c) => c.synced));
    const [victim] = servers;
    // A socket straight to the process that never reads its close: the process drains for its 2 s, its port open.
    const stuck = rawClient(victim.url, id, tokens[6]);
    await stuck.opened;
    stopReading(stuck);

    // Two readers through nginx, one request after another each, from before the stop until well after it.
    let reading = true;
    const answers: string[] = [];
    const reader = async (path: string, token?: string) => {
      while (reading) {
        const answer = await call(nginx.url, 'GET', path, token);
        answers.push(answer.status === 200 ? '200' : `${path}: ${answer.status} ${answer.text.slice(0, 80)}`);
      }
    };
    const readers = [reader('/healthz'), reader(`/api/initiatives/${id}`, tokens[0])];
    await vi.waitFor(() => expect(answers.length).toBeGreaterThanOrEqual(6));
    const codes = writers.map((c) => c.closed);
    const stopped = victim.stop(30_000);
    // Its clients hear 1012 (the drain has begun) ...
    expect(await Promise.any(codes)).toBe(CLOSE.restart);
    // ... and while it waits for the stuck one, it takes no new socket: straight to it, an upgrade is answered 503;
    // through nginx, a new client is sent on to another process and syncs.
    const direct = rawClient(victim.url, id, tokens[7]);
    await expect(direct.opened).rejects.toThrow('Unexpected server response: 503');
    const late = syncClient(nginx.url, id, tokens[7]);
    clients.push(late);
    await late.synced;
    // The last socket gone, the drain ends and the process exits.
    stuck.ws.terminate();
    expect(await stopped).toBe(0);
    const atStop = answers.length;
    await vi.waitFor(() => expect(answers.length).toBeGreaterThan(atStop + 10));
    reading = false;
    await Promise.all(readers);
    expect(answers.filter((a) => a !== '200')).toEqual([]);

    // Its clients are back through nginx, on the two others: an edit reaches everyone.
    writers[0].doc.getMap('edits').set('after-restart', 1);
    await vi.waitFor(() => {
      for (const c of [...writers, late]) expect(c.doc.getMap('edits').get('after-restart')).toBe(1);
    }, { timeout: 10_000, interval: 50 });
    await vi.waitFor(() => expect(writers.every((c) => c.provider.wsconnected)).toBe(true), { timeout: 10_000, interval: 50 });
  }, 120_000);
});
