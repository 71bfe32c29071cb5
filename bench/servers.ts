/** Starts the servers under test as child processes and reads their CPU and memory from /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');

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

/** Every child started, killed when the benchmark exits however it exits. */
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

function waitFor(child: ChildProcess, pattern: RegExp): Promise<string> {
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolvePromise(match[1] ?? match[0]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

/** Convene with auth and the durable SQLite log, as deployed. */
export async function startConvene(options: { dataDir?: string; port?: number; adminToken?: string; env?: Record<string, string> } = {}): Promise<ConveneUnderTest> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'convene-bench-'));
  const adminToken = options.adminToken ?? randomBytes(24).toString('hex');
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(options.port ?? 0),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      CONVENE_DEMO: '0',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const url = await waitFor(child, /Convene is listening on (\S+)/);
  return { name: 'convene', child, url, port: Number(new URL(url).port), adminToken, dataDir, stop: stopper(child) };
}

/** The plain reference: @y/websocket-server, no auth, no durable log. */
export async function startReference(): Promise<ServerUnderTest> {
  const require = createRequire(import.meta.url);
  const pkgPath = require.resolve('@y/websocket-server/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version: string; bin: Record<string, string> };
  const port = await freePort();
  const child = spawn(process.execPath, [resolve(pkgPath, '..', pkg.bin['y-websocket-server'])], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  await waitFor(child, /running at/);
  return { name: `@y/websocket-server@${pkg.version}`, child, url: `http://127.0.0.1:${port}`, port, stop: stopper(child) };
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
export function procStats(pid: number): { cpuSeconds: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime (14), stime (15)
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssBytes: rssKb * 1024 };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read by shape
export async function api<T = any>(url: string, method: string, path: string, token: string, body?: unknown): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      url + path,
      { method, agent: false, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 500) >= 400) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolvePromise(text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : text);
        });
      },
    );
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}
