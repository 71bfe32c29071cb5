/**
 * The servers of `bench:cluster`: Convene's compiled build (`npm run
 * build:server`, run with plain Node as `npm run start:prod` runs it) as three
 * processes on one PostgreSQL and one Redis, or as one process on SQLite; the
 * reference server (bench/servers.ts). PostgreSQL, Redis and nginx are the test
 * harness's throwaway ones (test/support/), started once per run.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildServer } from '../scripts/buildServer.ts';
import { startServerProcess, type ServerProcess } from '../scripts/serverProcess.ts';
import { startPostgres, type TestPostgres } from '../test/support/postgres.ts';
import { startRedis, type TestRedis } from '../test/support/redis.ts';
import type { Deployment } from './clusterWorkloads.ts';

const root = resolve(fileURLToPath(import.meta.url), '../..');

/** The checkout's compiled server, built first when `rebuild` or when there is none. */
export function compiledMain(rebuild: boolean): string {
  const main = join(root, 'dist-server', 'server', 'main.js');
  if (rebuild || !existsSync(main)) {
    console.log('Compiling the server (npm run build:server)…');
    return buildServer();
  }
  return main;
}

export interface Backing {
  postgres: TestPostgres;
  redis: TestRedis;
  /** The postmaster, its children (a backend per connection) and redis-server, as running now. */
  pids(): number[];
  stop(): Promise<void>;
}

/** Children of `parent`, from the fourth field of every /proc/<pid>/stat. */
function childrenOf(parent: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent) out.push(Number(entry));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

export async function startBacking(): Promise<Backing> {
  const [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  const firstLine = (file: string) => Number(readFileSync(file, 'utf8').split('\n')[0].trim());
  return {
    postgres,
    redis,
    pids() {
      const postmaster = firstLine(join(postgres.dir, 'data', 'postmaster.pid'));
      return [postmaster, ...childrenOf(postmaster), firstLine(join(redis.dir, 'redis.pid'))];
    },
    stop: async () => void (await Promise.all([postgres.stop(), redis.stop()])),
  };
}

/** Server processes of one deployment, ended and their data directories removed by `stop`. */
export interface Running {
  deployment: Deployment;
  servers: ServerProcess[];
  /** `graceMs`: how long each process may take to close before SIGKILL (10 s by default). */
  stop(graceMs?: number): Promise<void>;
}

function running(name: string, servers: ServerProcess[], support?: () => number[], placement?: Deployment['placement']): Running {
  return {
    deployment: { name, procs: servers.map((s) => ({ pid: s.child.pid!, url: s.url })), adminToken: servers[0].adminToken, syncPath: '/collab', support, placement },
    servers,
    async stop(graceMs?: number) {
      // Every process ends before any directory goes (a live server writes into its own).
      await Promise.all(servers.map((s) => s.stop(graceMs)));
      for (const s of servers) rmSync(s.dataDir, { recursive: true, force: true });
    },
  };
}

const ENV = { ROOM_UNLOAD_DELAY_MS: '0' };

/**
 * `count` processes of the compiled build (`main`; the sources through tsx when undefined; `nodeArgs`: flags for
 * node, a profile) on a fresh database of `backing`: the first alone (it migrates), the others at once. Their
 * clients are dealt as `placement` says (bench/clusterWorkloads.ts).
 */
export async function startCluster(main: string | undefined, backing: Backing, count = 3, nodeArgs: string[] = [], placement: Deployment['placement'] = 'spread'): Promise<Running> {
  const env = { ...ENV, DATABASE_URL: await backing.postgres.createDatabase(), REDIS_URL: backing.redis.url };
  const first = await startServerProcess({ compiled: main, env, logLevel: 'warn', nodeArgs });
  const others = await Promise.all(
    Array.from({ length: count - 1 }, () => startServerProcess({ compiled: main, env, adminToken: first.adminToken, logLevel: 'warn', nodeArgs })),
  );
  const name = `convene x${count} (PostgreSQL + Redis)${placement === 'room' ? ', room affinity' : ''}`;
  return running(name, [first, ...others], () => backing.pids(), placement);
}

/** One process of the compiled build on SQLite in a fresh data directory: the default deployment. */
export async function startSingle(main: string | undefined, nodeArgs: string[] = []): Promise<Running> {
  return running('convene x1 (SQLite)', [await startServerProcess({ compiled: main, env: ENV, logLevel: 'warn', nodeArgs })]);
}
