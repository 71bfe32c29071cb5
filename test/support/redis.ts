/**
 * A throwaway Redis for tests (#14): `redis-server` on a free port of
 * 127.0.0.1, no persistence (`--save '' --appendonly no`), its working
 * directory a fresh temporary one; a stop that always ends it and removes the
 * directory. `restart()` brings it back empty on the same port, as a Redis that
 * was lost and restarted: the fault tests of the multi-process server use it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProgram, ownPrefix, sweepOrphans } from './orphans.ts';
import { freePort } from './ports.ts';

export const INSTALL_REDIS =
  'Redis is not installed: the tests of the multi-process server start their own throwaway redis-server. ' +
  'Install it with `apt-get install redis-server` (Debian or Ubuntu), or set REDIS_SERVER to its path.';

export interface TestRedis {
  readonly port: number;
  /** Its temporary working directory; removed by stop(). */
  readonly dir: string;
  /** redis://127.0.0.1:<port> */
  readonly url: string;
  /** Ends the server (SIGKILL when `crash`) and starts an empty one on the same port. */
  restart(options?: { crash?: boolean }): Promise<void>;
  /** Ends the server (SIGKILL when `crash`) and keeps it down until `resume`: an outage that lasts. */
  halt(options?: { crash?: boolean }): Promise<void>;
  /** Starts an empty server again on the same port after `halt`; nothing when it runs (a second one would lose track of the first). */
  resume(): Promise<void>;
  /** Ends the server, waiting for it to exit, and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

export function redisServerBin(): string | null {
  if (process.env.REDIS_SERVER) return existsSync(process.env.REDIS_SERVER) ? process.env.REDIS_SERVER : null;
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/bin', '/usr/sbin']) {
    if (dir && existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  return null;
}

/** Answers once the server at `port` replies to PING, or rejects with why not. */
function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      if (reply.includes('\r\n')) {
        socket.destroy();
        if (reply.startsWith('+PONG')) resolve();
        else reject(new Error(`redis answered ${reply.trim()}`));
      }
    });
    socket.on('error', reject);
  });
}

const PREFIX = 'convene-redis-';
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

export async function startRedis(): Promise<TestRedis> {
  const bin = redisServerBin();
  if (!bin) throw new Error(INSTALL_REDIS);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const child of live) child.kill('SIGKILL');
    });
  }
  sweepOrphans(PREFIX, (old) => {
    const pid = Number(readFileSync(join(old, 'redis.pid'), 'utf8').trim());
    if (isProgram(pid, 'redis-server', old)) process.kill(pid, 'SIGKILL');
  });
  const dir = mkdtempSync(join(tmpdir(), ownPrefix(PREFIX)));
  let child: ChildProcess | null = null;
  let port = 0;
  let stopped = false;

  /** Starts redis-server on `port` and waits until it answers (or exits, which rejects with its output). */
  const launch = async (): Promise<void> => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--pidfile', join(dir, 'redis.pid')];
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    proc.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    child = proc;
    live.add(proc);
    proc.once('exit', () => live.delete(proc));
    // redis-server says so on its standard output once it listens; then one PING to be sure.
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`redis-server did not start on port ${port} within 10 s: ${output.trim()}`)), 10_000);
      const onData = () => {
        if (!output.includes('Ready to accept connections')) return;
        clearTimeout(timer);
        resolve();
      };
      proc.stdout?.on('data', onData);
      proc.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}) on port ${port}: ${output.trim().split('\n').slice(-3).join(' ')}`));
      });
    });
    await ping(port);
  };

  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    proc.kill(signal);
    await gone;
  };

  try {
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        await launch();
        break;
      } catch (error) {
        await end('SIGKILL');
        if (attempt >= 3) throw error;
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  return {
    get port() {
      return port;
    },
    dir,
    get url() {
      return `redis://127.0.0.1:${port}`;
    },
    async restart(options = {}) {
      await end(options.crash ? 'SIGKILL' : 'SIGTERM');
      await launch();
    },
    async halt(options = {}) {
      await end(options.crash ? 'SIGKILL' : 'SIGTERM');
    },
    async resume() {
      if (child && child.exitCode === null && child.signalCode === null) return;
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await end('SIGTERM');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
