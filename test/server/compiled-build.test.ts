/**
 * The server compiled to JavaScript (`npm run build:server`, scripts/buildServer.ts)
 * runs with plain Node as production runs it: built into a temporary directory,
 * started as a child process on port 0, it answers /healthz and /readyz, signs a
 * member in and syncs a shared document between two y-websocket clients. Its
 * resident memory beside the tsx-run server's is printed for docs/deploy.md.
 * What only some requests need (export and import) is a chunk of its own, loaded
 * on first use after the access check: a build without it still refuses whom it
 * must, and answers 500 to whom it would serve.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../../scripts/buildServer.ts';
import { PRODUCTION_NODE_FLAGS, startServerProcess, type ServerProcess } from '../../scripts/serverProcess.ts';
import { syncClient, type SyncClient } from './harness.ts';
import { serverProcesses } from './processes.ts';
import { call, seedInitiative } from './sync-helpers.ts';

let outDir: string;
let main: string;
// tsc over the server, src/contract, src/schema and machines: seconds on a quiet machine, a minute on a busy one.
beforeAll(() => {
  outDir = mkdtempSync(join(tmpdir(), 'convene-build-'));
  main = buildServer(outDir);
}, 240_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const clients: SyncClient[] = [];
const start = serverProcesses();
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

/** Resident memory of a process (kB → bytes), from /proc. */
function residentBytes(server: ServerProcess): number {
  const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Signs two members in, and has one's edit reach the other through the server. */
async function exercise(server: ServerProcess): Promise<void> {
  const { id, tokens } = await seedInitiative(server.url, server.adminToken, ['facilitator', 'participant']);
  const me = await call(server.url, 'GET', '/api/session', tokens[1]);
  expect(me.status).toBe(200);
  const [a, b] = tokens.map((token) => syncClient(server.url, id, token));
  clients.push(a, b);
  await Promise.all([a.synced, b.synced]);
  a.doc.getMap('edits').set('from-a', 'hello');
  await vi.waitFor(() => expect(b.doc.getMap('edits').get('from-a')).toBe('hello'), { timeout: 10_000 });
}

/** The chunk of export and import's work in a build's output. */
function exchangeChunks(dir: string): string[] {
  return readdirSync(join(dir, 'server', 'chunks')).filter((name) => name.startsWith('exchangeWork-'));
}

describe('the compiled server', () => {
  it('runs with plain Node: health, readiness, a signed-in member and live sync', async () => {
    const server = await start({ compiled: main });
    // Plain Node: no TypeScript loader in its command line.
    const cmdline = readFileSync(`/proc/${server.child.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline).toContain(main);
    expect(cmdline.join(' ')).not.toContain('tsx');
    // With the production heap flags, as npm run start:prod gives them (production-flags.test.ts).
    expect(cmdline).toEqual(expect.arrayContaining(PRODUCTION_NODE_FLAGS));

    expect(await call(server.url, 'GET', '/healthz')).toMatchObject({ status: 200, text: 'ok' });
    expect(await call(server.url, 'GET', '/readyz')).toMatchObject({ status: 200, text: 'ready' });
    await exercise(server);

    // Export's work is a chunk of its own, loaded by the first export.
    expect(exchangeChunks(outDir)).toHaveLength(1);
    const { id, tokens } = await seedInitiative(server.url, server.adminToken, ['participant']);
    expect((await call(server.url, 'GET', `/api/initiatives/${id}/export`)).status).toBe(401);
    const exported = await call(server.url, 'GET', `/api/initiatives/${id}/export`, tokens[0]);
    expect(exported.status).toBe(200);
    expect(exported.body).toMatchObject({ format: 'convene.initiative', initiative: { id, name: 'Valley Food Security Network' } });

    // SIGTERM still ends it cleanly.
    expect(await server.stop()).toBe(0);
  }, 60_000);

  it('a build missing the export chunk still refuses before loading it, and answers 500 to a member', async () => {
    const broken = mkdtempSync(join(tmpdir(), 'convene-broken-build-'));
    try {
      cpSync(outDir, broken, { recursive: true, verbatimSymlinks: true });
      const [chunk] = exchangeChunks(broken);
      rmSync(join(broken, 'server', 'chunks', chunk!));
      const server = await start({ compiled: join(broken, 'server', 'main.js') });
      const { id, tokens } = await seedInitiative(server.url, server.adminToken, ['participant']);
      expect((await call(server.url, 'GET', `/api/initiatives/${id}/export`)).status).toBe(401);
      expect((await call(server.url, 'GET', '/api/initiatives/no-such-initiative/export', tokens[0])).status).toBe(404);
      expect((await call(server.url, 'POST', `/api/initiatives/${id}/import`, tokens[0], {})).status).toBe(403);
      expect((await call(server.url, 'GET', `/api/initiatives/${id}/export`, tokens[0])).status).toBe(500);
      // The fault is that request's alone: the server goes on.
      expect((await call(server.url, 'GET', `/api/initiatives/${id}/workflow`, tokens[0])).status).toBe(200);
      expect(await server.stop()).toBe(0);
    } finally {
      rmSync(broken, { recursive: true, force: true });
    }
  }, 60_000);

  it('a compiled build that is not there is named, with how to make it', async () => {
    const missing = join(outDir, 'elsewhere', 'main.js');
    await expect(startServerProcess({ compiled: missing })).rejects.toThrow(
      `There is no compiled server at ${missing}: run \`npm run build:server\` first.`,
    );
  });

  it('uses less resident memory than the tsx-run server after the same work', async () => {
    const compiled = await start({ compiled: main });
    const loaded = await start();
    await exercise(compiled);
    await exercise(loaded);
    const figures = { compiledMiB: residentBytes(compiled) / 2 ** 20, tsxMiB: residentBytes(loaded) / 2 ** 20 };
    console.log(
      `resident memory after start, sign-in and sync: compiled ${figures.compiledMiB.toFixed(1)} MiB, tsx ${figures.tsxMiB.toFixed(1)} MiB`,
    );
    expect(figures.compiledMiB).toBeLessThan(figures.tsxMiB);
  }, 60_000);
});
