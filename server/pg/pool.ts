/**
 * The PostgreSQL connection pool (#14), for the stores that move from SQLite
 * (server/storage/postgres.ts, server/measures/postgres.ts, more to come). Not
 * wired into server/app.ts yet: the default server stays on SQLite, and will
 * take PostgreSQL only when DATABASE_URL is set.
 */
import pg from 'pg';
import { isDatabaseUnreachable } from '../storage/outage.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface PoolOptions {
  /** Connections at most (default 10). */
  max?: number;
  /** How long to wait for a connection (default 10 s). */
  connectionTimeoutMillis?: number;
  /**
   * How long a statement may go unanswered before it fails (default: no limit). A database that
   * hangs (a frozen machine, a network partition) answers nothing and breaks no connection; without
   * a limit, every statement sent to it would wait for ever. A statement that timed out may still run
   * once the database answers again: its connection is dropped, not reused.
   */
  queryTimeoutMillis?: number;
  /** Called when an idle connection breaks (the server restarted, the network dropped); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

/**
 * How long a statement that takes a lock may wait for it (ms), whatever the
 * pool's statement limit: waiting for another process's turn is no sign of a
 * database that hangs.
 */
export const LOCK_WAIT_MS = 30_000;

/** A statement that waits for a lock (an advisory lock): it may wait up to LOCK_WAIT_MS. */
export function lockStatement(text: string, values: unknown[]): pg.QueryConfig {
  // node-postgres reads `query_timeout` from a statement's config too; its types leave it out.
  return Object.assign({ text, values }, { query_timeout: LOCK_WAIT_MS });
}

/** A pool on `url` (postgres://user@host:port/database). Connections are opened on first use. */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 10_000,
    query_timeout: options.queryTimeoutMillis,
    application_name: 'convene',
  });
  // Without a listener, an idle connection that breaks would end the process.
  pool.on('error', (error) => options.onIdleError?.(error));
  return pool;
}

/**
 * Runs `work` in one transaction on one connection: COMMIT when it answers,
 * ROLLBACK when it throws (and the error goes on to the caller).
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // Between two statements the connection is idle: a break then is told here, not as an unhandled
  // 'error' event that would end the process (the pool listens only to the connections it holds).
  const onError = (error: Error) => (broken = error);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    // A database that cannot be reached would not answer the ROLLBACK either (a statement past its
    // time limit is still on its way): the connection is dropped, and its transaction ends with it.
    if (isDatabaseUnreachable(error)) broken ??= error as Error;
    // A connection that cannot even roll back is dropped from the pool, not reused.
    else await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.removeListener('error', onError);
    client.release(broken);
  }
}
