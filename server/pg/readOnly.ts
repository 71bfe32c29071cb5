/**
 * Opening both sides of a copy without writing to either, for
 * `npm run migrate:sqlite-to-postgres -- --verify-only`
 * (scripts/migrateSqliteToPostgres.ts). The copy itself migrates both schemas
 * first, as a server would on start; a verification must not: re-verifying
 * with a newer checkout would otherwise upgrade the production schema, after
 * which the processes of the release in use refuse to start. So SQLite's
 * convene.db is opened read-only, PostgreSQL is read in one read-only
 * transaction (which also gives the comparison one snapshot), and a schema at
 * another version than this checkout's is refused, named, instead of migrated.
 *
 * The data directory's lock (server/dataDirLock.ts) is still taken, as by
 * every process on it: a server writing to convene.db during the comparison
 * would make it meaningless. That writes the holder into convene.lock, never
 * into convene.db.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../dataDirLock.ts';
import { openDb, type Db } from '../db.ts';
import { describeUrl, PG_MIGRATIONS } from './migrate.ts';
import type { Queryable } from './copy.ts';
import { createPool, type Pool, type PoolClient } from './pool.ts';

/** A verification that cannot go ahead, with the sentence that says why. */
export class VerifyRefused extends Error {}

let expectedSqlite: number | undefined;

/**
 * The SQLite schema version of this checkout: the version its `openDb` brings
 * a new database to (server/db.ts keeps the list), found on a throwaway
 * database in a temporary directory, never the operator's.
 */
export function sqliteSchemaVersion(): number {
  if (expectedSqlite !== undefined) return expectedSqlite;
  const dir = mkdtempSync(join(tmpdir(), 'convene-schema-'));
  try {
    const db = openDb(dir);
    try {
      expectedSqlite = db.pragma('user_version', { simple: true }) as number;
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return expectedSqlite;
}

/** The PostgreSQL schema version of this checkout. */
export const pgSchemaVersion = (): number => PG_MIGRATIONS.at(-1)?.version ?? 0;

/** The version a PostgreSQL database's schema is at (0: no Convene schema at all), read without creating anything. */
export async function pgVersionOf(pool: Queryable): Promise<number> {
  const { rows } = await pool.query<{ present: boolean }>(
    "SELECT to_regclass('public.schema_migrations') IS NOT NULL AS present",
  );
  if (!rows[0].present) return 0;
  const found = await pool.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return found.rows[0].version ?? 0;
}

const atVersion = (found: number, expected: number) =>
  `at schema version ${found}, ${found < expected ? 'older' : 'newer'} than this checkout's (${expected})`;

/**
 * Opens `dataDir`'s convene.db read-only (its directory held, as by any
 * process) and begins a read-only transaction on `url`, and checks that both
 * schemas are at this checkout's versions. Refuses (VerifyRefused, every
 * reason named, nothing left open) otherwise; nothing is migrated either way.
 * `release` ends the transaction and closes both.
 */
export async function openReadOnly(
  dataDir: string,
  url: string,
): Promise<{ db: Db; pg: Queryable; release(): Promise<void> }> {
  const file = join(dataDir, 'convene.db');
  const lock = lockDataDir(dataDir);
  let db: Db | undefined;
  let pool: Pool | undefined;
  let client: PoolClient | undefined;
  const release = async () => {
    try {
      db?.close();
    } finally {
      lock.release();
      if (client) {
        let broken: Error | undefined;
        await client.query('ROLLBACK').catch((e: Error) => (broken = e));
        client.release(broken);
      }
      await pool?.end();
    }
  };
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 5000 });
    const reasons: string[] = [];
    const sqliteFound = db.pragma('user_version', { simple: true }) as number;
    const sqliteExpected = sqliteSchemaVersion();
    if (sqliteFound !== sqliteExpected) reasons.push(`${file} is ${atVersion(sqliteFound, sqliteExpected)}`);

    pool = createPool(url, { max: 1 });
    let pgFound: number;
    try {
      client = await pool.connect();
      // PostgreSQL itself refuses a write in it, should one ever be sent; and every table is read at one moment.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      pgFound = await pgVersionOf(client);
    } catch (error) {
      throw new VerifyRefused(`PostgreSQL at ${describeUrl(url)} could not be read: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const pgExpected = pgSchemaVersion();
    const target = `the PostgreSQL database at ${describeUrl(url)}`;
    if (pgFound === 0) {
      reasons.push(
        `${target} holds no Convene schema, so nothing was copied into it (run the command without --verify-only to copy)`,
      );
    } else if (pgFound !== pgExpected) {
      reasons.push(`${target} is ${atVersion(pgFound, pgExpected)}`);
    }
    if (reasons.length > 0) {
      const versions = sqliteFound !== sqliteExpected || (pgFound !== 0 && pgFound !== pgExpected);
      throw new VerifyRefused(
        `Cannot verify: ${reasons.join('; ')}. --verify-only writes nothing, so it brings neither database up to date` +
          (versions
            ? ': verify with the release of Convene whose schema versions these are (the one that made the copy). Nothing was changed.'
            : '. Nothing was changed.'),
      );
    }
    return { db, pg: client, release };
  } catch (error) {
    await release();
    throw error;
  }
}
