/**
 * PostgreSQL schema migrations (server/pg/migrate.ts) on a real, throwaway
 * PostgreSQL (test/support/postgres.ts): they run once however many processes
 * start together, a failed step leaves the version before it, and a database
 * newer than the code is refused with a sentence.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import pg from 'pg';
import { createPool, type Pool } from '../../server/pg/pool.ts';
import { migrate, openPostgres, PG_MIGRATIONS, type PgMigration } from '../../server/pg/migrate.ts';
import { INSTALL_POSTGRES, startPostgres, type TestPostgres } from '../support/postgres.ts';
import { freePort, listening } from '../support/ports.ts';

let server: TestPostgres;
// About a second on a quiet machine; much longer on a busy one.
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(() => server?.stop());

const LATEST = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;

/** Runs `work` with `n` pools on one fresh database, as `n` processes would have; ends them after. */
async function withProcesses<T>(n: number, work: (pools: Pool[]) => Promise<T>): Promise<T> {
  const url = await server.createDatabase();
  const pools = Array.from({ length: n }, () => createPool(url, { max: 2 }));
  try {
    return await work(pools);
  } finally {
    await Promise.all(pools.map((p) => p.end()));
  }
}

const tables = async (pool: Pool) =>
  (await pool.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).rows.map(
    (r) => r.table_name,
  );

describe('PostgreSQL migrations', () => {
  it('four processes migrating one empty database at once: all succeed, one applies each version, one schema results', async () => {
    await withProcesses(4, async (pools) => {
      const results = await Promise.all(pools.map((pool) => migrate(pool)));
      for (const r of results) expect(r.to).toBe(LATEST);
      // Exactly one process applied the versions; the others waited for the lock and found them done.
      expect(results.filter((r) => r.applied.length > 0)).toEqual([{ from: 0, to: LATEST, applied: PG_MIGRATIONS.map((m) => m.version) }]);
      expect(results.filter((r) => r.applied.length === 0)).toHaveLength(3);
      for (const r of results.filter((x) => x.applied.length === 0)) expect(r.from).toBe(LATEST);
      const versions = await pools[0].query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
      // The tables mirror SQLite's (server/db.ts), with doc_rooms for per-room sequences.
      expect(await tables(pools[0])).toEqual([
        'admin_sign_ins',
        'audit',
        'doc_rooms',
        'doc_updates',
        'framework_versions',
        'initiative_status',
        'initiatives',
        'invites',
        'measure_settings',
        'measurements',
        'members',
        'report_links',
        'schema_migrations',
        'session_members',
        'sessions',
        'settings',
        'workflows',
        'workshops',
      ]);
      // Started again later (a restart), nothing is applied twice.
      expect(await migrate(pools[1])).toEqual({ from: LATEST, to: LATEST, applied: [] });
    });
  });

  it('a failing step rolls back whole, names itself and the version kept; the next start takes it again', async () => {
    await withProcesses(1, async ([pool]) => {
      const broken: PgMigration[] = [
        ...PG_MIGRATIONS,
        { version: LATEST + 1, name: 'half a change', sql: 'CREATE TABLE half_done (id TEXT); SELECT no_such_function();' },
      ];
      await expect(migrate(pool, broken)).rejects.toThrow(
        `PostgreSQL migration ${LATEST + 1} (half a change) failed, the schema stays at version ${LATEST}`,
      );
      expect(await tables(pool)).not.toContain('half_done');
      const fixed: PgMigration[] = [...PG_MIGRATIONS, { version: LATEST + 1, name: 'half a change', sql: 'CREATE TABLE half_done (id TEXT)' }];
      expect(await migrate(pool, fixed)).toEqual({ from: LATEST, to: LATEST + 1, applied: [LATEST + 1] });
      expect(await tables(pool)).toContain('half_done');
      // The lock was given back each time: another process migrates at once.
      expect(await migrate(pool, fixed)).toMatchObject({ applied: [] });
    });
  });

  it('refuses a database migrated by a newer server, saying what to do', async () => {
    await withProcesses(1, async ([pool]) => {
      await migrate(pool, [...PG_MIGRATIONS, { version: LATEST + 1, name: 'from the future', sql: 'SELECT 1' }]);
      await expect(migrate(pool)).rejects.toThrow(`schema is at version ${LATEST + 1}, newer than this server knows (${LATEST})`);
    });
  });
});

describe('opening PostgreSQL on start', () => {
  it('answers a pool on a migrated database', async () => {
    const url = await server.createDatabase();
    const { pool, migration } = await openPostgres(url);
    try {
      expect(migration).toMatchObject({ from: 0, to: LATEST });
      expect((await pool.query('SELECT count(*)::int AS n FROM doc_updates')).rows).toEqual([{ n: 0 }]);
    } finally {
      await pool.end();
    }
  });

  it('says where it tried, without the password, when nothing answers there', async () => {
    const port = await freePort();
    const error = await openPostgres(`postgres://convene:s3cret-word@127.0.0.1:${port}/convene`, { connectionTimeoutMillis: 2_000 }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(new RegExp(`^PostgreSQL at convene@127\\.0\\.0\\.1:${port}/convene could not be opened: .*ECONNREFUSED`));
    expect((error as Error).message).not.toContain('s3cret-word');
  });
});

describe('the throwaway PostgreSQL of the tests (test/support/postgres.ts)', () => {
  it('says how to install PostgreSQL when initdb is missing', async () => {
    const saved = process.env.PG_BIN;
    process.env.PG_BIN = '/nonexistent/bin';
    try {
      await expect(startPostgres()).rejects.toThrow(INSTALL_POSTGRES);
      expect(INSTALL_POSTGRES).toContain('apt-get install postgresql');
    } finally {
      if (saved === undefined) delete process.env.PG_BIN;
      else process.env.PG_BIN = saved;
    }
  });

  // The file's last test: it stops the file's server.
  it('listens on 127.0.0.1 only, and once stopped listens nowhere and leaves no directory', async () => {
    expect(existsSync(server.dir)).toBe(true);
    const client = new pg.Client({ connectionString: server.url() });
    await client.connect();
    try {
      expect((await client.query('SHOW listen_addresses')).rows).toEqual([{ listen_addresses: '127.0.0.1' }]);
    } finally {
      await client.end();
    }
    await server.stop();
    expect(await listening(server.port)).toBe(false);
    expect(existsSync(server.dir)).toBe(false);
  });
});
