/**
 * The parts of a test file that runs several real server processes on one
 * PostgreSQL and one Redis behind the reference nginx (#14): the database and
 * Redis for the whole file, the processes (./processes.ts), and the clients and
 * nginx of each test, ended after it and before its servers.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { startNginx, type NginxOptions, type TestNginx } from '../support/nginx.ts';
import type { SyncClient } from './harness.ts';
import { serverProcesses } from './processes.ts';

export function clusterParts() {
  let postgres: TestPostgres;
  let redis: TestRedis;
  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([postgres?.stop(), redis?.stop()]);
  });
  const clients: SyncClient[] = [];
  const proxies: TestNginx[] = [];
  // Registered first, so run last: clients and nginx go before the servers end.
  const start = serverProcesses();
  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    for (const proxy of proxies.splice(0)) await proxy.stop();
  });

  /**
   * `count` processes sharing a fresh database and the Redis; the first starts alone, the others at once.
   * `extraEnv`: more of their environment (a longer SHUTDOWN_DRAIN_MS, say).
   */
  async function processes(count: number, extraEnv: Record<string, string> = {}) {
    const databaseUrl = await postgres.createDatabase();
    const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, ROOM_UNLOAD_DELAY_MS: '0', ...extraEnv };
    const first = await start({ env });
    const others = await Promise.all(Array.from({ length: count - 1 }, () => start({ env, adminToken: first.adminToken })));
    return { databaseUrl, servers: [first, ...others], adminToken: first.adminToken };
  }

  /** One more process on the database of `processes` and the Redis, started now. */
  function another(databaseUrl: string, adminToken: string) {
    return start({ env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, ROOM_UNLOAD_DELAY_MS: '0' }, adminToken });
  }

  /**
   * `count` processes (see `processes`) behind nginx: docs/nginx.conf, or without its room affinity
   * (`{ roomAffinity: false }`) for a test of one room's clients spread over the processes.
   */
  async function cluster(count = 3, nginxOptions: NginxOptions = {}, extraEnv: Record<string, string> = {}) {
    const started = await processes(count, extraEnv);
    const nginx = await startNginx(started.servers.map((s) => s.port), nginxOptions);
    proxies.push(nginx);
    return { ...started, nginx };
  }

  /** The file's PostgreSQL and Redis, for tests that stop and start them. */
  const services = () => ({ postgres, redis });
  return { clients, cluster, processes, another, services };
}
