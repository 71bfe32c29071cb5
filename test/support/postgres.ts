/**
 * A throwaway PostgreSQL for tests (#14): `initdb` into a fresh temporary
 * directory, `pg_ctl start` on a free port listening on 127.0.0.1 only, and a
 * stop that always removes it. One server per test file (it takes about a
 * second to start); a fresh database per test with `createDatabase()`.
 *
 * fsync is off: the tests crash the server (`restart('immediate')`, which is
 * what `kill -9` of the postmaster does to its clients) but never the machine,
 * and the operating system keeps what PostgreSQL wrote before a commit returned.
 *
 * Run as root (CI containers), initdb and the server refuse to start, so they
 * run as the `postgres` user (`runuser -u postgres --`) in a directory it owns.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { ownPrefix, sweepOrphans } from './orphans.ts';
import { freePort } from './ports.ts';

const run = promisify(execFile);

export const INSTALL_POSTGRES =
  'PostgreSQL is not installed: the tests of the PostgreSQL storage start their own throwaway server with initdb and pg_ctl. ' +
  'Install it with `apt-get install postgresql` (Debian or Ubuntu), or set PG_BIN to the directory that holds initdb and pg_ctl.';

export interface TestPostgres {
  /** The port the server listens on (127.0.0.1). */
  readonly port: number;
  /** The temporary directory of its data, socket and log; removed by stop(). */
  readonly dir: string;
  /** A connection string for `database` (the initial `postgres` database by default). */
  url(database?: string): string;
  /** Creates an empty database with a name never used before in this server and answers its connection string. */
  createDatabase(): Promise<string>;
  /**
   * Stops the server and starts it again on the same port and data. `immediate`
   * ends it without a checkpoint, as a crash would: open connections break and
   * the server replays its write-ahead log on start.
   */
  restart(mode?: 'fast' | 'immediate'): Promise<void>;
  /**
   * Stops the server and keeps it stopped (its data and port kept) until
   * `resume`: an outage that lasts. Open connections break; new ones are refused.
   */
  halt(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts a halted server again on the same port and data. */
  resume(): Promise<void>;
  /**
   * Stops every process of the server (SIGSTOP) until `thaw`: a database that
   * hangs, as a frozen machine or a network partition makes it. Open
   * connections stay open and answer nothing; a new one is accepted by the
   * kernel and then answers nothing either.
   */
  freeze(): void;
  /** Lets a frozen server run on (SIGCONT), where it stopped. */
  thaw(): void;
  /** Stops the server and removes its directory; safe to call twice. */
  stop(): Promise<void>;
}

/** The directory of initdb and pg_ctl: PG_BIN when set (and only it), else the newest /usr/lib/postgresql/<n>/bin, else the PATH. */
export function postgresBin(): string | null {
  const candidates: string[] = [];
  if (process.env.PG_BIN) return existsSync(join(process.env.PG_BIN, 'initdb')) ? process.env.PG_BIN : null;
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root)
      .filter((v) => /^\d+$/.test(v))
      .sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir) candidates.push(dir);
  return candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) ?? null;
}

const asRoot = userInfo().uid === 0;

/** Runs a PostgreSQL program, as the `postgres` user when we are root. */
async function pgRun(bin: string, program: string, args: string[]): Promise<string> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', join(bin, program), ...args]] : [join(bin, program), args];
  try {
    const { stdout } = await run(file, argv, { timeout: 30_000 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${program} failed: ${(e.stderr || e.message).trim()}`, { cause: error });
  }
}

/** Runs pg_ctl and waits (for exit hooks and sweeping), as the `postgres` user when we are root. */
function pgCtlSync(bin: string, args: string[]): void {
  if (asRoot) spawnSync('runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), ...args]);
  else spawnSync(join(bin, 'pg_ctl'), args);
}

const PREFIX = 'convene-pg-';

/** A server this process started and has not stopped. */
interface Running {
  bin: string;
  data: string;
  dir: string;
  frozen: number[];
}
/** Every server started by this process, stopped at exit even when a test forgot. */
const running = new Set<Running>();
let exitHookInstalled = false;
function stopAllAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const s of running) {
      thawAll(s.frozen);
      pgCtlSync(s.bin, ['stop', '-D', s.data, '-m', 'immediate', '-w', '-s']);
      rmSync(s.dir, { recursive: true, force: true });
    }
  });
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error(INSTALL_POSTGRES);
  sweepOrphans(PREFIX, (old) => pgCtlSync(bin, ['stop', '-D', join(old, 'data'), '-m', 'immediate', '-w', '-s']));
  const dir = mkdtempSync(join(tmpdir(), ownPrefix(PREFIX)));
  const data = join(dir, 'data');
  /** `frozen`: the processes `freeze` stopped, for `thaw` (and the exit hook). */
  const entry: Running = { bin, data, dir, frozen: [] };
  const { frozen } = entry;
  let port = 0;
  let databases = 0;
  let stopped = false;

  const launch = () =>
    pgRun(bin, 'pg_ctl', [
      ...['start', '-D', data, '-w', '-s', '-t', '20', '-l', join(dir, 'server.log'), '-o'],
      `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} ` +
        '-c fsync=off -c full_page_writes=off -c max_connections=60 -c shared_buffers=16MB',
    ]);
  const start = async () => {
    // Another process may take the free port between the probe and the start: try a few.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        return await launch();
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  };

  try {
    if (asRoot) {
      if (!Number.isInteger(uid('postgres'))) throw new Error(`Running as root, the tests start PostgreSQL as the \`postgres\` user, which does not exist. ${INSTALL_POSTGRES}`);
      chownSync(dir, uid('postgres'), gid('postgres'));
      chmodSync(dir, 0o700);
    }
    await pgRun(bin, 'initdb', ['-D', data, '-U', 'convene', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);
    running.add(entry);
    stopAllAtExit();
    await start();
  } catch (error) {
    // A start that timed out may have left a server running: stop it before removing its directory.
    if (existsSync(join(data, 'postmaster.pid'))) pgCtlSync(bin, ['stop', '-D', data, '-m', 'immediate', '-w', '-s']);
    running.delete(entry);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }

  const url = (database = 'postgres') => `postgres://convene@127.0.0.1:${port}/${database}`;
  return {
    get port() {
      return port;
    },
    dir,
    url,
    async createDatabase() {
      const name = `test_${process.pid}_${++databases}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async restart(mode = 'fast') {
      await pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-s']);
      await launch();
    },
    async halt(mode = 'fast') {
      await pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', mode, '-w', '-s']);
    },
    async resume() {
      await launch();
    },
    freeze() {
      if (frozen.length > 0) throw new Error('PostgreSQL is frozen already');
      const postmaster = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      const children = spawnSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).map(Number);
      // The postmaster first, so that it starts no process the list would miss.
      for (const pid of [postmaster, ...children]) {
        process.kill(pid, 'SIGSTOP');
        frozen.push(pid);
      }
    },
    thaw() {
      thawAll(frozen);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      thawAll(frozen);
      try {
        await pgRun(bin, 'pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-s']);
      } finally {
        running.delete(entry);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** SIGCONT to every process of `frozen`, emptying it. */
function thawAll(frozen: number[]): void {
  for (const pid of frozen.splice(0)) {
    try {
      process.kill(pid, 'SIGCONT');
    } catch {
      // A process that is gone has nothing to go on with.
    }
  }
}

function uid(user: string): number {
  const out = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  return out.status === 0 ? Number(out.stdout.trim()) : NaN;
}
function gid(user: string): number {
  return Number(spawnSync('id', ['-g', user], { encoding: 'utf8' }).stdout.trim());
}

/**
 * Empties every table of the database but `schema_migrations`, restarting its
 * identities: a fresh start for the next test on one migrated database per
 * file (a TRUNCATE takes milliseconds, a CREATE DATABASE most of a second).
 */
export async function emptyTables(db: Pick<pg.Pool, 'query'>): Promise<void> {
  const { rows } = await db.query<{ name: string }>(
    "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'",
  );
  if (rows.length > 0) await db.query(`TRUNCATE ${rows.map((r) => r.name).join(', ')} RESTART IDENTITY CASCADE`);
}
