/**
 * Starts Convene (`server/main.ts`, or its compiled build) as a child process, as it is deployed: the
 * one starter for the server tests that need a real process (kill -9, SIGTERM,
 * memory), the browser tests' server (test/e2e/global-setup.ts) and the benchmarks. Port 0 and a fresh data directory unless told
 * otherwise; no demo initiative; a random admin token.
 *
 * Lives in scripts/ because both test/ and bench/ use it and bench/ may not
 * import test/ (.dependency-cruiser.cjs).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const LISTENING = /Convene is listening on (http:\/\/\S+)/;
/** The single-use admin sign-in link the server prints at every start (`<url>/admin#<token>`). */
const ADMIN_SIGN_IN = /(http:\/\/\S+\/admin#\S+)\r?\n/;

/**
 * Node's flags for the production server, the same in `npm run start:prod`
 * (package.json), docs/deploy.md's systemd unit and every start of the compiled
 * build here (test/server/production-flags.test.ts holds the three together):
 * - `--max-semi-space-size=2`: V8 grows the young generation up to 2 × 16 MB
 *   while the server starts and keeps it committed; 2 MB semi-spaces hold a sync
 *   server's short-lived garbage as well.
 * - `--max-old-space-size=1024`: a ceiling for the old generation that also keeps
 *   V8 from letting garbage grow to four times what is live before a full
 *   collection (its growing factor shrinks with the ceiling). Raise it when a
 *   process holds more documents (docs/deploy.md, "Memory").
 * Measured in docs/performance.md, "session 21: memory": resident memory down by
 * about a fifth under load, CPU per delivered update unchanged within the A/A spread.
 */
export const PRODUCTION_NODE_FLAGS = ['--max-semi-space-size=2', '--max-old-space-size=1024'];

export interface ServerProcessOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** A fresh temporary directory by default; pass the previous one to restart on the same data. */
  dataDir?: string;
  /** A random one by default. */
  adminToken?: string;
  /** LOG_LEVEL of the server ('silent' by default). */
  logLevel?: string;
  /** Create the demo initiative on a new data directory (default false). */
  demo?: boolean;
  /** More environment for the server (limits of docs/sync.md, ROOM_UNLOAD_DELAY_MS…). */
  env?: Record<string, string>;
  /** Copy the server's stderr to ours (default false). */
  echoErrors?: boolean;
  /** Give up when the server does not listen within this time (default 30 s). */
  startupTimeoutMs?: number;
  /** The checkout whose server/main.ts runs (this one by default; a benchmark may compare another). */
  root?: string;
  /**
   * Run the server compiled to JavaScript (`npm run build:server`) with plain Node and
   * PRODUCTION_NODE_FLAGS, as `npm run start:prod` does, instead of server/main.ts through tsx: `true` for the
   * checkout's dist-server/server/main.js, or the path of another compiled main.js.
   */
  compiled?: boolean | string;
  /** More flags for node before the script (a benchmark's `--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeArgs?: string[];
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  dataDir: string;
  adminToken: string;
  /** The admin sign-in link printed at start (single use), or null if the server printed none. */
  adminSignInUrl: Promise<string | null>;
  /** Resolves with the exit code, or the signal that ended it. */
  exited: Promise<number | string>;
  /** SIGTERM (clients hear 1012, storage is flushed), then SIGKILL if it has not exited after `graceMs` (default 10 s). */
  stop(graceMs?: number): Promise<number | string>;
}

/** Children to kill when this process exits however it exits (a failed test, an interrupted benchmark). */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (isRunning(child)) child.kill('SIGKILL');
});

/** Kills `child` when this process exits, unless it has exited by then. */
export function killOnExit(child: ChildProcess): void {
  children.add(child);
  child.once('exit', () => children.delete(child));
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGTERM, then SIGKILL if the child has not exited after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => isRunning(child) && child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Starts a child and resolves once it listens, with its URL; rejects with its output when it exits first. */
export async function startServerProcess(options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const compiled = options.compiled === true ? join(options.root ?? root, 'dist-server', 'server', 'main.js') : options.compiled && resolve(options.compiled);
  if (compiled && !existsSync(compiled)) throw new Error(`There is no compiled server at ${compiled}: run \`npm run build:server\` first.`);
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'convene-child-'));
  const adminToken = options.adminToken ?? randomBytes(24).toString('hex');
  const args = compiled ? [...PRODUCTION_NODE_FLAGS, compiled] : ['--import', 'tsx', 'server/main.ts'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...args], {
    cwd: options.root ?? root,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: String(options.port ?? 0),
      DATA_DIR: dataDir,
      ADMIN_TOKEN: adminToken,
      CONVENE_DEMO: options.demo ? '1' : '0',
      LOG_LEVEL: options.logLevel ?? 'silent',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killOnExit(child);
  const exited = new Promise<number | string>((done) =>
    child.once('exit', (code, signal) => done(code ?? signal ?? -1)),
  );
  if (options.echoErrors) child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  // Read from the first byte, beside the wait for the listening line: it is printed right after it.
  const adminSignInUrl = waitForOutput(child, ADMIN_SIGN_IN, options.startupTimeoutMs ?? 30_000).catch(() => null);
  let url: string;
  try {
    url = (await waitForOutput(child, LISTENING, options.startupTimeoutMs ?? 30_000)).replace(/\/$/, '');
  } catch (error) {
    if (isRunning(child)) child.kill('SIGKILL');
    // A data directory made for this start goes with it.
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const stop = async (graceMs?: number) => {
    await stopChild(child, graceMs);
    return exited;
  };
  return { child, url, port: Number(new URL(url).port), dataDir, adminToken, adminSignInUrl, exited, stop };
}

/**
 * Resolves with the first group of `pattern` (or the whole match) once the
 * child's output shows it; rejects with the output so far when the child exits
 * first or `timeoutMs` passes. Afterwards the output is still read (and
 * dropped), so a chatty child never blocks on a full pipe.
 */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  let output = '';
  const streams = [child.stdout!, child.stderr!];
  return new Promise<string>((resolvePromise, reject) => {
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      for (const stream of streams) {
        stream.off('data', onData);
        stream.resume();
      }
      settle();
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) finish(() => resolvePromise(match[1] ?? match[0]));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(() => reject(new Error(`the server exited (${signal ?? code}) before it was ready. Output:\n${output}`)));
    const timer = setTimeout(
      () =>
        finish(() => reject(new Error(`the server was not ready within ${timeoutMs / 1000} s. Output:\n${output}`))),
      timeoutMs,
    );
    for (const stream of streams) stream.on('data', onData);
    child.once('exit', onExit);
  });
}
