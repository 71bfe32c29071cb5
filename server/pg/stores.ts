/**
 * Every store of one server in PostgreSQL (#14; `Stores` of server/stores.ts),
 * when DATABASE_URL is set: the schema brought up to date on start under the
 * migration lock (./migrate.ts, safe when several processes start at once),
 * one pool for the stores and a small one of its own for the decision lock
 * (./lock.ts), both closed together.
 *
 * A database that hangs rather than refuses (a frozen machine, a network
 * partition) breaks no connection: both pools give a statement
 * SERVER_TIMEOUT_MS before it fails as unreachable (a lock's wait gets
 * LOCK_WAIT_MS, ./pool.ts), and a transaction or a decision that meets that
 * drops its connection rather than wait again for a ROLLBACK or an unlock. So
 * rooms say that saving is paused (1013), and writes answer 503, within that
 * time of their statement, as when the database is down. A new connection
 * waits for the pool's connect limit (10 s): that limit also bounds a wait
 * for a free connection of a busy pool, which is no outage. The migration on
 * start runs on a short-lived pool without a statement limit: another process
 * may hold the migration lock for as long as its migrations take.
 */
import type { DecisionLock } from '../lock.ts';
import { PostgresVersionStore } from '../framework/postgres.ts';
import { PostgresMeasureStore } from '../measures/postgres.ts';
import { PostgresPeopleStore } from '../people/postgres.ts';
import { PostgresStatusStore } from '../portfolio/postgres.ts';
import { PostgresDocStorage } from '../storage/postgres.ts';
import type { Stores } from '../stores.ts';
import { PostgresWorkshopStore } from '../workshops/postgres.ts';
import { PostgresInitiativeStore } from './initiatives.ts';
import { PgDecisionLock } from './lock.ts';
import { openPostgres, type MigrationResult } from './migrate.ts';
import { createPool, type Pool, type PoolOptions } from './pool.ts';

export interface PostgresStores extends Stores {
  /** The decision lock that spans every process on this database (pass it to startConvene as `lock`). */
  lock: DecisionLock;
  /** What the migration on start found and did. */
  migration: MigrationResult;
}

/** How long the server's pools wait for a statement's answer before the database counts as unreachable (ms). */
export const SERVER_TIMEOUT_MS = 5000;

export interface PostgresStoresOptions extends PoolOptions {
  /** How long `ping()` waits for an answer before saying the database cannot be reached (default 2 s). */
  pingTimeoutMs?: number;
  /** Connections of the decision lock at most (default 10): initiatives deciding at once in this process. */
  lockConnections?: number;
}

/**
 * Opens the stores on `url` (postgres://user:password@host:port/database),
 * migrating first. `clock` (ms) is the time expiries, audit entries and
 * records go by. When the database cannot be reached or migrated, it rejects
 * with a sentence that says where it tried (never the password) and why.
 */
export async function openPostgresStores(url: string, clock: () => number = Date.now, options: PostgresStoresOptions = {}): Promise<PostgresStores> {
  const { pool: migrating, migration } = await openPostgres(url, { ...options, max: 1, queryTimeoutMillis: undefined });
  await migrating.end();
  const limits = { queryTimeoutMillis: SERVER_TIMEOUT_MS, ...options };
  const pool = createPool(url, limits);
  const lockPool = createPool(url, { ...limits, max: options.lockConnections ?? 10 });
  const pingTimeoutMs = options.pingTimeoutMs ?? 2000;
  let closed: Promise<void> | undefined;
  return {
    initiatives: new PostgresInitiativeStore(pool, clock),
    people: new PostgresPeopleStore(pool, clock),
    docs: new PostgresDocStorage(pool),
    workshops: new PostgresWorkshopStore(pool, clock),
    measures: new PostgresMeasureStore(pool),
    versions: new PostgresVersionStore(pool),
    statuses: new PostgresStatusStore(pool),
    lock: new PgDecisionLock(lockPool),
    migration,
    ping: () => ping(pool, pingTimeoutMs),
    close: () => (closed ??= Promise.all([pool.end(), lockPool.end()]).then(() => {})),
  };
}

/** Whether the database answers `SELECT 1` within `timeoutMs`; false (never an error) when it does not. */
async function ping(pool: Pool, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const answered = pool.query<{ one: number }>('SELECT 1 AS one').then(
    ({ rows }) => rows[0]?.one === 1,
    () => false,
  );
  try {
    return await Promise.race([answered, late]);
  } finally {
    clearTimeout(timer);
  }
}
