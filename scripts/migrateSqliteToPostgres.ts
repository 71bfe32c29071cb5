/**
 * `npm run migrate:sqlite-to-postgres -- --data <dir> --database <url> [--verify-only]`
 *
 * Moves a Convene SQLite data directory (its convene.db) into an empty
 * PostgreSQL database (docs/deploy.md): brings PostgreSQL's schema up to date,
 * copies every table in one transaction (server/pg/copy.ts), then verifies the
 * copy (row counts and content per table, document hash per room) and prints
 * what it moved. Exits 0 when the copy is faithful, 1 naming every mismatch or
 * the reason it refused, 2 for wrong arguments.
 *
 * `--verify-only` compares an earlier copy again and writes to neither
 * database (server/pg/readOnly.ts): convene.db is opened read-only,
 * PostgreSQL's sessions are read-only, and neither schema is migrated; when
 * either is at another schema version than this checkout's, it refuses,
 * naming both versions, rather than upgrade a database in production.
 *
 * Stop the server on that data directory first: edits made during the copy
 * would not be in it, so a data directory a server holds is refused
 * (server/dataDirLock.ts). To copy, an older data directory is brought to the
 * current SQLite schema first, as the server would on start.
 *
 * Text holding a NUL character (U+0000), which SQLite stores and PostgreSQL
 * cannot, is copied with U+FFFD in its place; every such cell is listed by
 * table, column and key, and the verification compares it as U+FFFD
 * (server/pg/copy.ts).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openHeldDb } from '../server/dataDirLock.ts';
import type { Db } from '../server/db.ts';
import { copySqliteToPostgres, describeNulCell, type NulCell, type Queryable } from '../server/pg/copy.ts';
import { openReadOnly } from '../server/pg/readOnly.ts';
import { verifyCopy, type Verification } from '../server/pg/verify.ts';
import { describeUrl, openPostgres } from '../server/pg/migrate.ts';

const USAGE =
  'Usage: npm run migrate:sqlite-to-postgres -- --data <data directory> --database postgres://user:password@host:port/database [--verify-only]';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '))
    .join('\n');
}

function report(verification: Verification, moved?: Map<string, number>): string {
  const rows = [['table', ...(moved ? ['copied'] : []), 'SQLite', 'PostgreSQL', 'content']];
  for (const t of verification.tables) {
    rows.push([
      t.table,
      ...(moved ? [String(moved.get(t.table) ?? 0)] : []),
      String(t.sqlite),
      String(t.postgres),
      t.table === 'doc_updates' ? 'by room' : t.sameContent ? 'same' : 'DIFFERS',
    ]);
  }
  const rooms = verification.rooms;
  const same = rooms.filter((r) => r.sqliteHash === r.postgresHash && r.sqliteEntries === r.postgresEntries).length;
  return `${table(rows)}\n\nDocuments: ${rooms.length} rooms, ${same} with the same log entries and document hash on both sides.`;
}

/** The cells whose NUL characters became U+FFFD in PostgreSQL, one line each. */
function nulReport(cells: NulCell[], file: string, copied: boolean): string {
  const values = `${cells.length} text value${cells.length === 1 ? '' : 's'} in ${file}`;
  const head = copied
    ? `${values} held a NUL character (U+0000), which PostgreSQL cannot store: each was copied with U+FFFD (the replacement character) in its place, and ${file} was left as it was.`
    : `${values} hold a NUL character (U+0000), which PostgreSQL cannot store: the copy wrote U+FFFD (the replacement character) in its place, and each is compared as such.`;
  return `${head}\n${cells.map((c) => `- ${describeNulCell(c)}`).join('\n')}`;
}

export async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { data: { type: 'string' }, database: { type: 'string' }, 'verify-only': { type: 'boolean' } },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!args.data || !args.database) {
    console.error(
      `Say which data directory to move and where: ${!args.data ? '--data is missing' : '--database is missing'}.\n${USAGE}`,
    );
    return 2;
  }
  const dataDir = resolve(args.data);
  if (!existsSync(join(dataDir, 'convene.db'))) {
    console.error(`There is no Convene database in ${dataDir} (no convene.db): give the DATA_DIR the server ran with.`);
    return 1;
  }
  const target = describeUrl(args.database);
  const file = join(dataDir, 'convene.db');
  if (args['verify-only']) {
    let opened: Awaited<ReturnType<typeof openReadOnly>>;
    try {
      // Opened as they are: read-only, migrated by nobody, refused at another schema version than this checkout's.
      opened = await openReadOnly(dataDir, args.database);
    } catch (error) {
      console.error((error as Error).message);
      return 1;
    }
    try {
      console.log(`Verifying ${file} against PostgreSQL at ${target}…`);
      return await verifyAndReport(opened.db, opened.pg, file);
    } catch (error) {
      console.error((error as Error).message);
      return 1;
    } finally {
      await opened.release();
    }
  }

  let held: ReturnType<typeof openHeldDb>;
  try {
    // A server running on the directory would go on writing after the copy: refused with the holder named.
    held = openHeldDb(dataDir);
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  let pg;
  try {
    pg = await openPostgres(args.database, { max: 2 });
  } catch (error) {
    held.release();
    console.error((error as Error).message);
    return 1;
  }
  try {
    console.log(`Copying ${file} into PostgreSQL at ${target} (schema version ${pg.migration.to})…`);
    const copied = await copySqliteToPostgres(held.db, pg.pool);
    if (copied.nul.length > 0) console.log(nulReport(copied.nul, file, true));
    console.log(`Verifying ${file} against PostgreSQL at ${target}…`);
    return await verifyAndReport(held.db, pg.pool, file, new Map(copied.moved.map((m) => [m.table, m.rows])));
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  } finally {
    held.release();
    await pg.pool.end();
  }
}

/** Verifies, prints the table of what each side holds, and answers the exit code; `moved` after a copy. */
async function verifyAndReport(db: Db, pg: Queryable, file: string, moved?: Map<string, number>): Promise<number> {
  const verification = await verifyCopy(db, pg);
  // After a copy they were listed already, as it wrote them.
  if (!moved && verification.nul.length > 0) console.log(nulReport(verification.nul, file, false));
  console.log(report(verification, moved));
  if (verification.mismatches.length > 0) {
    console.error(
      `\nThe copy does not match (${verification.mismatches.length}):\n${verification.mismatches.map((m) => `- ${m}`).join('\n')}`,
    );
    return 1;
  }
  console.log(
    moved ? '\nMoved and verified: start the servers with DATABASE_URL set to this database.' : '\nThe copy matches.',
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
