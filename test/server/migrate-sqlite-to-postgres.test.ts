/**
 * `npm run migrate:sqlite-to-postgres` (scripts/migrateSqliteToPostgres.ts,
 * server/pg/copy.ts) on a real SQLite data directory, made by a real server with
 * the demo and edits through y-websocket clients, into a real PostgreSQL
 * (test/support/postgres.ts): every row and every document arrives, a non-empty
 * target is refused, and a copy changed afterwards is reported by the verifier.
 * Text holding a NUL character (which PostgreSQL cannot store) arrives as
 * U+FFFD, each such cell listed; `--verify-only` migrates neither database and
 * refuses, naming the versions, when either schema is not this checkout's.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { openDb, type Db } from '../../server/db.ts';
import { migrate, PG_MIGRATIONS } from '../../server/pg/migrate.ts';
import { createPool, type Pool } from '../../server/pg/pool.ts';
import { pgSchemaVersion, sqliteSchemaVersion } from '../../server/pg/readOnly.ts';
import { docHash } from '../../server/pg/verify.ts';
import { PostgresDocStorage } from '../../server/storage/postgres.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { lockDataDir } from '../../server/dataDirLock.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';
import { startHarness, syncClient } from './harness.ts';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** Runs the command as `npm run migrate:sqlite-to-postgres -- …` does; answers its exit code and output. */
function migrateCommand(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/migrateSqliteToPostgres.ts', ...args],
      { cwd: root, timeout: 120_000 },
      (error, stdout, stderr) => {
        done({ code: error ? ((error as { code?: number }).code ?? -1) : 0, stdout, stderr });
      },
    );
  });
}

let pg: TestPostgres;
let dataDir: string;
let url: string;
let pool: Pool;
let db: Db;
/** The room edited through y-websocket clients, and the demo coalition's room. */
let edited: string;
let demoRoom: string;

beforeAll(async () => {
  pg = await startPostgres();
  // A real server with the demo initiatives, a new initiative and members, and edits through the sync endpoint.
  const harness = await startHarness({ demo: true });
  dataDir = harness.dataDir;
  demoRoom = harness.convene.demo!.initiativeId;
  edited = await harness.createInitiative('Harbour Literacy Collaborative');
  const [a, b] = await Promise.all([harness.invite(edited, 'facilitator'), harness.invite(edited, 'participant')]);
  const clients = [syncClient(harness.url, edited, a), syncClient(harness.url, edited, b)];
  await Promise.all(clients.map((c) => c.synced));
  for (let i = 0; i < 12; i++) clients[i % 2].doc.getMap('edits').set(`card-${i}`, { n: i, by: i % 2 });
  clients[0].doc.getText('notes').insert(0, 'Reading buddies start in March.');
  clients[1].doc.getMap('edits').delete('card-3');
  await vi.waitFor(() => expect(clients[0].doc.getMap('edits').size).toBe(11));
  await vi.waitFor(() => expect(clients[1].doc.getText('notes').toString()).toBe('Reading buddies start in March.'));
  for (const c of clients) c.destroy();
  // Stopped, as the migration wants it: every write has landed.
  await harness.convene.close();
  url = await pg.createDatabase();
  pool = createPool(url, { max: 2 });
  db = openDb(dataDir);
}, 120_000);
afterAll(async () => {
  db?.close();
  await pool?.end();
  await pg?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const sqliteTables = () =>
  (
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all() as { name: string }[]
  ).map((r) => r.name);
const sqliteCount = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
const pgCount = async (table: string) => Number((await pool.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('migrate:sqlite-to-postgres', () => {
  it('copies every table and every document, verifies them and prints what it moved', async () => {
    const run = await migrateCommand('--data', dataDir, '--database', url);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Moved and verified/);

    // Checked here again, without the tool's verifier: every table holds as many rows on both sides…
    const tables = sqliteTables();
    expect(tables).toContain('doc_updates');
    for (const table of tables) {
      expect(run.stdout).toMatch(new RegExp(`^${table}\\s+\\d+`, 'm'));
      expect({ table, rows: await pgCount(table) }).toEqual({ table, rows: sqliteCount(table) });
    }
    expect(sqliteCount('initiatives')).toBe(4);
    expect(sqliteCount('audit')).toBeGreaterThan(0);
    expect(sqliteCount('measurements')).toBeGreaterThan(0);

    // …the hierarchy of initiatives and the flags survive…
    const parents = (await pool.query('SELECT id, parent_id FROM initiatives ORDER BY id')).rows;
    expect(parents).toEqual(db.prepare('SELECT id, parent_id FROM initiatives ORDER BY id').all());
    expect(parents.some((r) => r.parent_id !== null)).toBe(true);
    const sessions = (await pool.query('SELECT id_hash, admin FROM sessions ORDER BY id_hash')).rows;
    expect(sessions).toEqual(
      (
        db.prepare('SELECT id_hash, admin FROM sessions ORDER BY id_hash').all() as { id_hash: string; admin: number }[]
      ).map((s) => ({ ...s, admin: s.admin === 1 })),
    );

    // …each document loads in PostgreSQL as it does in SQLite, numbered 1..n per room…
    const sqliteDocs = new SqliteDocStorage(db);
    const pgDocs = new PostgresDocStorage(pool);
    for (const room of [edited, demoRoom]) {
      const left = sqliteDocs.load(room)!;
      const right = (await pgDocs.load(room))!;
      expect(right.entries).toBe(left.entries);
      expect(right.seq).toBe(right.entries);
      expect(docHash(right.update)).toBe(docHash(left.update));
    }
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await pgDocs.load(edited))!.update);
    expect(doc.getMap('edits').size).toBe(11);
    expect(doc.getMap('edits').has('card-3')).toBe(false);
    expect(doc.getText('notes').toString()).toBe('Reading buddies start in March.');
    doc.destroy();
    // …and a room's next entry, and the next audit entry, follow on.
    expect(await pgDocs.append(edited, Y.encodeStateAsUpdate(new Y.Doc()))).toBe(sqliteDocs.load(edited)!.entries + 1);
    await pool.query(
      'DELETE FROM doc_updates WHERE room = $1 AND seq = (SELECT last_seq FROM doc_rooms WHERE room = $1)',
      [edited],
    );
    await pool.query('UPDATE doc_rooms SET last_seq = last_seq - 1 WHERE room = $1', [edited]);
    const maxAudit = (db.prepare('SELECT max(id) AS id FROM audit').get() as { id: number }).id;
    const inserted = await pool.query(
      `INSERT INTO audit (initiative_id, at, action, actor_name, subject_kind, subject_id, detail) VALUES ($1, 'now', 'test', 'Test', 'member', 'm', '{}') RETURNING id`,
      [edited],
    );
    expect(Number(inserted.rows[0].id)).toBe(maxAudit + 1);
    await pool.query('DELETE FROM audit WHERE id = $1', [inserted.rows[0].id]);
  }, 120_000);

  it('refuses a target that is not empty, with a sentence, and changes nothing there', async () => {
    const before = await pgCount('initiatives');
    const run = await migrateCommand('--data', dataDir, '--database', url);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /The PostgreSQL database is not empty \(.*initiatives: 4 rows.*\): migrate into an empty database/,
    );
    expect(run.stderr).toMatch(/Nothing was copied\./);
    expect(await pgCount('initiatives')).toBe(before);
  }, 120_000);

  it('refuses a data directory a server holds, naming it, and copies nothing', async () => {
    const target = await pg.createDatabase();
    // This test process stands in for a server running on the directory.
    const held = lockDataDir(dataDir);
    try {
      const refused = await migrateCommand('--data', dataDir, '--database', target);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/The data directory .* is held by another Convene process \(pid \d+ on .*\)/);
      expect(refused.stdout).not.toMatch(/Copying/);
    } finally {
      held.release();
    }
    const targetPool = createPool(target, { max: 1 });
    try {
      expect(Number((await targetPool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'initiatives'")).rows[0].n)).toBe(0);
    } finally {
      await targetPool.end();
    }
  }, 120_000);

  it('says what is missing: no data directory, no database argument', async () => {
    const missing = await migrateCommand('--data', resolve(dataDir, 'nowhere'), '--database', url);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/There is no Convene database in .*nowhere \(no convene\.db\)/);
    const noTarget = await migrateCommand('--data', dataDir);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/--database is missing/);
  }, 120_000);

  it('the verifier alone reports a copy changed afterwards: a log entry with other bytes, a renamed initiative', async () => {
    const clean = await migrateCommand('--data', dataDir, '--database', url, '--verify-only');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/The copy matches\./);

    // One entry of the edited room's log gets another update's bytes: the counts still agree.
    const other = new Y.Doc();
    other.getMap('edits').set('card-1', 'tampered');
    await pool.query('UPDATE doc_updates SET data = $2 WHERE room = $1 AND seq = 1', [
      edited,
      Buffer.from(Y.encodeStateAsUpdate(other)),
    ]);
    other.destroy();
    await pool.query("UPDATE initiatives SET name = 'Tampered' WHERE id = $1", [demoRoom]);

    const run = await migrateCommand('--data', dataDir, '--database', url, '--verify-only');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`room ${edited}: the document differs`);
    expect(run.stderr).toContain('initiatives: as many rows on both sides, but their content differs.');
    expect(run.stderr).toMatch(/The copy does not match \(2\)/);
    expect(run.stdout).toMatch(/^initiatives\s+4\s+4\s+DIFFERS$/m);
  }, 120_000);

  it('copies text holding a NUL character as U+FFFD, names every such cell, and verifies the copy', async () => {
    // A data directory written before the server refused NUL: the characters put in as SQLite stored them.
    const harness = await startHarness();
    const dir = harness.dataDir;
    const target = await pg.createDatabase();
    const targetPool = createPool(target, { max: 1 });
    try {
      const id = await harness.createInitiative('Harbour Literacy Collaborative');
      const member = await harness.join(id, 'participant', 'Ana Lima');
      await harness.convene.close();
      const room = 'stray\u0000room';
      const stray = new Y.Doc();
      stray.getText('notes').insert(0, 'A room whose name holds a NUL.');
      const old = openDb(dir);
      try {
        old.prepare('UPDATE initiatives SET name = ? WHERE id = ?').run('Nul\u0000Name', id);
        old.prepare('UPDATE members SET name = ? WHERE id = ?').run('Ana\u0000\u0000Lima', member.memberId);
        old.prepare('INSERT INTO doc_updates (room, seq, data) VALUES (?, 1, ?)').run(room, Buffer.from(Y.encodeStateAsUpdate(stray)));
      } finally {
        old.close();
        stray.destroy();
      }

      const run = await migrateCommand('--data', dir, '--database', target);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(
        `3 text values in ${join(dir, 'convene.db')} held a NUL character (U+0000), which PostgreSQL cannot store: each was copied with U+FFFD`,
      );
      expect(run.stdout).toContain(`- doc_updates.room, the row with room "stray\\u0000room", seq 1: 1 NUL character\n`);
      expect(run.stdout).toContain(`- initiatives.name, the row with id "${id}": 1 NUL character\n`);
      expect(run.stdout).toContain(`- members.name, the row with id "${member.memberId}": 2 NUL characters\n`);
      // The stray room among them, under its name in PostgreSQL.
      expect(run.stdout).toMatch(/Documents: (\d+) rooms, \1 with the same log entries and document hash on both sides\./);
      expect(run.stdout).toMatch(/Moved and verified/);

      // PostgreSQL holds U+FFFD where SQLite holds NUL; SQLite is left as it was.
      const names = await targetPool.query('SELECT name FROM initiatives WHERE id = $1', [id]);
      expect(names.rows).toEqual([{ name: 'Nul\uFFFDName' }]);
      expect((await targetPool.query('SELECT name FROM members WHERE id = $1', [member.memberId])).rows).toEqual([
        { name: 'Ana\uFFFD\uFFFDLima' },
      ]);
      const copiedRoom = await new PostgresDocStorage(targetPool).load('stray\uFFFDroom');
      const doc = new Y.Doc();
      Y.applyUpdate(doc, copiedRoom!.update);
      expect(doc.getText('notes').toString()).toBe('A room whose name holds a NUL.');
      doc.destroy();
      const left = openDb(dir);
      try {
        expect(left.prepare('SELECT name FROM initiatives WHERE id = ?').get(id)).toEqual({ name: 'Nul\u0000Name' });
      } finally {
        left.close();
      }

      // Verified again later, the same cells are listed and the copy matches…
      const again = await migrateCommand('--data', dir, '--database', target, '--verify-only');
      expect(again.stderr).toBe('');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`- initiatives.name, the row with id "${id}": 1 NUL character\n`);
      expect(again.stdout).toMatch(/The copy matches\./);
      // …while another change to such a cell is still a difference.
      await targetPool.query("UPDATE initiatives SET name = 'Nul Name' WHERE id = $1", [id]);
      const changed = await migrateCommand('--data', dir, '--database', target, '--verify-only');
      expect(changed.code).toBe(1);
      expect(changed.stderr).toContain('initiatives: as many rows on both sides, but their content differs.');
    } finally {
      await targetPool.end();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('--verify-only migrates neither database: schemas older than this checkout are refused, named, and left as they were', async () => {
    const sqliteLatest = sqliteSchemaVersion();
    const pgLatest = pgSchemaVersion();
    // A data directory and a copy as an older release left them, one version behind on each side.
    const dir = mkdtempSync(join(tmpdir(), 'convene-old-'));
    openDb(dir, Date.now(), sqliteLatest - 1).close();
    const target = await pg.createDatabase();
    const targetPool = createPool(target, { max: 1 });
    const file = join(dir, 'convene.db');
    const sqliteState = () => {
      const old = openDb(dir, Date.now(), 0);
      try {
        return { version: old.pragma('user_version', { simple: true }), bytes: createHash('sha256').update(readFileSync(file)).digest('hex') };
      } finally {
        old.close();
      }
    };
    const pgState = async () => ({
      versions: (await targetPool.query('SELECT version FROM schema_migrations ORDER BY version')).rows.map((r) => r.version),
      docSeq: Number((await targetPool.query("SELECT count(*) AS n FROM information_schema.columns WHERE table_name = 'initiative_status' AND column_name = 'doc_seq'")).rows[0].n),
    });
    try {
      await migrate(targetPool, PG_MIGRATIONS.slice(0, -1));
      const before = { sqlite: sqliteState(), pg: await pgState() };
      expect(before.sqlite.version).toBe(sqliteLatest - 1);
      expect(before.pg.versions.at(-1)).toBe(pgLatest - 1);

      const run = await migrateCommand('--data', dir, '--database', target, '--verify-only');
      expect(run.code).toBe(1);
      expect(run.stdout).not.toMatch(/Verifying/);
      expect(run.stderr).toContain(
        `Cannot verify: ${file} is at schema version ${sqliteLatest - 1}, older than this checkout's (${sqliteLatest}); ` +
          `the PostgreSQL database at `,
      );
      expect(run.stderr).toMatch(
        new RegExp(`is at schema version ${pgLatest - 1}, older than this checkout's \\(${pgLatest}\\)\\. --verify-only writes nothing, so it brings neither database up to date: verify with the release of Convene whose schema versions these are`),
      );
      expect(run.stderr).toMatch(/Nothing was changed\.\n$/);
      expect({ sqlite: sqliteState(), pg: await pgState() }).toEqual(before);
    } finally {
      await targetPool.end();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('--verify-only against a database nothing was copied into creates no schema there and says so', async () => {
    const target = await pg.createDatabase();
    const targetPool = createPool(target, { max: 1 });
    const tables = async () =>
      Number((await targetPool.query("SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0].n);
    try {
      const run = await migrateCommand('--data', dataDir, '--database', target, '--verify-only');
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(
        /Cannot verify: the PostgreSQL database at .* holds no Convene schema, so nothing was copied into it \(run the command without --verify-only to copy\)\. .*Nothing was changed\./,
      );
      expect(await tables()).toBe(0);
    } finally {
      await targetPool.end();
    }
  }, 120_000);
});
