/**
 * Several processes on PostgreSQL and Redis (#14, docs/deploy.md), from the
 * environment: with `DATABASE_URL` every store is in PostgreSQL and decisions
 * take PostgreSQL advisory locks; with `REDIS_URL` as well, rooms stay in step
 * with the other processes over Redis. Without them, nothing: one process on
 * the SQLite file of DATA_DIR, as always. PostgreSQL's and Redis's code (pg,
 * ioredis and the stores on them) is imported only when asked for, so a process on
 * SQLite never holds it in memory (docs/performance.md, memory).
 */
import type { PostgresStores } from './pg/stores.ts';
import type { RedisFanout } from './sync/fanout.ts';
import type { ReadinessCheck } from './health.ts';
import type { Logger } from './log.ts';

export interface ScaleOut {
  stores?: PostgresStores;
  fanout?: RedisFanout;
  /** What `/readyz` checks beyond the database (Redis, when there is one). */
  readyChecks: ReadinessCheck[];
}

/** A function that runs at most once every `ms` (the rest are dropped): a Redis that is down reports at every retry. */
export function throttle<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
  clock: () => number = Date.now,
): (...args: A) => void {
  let last = -Infinity;
  return (...args) => {
    const now = clock();
    if (now - last < ms) return;
    last = now;
    fn(...args);
  };
}

/** Opens PostgreSQL (migrating it) and Redis as the environment says; throws a sentence when it cannot be done. */
export async function scaleOutFrom(
  env: NodeJS.ProcessEnv,
  log: Logger,
  clock: () => number = Date.now,
): Promise<ScaleOut> {
  const databaseUrl = env.DATABASE_URL || undefined;
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !databaseUrl) {
    throw new Error(
      'REDIS_URL is set without DATABASE_URL: processes share rooms through PostgreSQL, so set both (docs/deploy.md).',
    );
  }
  if (!databaseUrl) return { readyChecks: [] };
  const { openPostgresStores } = await import('./pg/stores.ts');
  const stores = await openPostgresStores(databaseUrl, clock);
  log.info({ migration: stores.migration }, 'PostgreSQL ready');
  if (!redisUrl) return { stores, readyChecks: [] };
  const warn = throttle(
    (err: unknown) =>
      log.warn({ err: String(err) }, 'Redis cannot be reached; edits still reach clients of this process'),
    10_000,
    clock,
  );
  const { RedisFanout } = await import('./sync/fanout.ts');
  const fanout = new RedisFanout(redisUrl, { onError: warn });
  const redis: ReadinessCheck = {
    name: 'redis',
    unreachable: 'Redis cannot be reached.',
    check: () => {
      if (!fanout.ready) throw new Error('Redis is not connected');
    },
  };
  return { stores, fanout, readyChecks: [redis] };
}
