/** Starts the servers under test as child processes and reads their CPU and memory from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { readProcess } from './cpu.ts';
import { killOnExit, startServerProcess, stopChild, waitForOutput } from '../scripts/serverProcess.ts';

const root = resolve(fileURLToPath(import.meta.url), '../..');

/** The Chromium the browser benchmarks drive, and its flags: those of playwright.config.ts. */
export { CHROMIUM, CHROMIUM_ARGS } from '../scripts/chromium.ts';

export interface ServerUnderTest {
  name: string;
  child: ChildProcess;
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface ConveneUnderTest extends ServerUnderTest {
  adminToken: string;
  dataDir: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

/** Convene with auth and the durable SQLite log, as deployed (scripts/serverProcess.ts, shared with the tests). */
export async function startConvene(
  options: {
    dataDir?: string;
    port?: number;
    adminToken?: string;
    env?: Record<string, string>;
    root?: string;
    nodeArgs?: string[];
    /** A compiled main.js to run under PRODUCTION_NODE_FLAGS instead of server/main.ts through tsx. */
    compiled?: string;
  } = {},
): Promise<ConveneUnderTest> {
  const server = await startServerProcess({ ...options, logLevel: 'warn' });
  return { name: 'convene', ...server, stop: async () => void (await server.stop()) };
}

/** The plain reference: @y/websocket-server, no auth, no durable log. `nodeArgs`: flags for node (a profile). */
export async function startReference(options: { nodeArgs?: string[] } = {}): Promise<ServerUnderTest> {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@y/websocket-server/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string; bin: Record<string, string> };
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), resolve(pkgPath, '..', pkg.bin['y-websocket-server'])],
    {
      cwd: root,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  killOnExit(child);
  await waitForOutput(child, /running at/);
  return {
    name: `@y/websocket-server@${pkg.version}`,
    child,
    url: `http://127.0.0.1:${port}`,
    port,
    stop: () => stopChild(child),
  };
}

/** CPU seconds (user + system) and resident memory of a process, from /proc (bench/cpu.ts reads it). */
export function procStats(pid: number): { cpuSeconds: number; systemSeconds: number; rssBytes: number } {
  const { cpuMs, systemMs, rssBytes } = readProcess(pid);
  return { cpuSeconds: cpuMs / 1000, systemSeconds: systemMs / 1000, rssBytes };
}

/** An HTTP answer: its status and its body (parsed when JSON). */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read by shape
  body: any;
  text: string;
}

/** One HTTP call as `token` (a bearer token), whatever the status. */
export function call(url: string, method: string, path: string, token: string, body?: unknown): Promise<Answer> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      url + path,
      {
        method,
        agent: false,
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = text.startsWith('{') || text.startsWith('[');
          resolvePromise({ status: res.statusCode ?? 500, body: json ? JSON.parse(text) : text, text });
        });
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

/** One HTTP call that must succeed: its body, or an error naming the status. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read by shape
export async function api<T = any>(
  url: string,
  method: string,
  path: string,
  token: string,
  body?: unknown,
): Promise<T> {
  const answer = await call(url, method, path, token, body);
  if (answer.status >= 400) throw new Error(`${method} ${path}: ${answer.status} ${answer.text}`);
  return answer.body as T;
}

/** Writes a benchmark's report to bench/results/<name>-<date>.json (ignored by git); answers the file. */
export function writeResults(name: string, startedAt: Date, report: unknown): string {
  const dir = resolve(fileURLToPath(import.meta.url), '..', 'results');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, `${name}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}
