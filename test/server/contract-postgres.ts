/**
 * The PostgreSQL side of the store contract suites (#14): one throwaway server
 * per test file (test/support/postgres.ts), started by the first test that
 * needs it and stopped after the file; one migrated database in it, its tables
 * emptied (identities restarted) before each test, which is as fresh as a new
 * database and takes milliseconds instead of most of a second.
 */
import { afterAll } from 'vitest';
import { migrate } from '../../server/pg/migrate.ts';
import { createPool, type Pool } from '../../server/pg/pool.ts';
import { emptyTables, startPostgres, type TestPostgres } from '../support/postgres.ts';

/** How long a PostgreSQL may take to start on a busy machine (about a second on a quiet one). */
export const PG_START_TIMEOUT = 60_000;

export interface FilePostgres {
  /** The connection string of the file's migrated database. */
  database(): Promise<string>;
  /** A new pool (a new process, as far as the database can tell) on the file's database. */
  pool(max?: number): Promise<Pool>;
  /** A pool on the file's database with every table emptied: each test's fresh start. */
  fresh(max?: number): Promise<Pool>;
  /** The running server (for restarts). */
  server(): Promise<TestPostgres>;
}

/** Call once at the top of a test file: the file's PostgreSQL, stopped after its last test. */
export function filePostgres(): FilePostgres {
  let postgres: Promise<TestPostgres> | undefined;
  let database: Promise<string> | undefined;
  afterAll(async () => {
    if (postgres) await (await postgres).stop();
  });
  const server = () => (postgres ??= startPostgres());
  const url = () =>
    (database ??= (async () => {
      const created = await (await server()).createDatabase();
      const pool = createPool(created, { max: 1 });
      await migrate(pool).finally(() => pool.end());
      return created;
    })());
  const pool = async (max = 4) => createPool(await url(), { max });
  return {
    database: url,
    pool,
    server,
    async fresh(max = 4) {
      const p = await pool(max);
      await emptyTables(p);
      return p;
    },
  };
}
