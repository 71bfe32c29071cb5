/**
 * The two databases of the store contract suites (#14). SQLite: a fresh data
 * directory per test. PostgreSQL: one throwaway server per test file
 * (test/support/postgres.ts), started by the first test that needs it and
 * stopped after the file; one migrated database in it, its tables emptied
 * (identities restarted) before each test, which is as fresh as a new database
 * and takes milliseconds instead of most of a second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { openDb, type Db } from '../../server/db.ts';
import { PostgresInitiativeStore } from '../../server/pg/initiatives.ts';
import { migrate } from '../../server/pg/migrate.ts';
import { createPool, type Pool } from '../../server/pg/pool.ts';
import { SqliteInitiativeStore } from '../../server/store.ts';
import type { InitiativeStore } from '../../server/stores.ts';
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

/** A store under test, on one database, with what a contract suite does around it. */
export interface StoreSubject<S> {
  store: S;
  /** The initiatives of the same database (people, workshops and the rest belong to one). */
  initiatives: InitiativeStore;
  /** The same data opened again, as after a restart (a new process: a new pool, for PostgreSQL). */
  reopen(): Promise<S>;
  /** Deletes the initiative, as an administrator's SQL would (what belongs to it goes with it). */
  deleteInitiative(id: string): Promise<void>;
  dispose(): Promise<void>;
}

/** `make`'s store on a fresh SQLite data directory; `clock` (ms) is the time its migrations and initiatives go by. */
export async function sqliteSubject<S>(make: (db: Db) => S, clock: () => number = Date.now): Promise<StoreSubject<S>> {
  const dir = mkdtempSync(join(tmpdir(), 'convene-contract-'));
  let db = openDb(dir, clock());
  return {
    store: make(db),
    initiatives: new SqliteInitiativeStore(db, clock),
    reopen: async () => {
      db.close();
      db = openDb(dir, clock());
      return make(db);
    },
    deleteInitiative: async (id) => void db.prepare('DELETE FROM initiatives WHERE id = ?').run(id),
    dispose: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `make`'s store on the file's PostgreSQL database, its tables emptied first. */
export async function postgresSubject<S>(pg: FilePostgres, make: (pool: Pool) => S, clock: () => number = Date.now): Promise<StoreSubject<S>> {
  let pool = await pg.fresh();
  return {
    store: make(pool),
    initiatives: new PostgresInitiativeStore(pool, clock),
    reopen: async () => {
      await pool.end();
      pool = await pg.pool();
      return make(pool);
    },
    deleteInitiative: async (id) => void (await pool.query('DELETE FROM initiatives WHERE id = $1', [id])),
    dispose: () => pool.end(),
  };
}
