/**
 * Moving a SQLite data directory into PostgreSQL (#14,
 * `npm run migrate:sqlite-to-postgres`, scripts/migrateSqliteToPostgres.ts).
 *
 * The copy is driven by the two schemas rather than a list kept by hand: every
 * table of the SQLite database goes to the table of the same name, column for
 * column, parents before children (PostgreSQL's foreign keys), all in one
 * transaction, so a failed copy leaves the target empty. A SQLite table or
 * column that has no place in PostgreSQL stops it before anything is written,
 * named. The differences of server/pg/migrate.ts are bridged: flags become
 * booleans, `ord` takes SQLite's rowid (insertion order), identities continue
 * after the highest id copied, and each room's document log is renumbered
 * 1, 2, 3… in its own order, with `doc_rooms.last_seq`. The verification
 * that follows every copy is ./verify.ts.
 *
 * SQLite's TEXT holds a NUL character (U+0000), PostgreSQL's text cannot
 * (`invalid byte sequence for encoding "UTF8": 0x00`). The server refuses one
 * in any body now (server/http/nul.ts), but an older data directory may hold
 * some: each is copied as U+FFFD, the replacement character, and every cell
 * that held one is named (nulCells) so the tool lists it; the verifier reads
 * SQLite's NUL as U+FFFD too. SQLite itself is left as it was.
 */
import type { Db } from '../db.ts';
import type { Pool, PoolClient } from './pool.ts';

/** The document log: copied and checked room by room. */
export const DOC_LOG = 'doc_updates';
/** PostgreSQL columns SQLite has not, filled from the SQLite rowid (insertion order). */
const FROM_ROWID = new Set(['ord']);

export type Queryable = Pick<Pool | PoolClient, 'query'>;

interface PgColumn {
  name: string;
  type: string;
  nullable: boolean;
  hasDefault: boolean;
  identity: boolean;
}

interface TablePlan {
  table: string;
  /** Columns read from SQLite and written to PostgreSQL, in that order. */
  columns: string[];
  /** PostgreSQL's type of each column. */
  types: string[];
  /** PostgreSQL columns filled from the SQLite rowid. */
  rowidColumns: string[];
  /** A column referring to the same table (a parent initiative): rows go parents first. */
  selfParent?: string;
  identities: string[];
}

/** The character PostgreSQL's text cannot hold, and what the copy writes in its place. */
export const NUL = '\u0000';
export const NUL_STAND_IN = '\uFFFD';

/** A value as PostgreSQL's text can hold it: each NUL of a string replaced by U+FFFD; anything else as it is. */
export const withoutNul = <T>(value: T): T =>
  typeof value === 'string' && value.includes(NUL) ? (value.replaceAll(NUL, NUL_STAND_IN) as T) : value;

/** A SQLite cell whose text holds NUL characters: the copy writes U+FFFD in their place. */
export interface NulCell {
  table: string;
  column: string;
  /** The row's primary key, column by column (its rowid when the table has none). */
  key: [column: string, value: unknown][];
  /** How many NUL characters it holds. */
  count: number;
}

/** A copy that may not go ahead, with the sentence that says why. */
export class CopyRefused extends Error {}

export const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

function sqliteTables(db: Db): string[] {
  return db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
    .map((r) => r.name);
}

async function pgColumns(pg: Queryable): Promise<Map<string, PgColumn[]>> {
  const { rows } = await pg.query<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: string;
    column_default: string | null;
    is_identity: string;
  }>(
    `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
     FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
  );
  const tables = new Map<string, PgColumn[]>();
  for (const r of rows) {
    const list = tables.get(r.table_name) ?? [];
    list.push({
      name: r.column_name,
      type: r.data_type,
      nullable: r.is_nullable === 'YES',
      hasDefault: r.column_default !== null,
      identity: r.is_identity === 'YES',
    });
    tables.set(r.table_name, list);
  }
  return tables;
}

/** PostgreSQL's foreign keys: child table → parent tables, and self-references by column. */
async function pgForeignKeys(
  pg: Queryable,
): Promise<{ parents: Map<string, Set<string>>; selfParent: Map<string, string> }> {
  const { rows } = await pg.query<{ child: string; parent: string; column: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent, a.attname AS column
     FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
     WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`,
  );
  const parents = new Map<string, Set<string>>();
  const selfParent = new Map<string, string>();
  for (const r of rows) {
    if (r.child === r.parent) selfParent.set(r.child, r.column);
    else parents.set(r.child, (parents.get(r.child) ?? new Set()).add(r.parent));
  }
  return { parents, selfParent };
}

/**
 * What goes where, parents first; refuses (naming every one) SQLite tables and
 * columns PostgreSQL has no place for, and PostgreSQL columns nothing can fill.
 */
export async function planCopy(db: Db, pg: Queryable): Promise<TablePlan[]> {
  const target = await pgColumns(pg);
  const { parents, selfParent } = await pgForeignKeys(pg);
  const problems: string[] = [];
  const plans = new Map<string, TablePlan>();
  for (const table of sqliteTables(db)) {
    const pgCols = target.get(table);
    if (!pgCols) {
      problems.push(`the table ${table} has no place in PostgreSQL`);
      continue;
    }
    const sqliteCols = db
      .prepare<[], { name: string }>(`PRAGMA table_info(${ident(table)})`)
      .all()
      .map((c) => c.name);
    const byName = new Map(pgCols.map((c) => [c.name, c]));
    for (const c of sqliteCols)
      if (!byName.has(c)) problems.push(`the column ${table}.${c} has no place in PostgreSQL`);
    const rowidColumns = pgCols
      .filter((c) => !sqliteCols.includes(c.name) && FROM_ROWID.has(c.name))
      .map((c) => c.name);
    for (const c of pgCols) {
      if (table === DOC_LOG || sqliteCols.includes(c.name) || rowidColumns.includes(c.name)) continue;
      if (!c.nullable && !c.hasDefault) problems.push(`nothing in SQLite fills the column ${table}.${c.name}`);
    }
    const columns = sqliteCols.filter((c) => byName.has(c));
    plans.set(table, {
      table,
      columns,
      types: columns.map((c) => byName.get(c)!.type),
      rowidColumns,
      selfParent: selfParent.get(table),
      identities: pgCols.filter((c) => c.identity).map((c) => c.name),
    });
  }
  if (problems.length > 0)
    throw new CopyRefused(
      `The SQLite database does not fit the PostgreSQL schema: ${problems.join('; ')}. Nothing was copied.`,
    );
  // Parents before children, so every foreign key finds its row.
  const ordered: TablePlan[] = [];
  const visit = (table: string, path: Set<string>) => {
    const plan = plans.get(table);
    if (!plan || ordered.includes(plan) || path.has(table)) return;
    path.add(table);
    for (const parent of parents.get(table) ?? []) visit(parent, path);
    ordered.push(plan);
  };
  for (const table of [...plans.keys()].sort()) visit(table, new Set());
  return ordered;
}

/** Answers the tables of the target that hold rows, with their counts (empty: the target is empty). */
export async function occupiedTables(pg: Queryable): Promise<{ table: string; rows: number }[]> {
  const tables = [...(await pgColumns(pg)).keys()].filter((t) => t !== 'schema_migrations');
  const counts = await Promise.all(tables.map(async (table) => ({ table, rows: await pgCount(pg, table) })));
  return counts.filter((c) => c.rows > 0);
}

export async function pgCount(pg: Queryable, table: string): Promise<number> {
  const { rows } = await pg.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident(table)}`);
  return Number(rows[0].n);
}

export const sqliteCount = (db: Db, table: string) =>
  db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${ident(table)}`).get()!.n;

/** A SQLite value as PostgreSQL's column takes it (a NUL in text as U+FFFD). */
function toPg(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return value !== 0 && value !== '0';
  return withoutNul(value);
}

/** The columns of a SQLite table's primary key, in key order; `rowid` when it has none. */
function keyColumns(db: Db, table: string): string[] {
  const columns = db
    .prepare<[], { name: string; pk: number }>(`PRAGMA table_info(${ident(table)})`)
    .all()
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  return columns.length > 0 ? columns : ['rowid'];
}

/**
 * Every cell of the tables `plans` copies whose text holds a NUL character,
 * table by table, in key order. SQLite's own text functions stop at a NUL, so
 * each value is searched as the bytes it is stored as. Reads only.
 */
export function nulCells(db: Db, plans: readonly Pick<TablePlan, 'table' | 'columns'>[]): NulCell[] {
  const cells: NulCell[] = [];
  for (const { table, columns } of [...plans].sort((a, b) => (a.table < b.table ? -1 : a.table > b.table ? 1 : 0))) {
    if (columns.length === 0) continue;
    const keys = keyColumns(db, table);
    const holds = (c: string) => `(typeof(${ident(c)}) = 'text' AND instr(CAST(${ident(c)} AS BLOB), x'00') > 0)`;
    const rows = db
      .prepare(
        `SELECT ${keys.map((k, i) => `${ident(k)} AS "__key${i}"`).join(', ')}, ${columns.map(ident).join(', ')}
         FROM ${ident(table)} WHERE ${columns.map(holds).join(' OR ')} ORDER BY ${keys.map(ident).join(', ')}`,
      )
      .all() as Record<string, unknown>[];
    for (const row of rows) {
      for (const column of columns) {
        const value = row[column];
        if (typeof value !== 'string' || !value.includes(NUL)) continue;
        cells.push({
          table,
          column,
          key: keys.map((k, i) => [k, row[`__key${i}`]]),
          count: value.split(NUL).length - 1,
        });
      }
    }
  }
  return cells;
}

/** A cell in words: `initiatives.name, the row with id "…": 1 NUL character` (a NUL in the key written as \u0000). */
export function describeNulCell(cell: NulCell): string {
  const key = cell.key.map(([column, value]) => `${column} ${JSON.stringify(value) ?? String(value)}`).join(', ');
  return `${cell.table}.${cell.column}, the row with ${key}: ${cell.count} NUL character${cell.count === 1 ? '' : 's'}`;
}

/** Inserts rows in statements of at most ~500 rows or 8 MB. */
async function insertRows(
  client: PoolClient,
  table: string,
  columns: string[],
  rows: AsyncIterable<unknown[]> | Iterable<unknown[]>,
): Promise<number> {
  const perRow = Math.max(1, Math.min(500, Math.floor(60_000 / columns.length)));
  let batch: unknown[][] = [];
  let bytes = 0;
  let total = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const values = batch
      .map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
      .join(', ');
    await client.query(`INSERT INTO ${ident(table)} (${columns.map(ident).join(', ')}) VALUES ${values}`, batch.flat());
    total += batch.length;
    batch = [];
    bytes = 0;
  };
  for await (const row of rows) {
    batch.push(row);
    bytes += row.reduce<number>(
      (n, v) => n + (Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length : 8),
      0,
    );
    if (batch.length >= perRow || bytes >= 8 * 2 ** 20) await flush();
  }
  await flush();
  return total;
}

/** Rows ordered so that each row's parent (same table) comes before it. */
function parentsFirst(rows: Record<string, unknown>[], key: string, parentColumn: string): Record<string, unknown>[] {
  const placed = new Set<unknown>();
  const ids = new Set(rows.map((r) => r[key]));
  const out: Record<string, unknown>[] = [];
  let rest = rows;
  while (rest.length > 0) {
    const ready = rest.filter(
      (r) => r[parentColumn] == null || placed.has(r[parentColumn]) || !ids.has(r[parentColumn]),
    );
    // A cycle cannot be placed in order: let PostgreSQL name the foreign key it breaks.
    const next = ready.length > 0 ? ready : rest;
    for (const r of next) {
      placed.add(r[key]);
      out.push(r);
    }
    rest = rest.filter((r) => !next.includes(r));
  }
  return out;
}

export interface Moved {
  table: string;
  rows: number;
}

/**
 * Copies every table of `db` into the PostgreSQL database of `pool` in one
 * transaction. The target must be migrated (openPostgres) and empty: else it
 * refuses with a sentence naming what it holds.
 */
export async function copySqliteToPostgres(
  db: Db,
  pool: Pool,
): Promise<{ moved: Moved[]; rooms: number; nul: NulCell[] }> {
  const occupied = await occupiedTables(pool);
  if (occupied.length > 0) {
    throw new CopyRefused(
      `The PostgreSQL database is not empty (${occupied.map((o) => `${o.table}: ${o.rows} rows`).join(', ')}): ` +
        'migrate into an empty database, so nothing there is overwritten or mixed with this copy. Nothing was copied.',
    );
  }
  const plans = await planCopy(db, pool);
  // Named before anything is written: the tool lists each, whatever happens next.
  const nul = nulCells(db, plans);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const moved: Moved[] = [];
    let rooms = 0;
    for (const plan of plans) {
      if (plan.table === DOC_LOG) {
        const copied = await copyDocLog(db, client);
        rooms = copied.rooms;
        moved.push({ table: DOC_LOG, rows: copied.rows });
        continue;
      }
      const select = db.prepare(
        `SELECT rowid AS "__rowid", ${plan.columns.map(ident).join(', ')} FROM ${ident(plan.table)} ORDER BY rowid`,
      );
      let rows = select.all() as Record<string, unknown>[];
      if (plan.selfParent) rows = parentsFirst(rows, plan.columns[0], plan.selfParent);
      const columns = [...plan.columns, ...plan.rowidColumns];
      const values = rows.map((r) => [
        ...plan.columns.map((c, i) => toPg(r[c], plan.types[i])),
        ...plan.rowidColumns.map(() => r.__rowid),
      ]);
      moved.push({ table: plan.table, rows: await insertRows(client, plan.table, columns, values) });
      // New rows get ids after the highest copied.
      for (const column of [...plan.identities]) {
        await client.query(
          `SELECT setval(pg_get_serial_sequence($1, $2), COALESCE((SELECT max(${ident(column)}) FROM ${ident(plan.table)}), 0) + 1, false)`,
          [plan.table, column],
        );
      }
    }
    await client.query('COMMIT');
    return { moved, rooms, nul };
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}

/** Each room's log, in its order, numbered 1, 2, 3… with the room's last number in doc_rooms. */
async function copyDocLog(db: Db, client: PoolClient): Promise<{ rows: number; rooms: number }> {
  const rooms = db.prepare<[], { room: string }>(`SELECT DISTINCT room FROM ${DOC_LOG} ORDER BY room`).all();
  const entries = db.prepare<[string], { data: Buffer }>(`SELECT data FROM ${DOC_LOG} WHERE room = ? ORDER BY seq`);
  let rows = 0;
  for (const { room } of rooms) {
    const log = entries.all(room).map((e, i) => [withoutNul(room), i + 1, e.data]);
    rows += await insertRows(client, DOC_LOG, ['room', 'seq', 'data'], log);
    await client.query('INSERT INTO doc_rooms (room, last_seq) VALUES ($1, $2)', [withoutNul(room), log.length]);
  }
  return { rows, rooms: rooms.length };
}
