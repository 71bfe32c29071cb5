/**
 * Verifying a copy of a SQLite data directory in PostgreSQL (./copy.ts,
 * `npm run migrate:sqlite-to-postgres`): both sides are read again, row counts
 * and a content hash per table, and per room the log entries, their numbering
 * and a hash of the document itself (the log loaded into a Y.Doc: the JSON of
 * every root, keys sorted, and the state vector), so a changed byte in a log
 * entry is caught even where the counts agree. A NUL character in SQLite's
 * text is read as the U+FFFD the copy wrote in its place (./copy.ts), and the
 * cells that hold one are listed.
 */
import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import type { Db } from '../db.ts';
import { storedDoc } from '../storage/types.ts';
import {
  DOC_LOG,
  ident,
  nulCells,
  pgCount,
  planCopy,
  sqliteCount,
  withoutNul,
  type NulCell,
  type Queryable,
} from './copy.ts';

/** A hash of a document's content: the JSON of every root (keys sorted) and its state vector. */
export function docHash(update: Uint8Array): string {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, update);
    // Applying an update instantiates every root it names, untyped: read each as what its content is.
    const roots: Record<string, unknown> = {};
    for (const name of [...doc.share.keys()].sort()) {
      const untyped = doc.share.get(name)!;
      const content = untyped._start?.content;
      roots[name] =
        untyped._map.size > 0
          ? doc.getMap(name).toJSON()
          : content instanceof Y.ContentString || content instanceof Y.ContentFormat
            ? doc.getText(name).toDelta()
            : doc.getArray(name).toJSON();
    }
    const vector = [...Y.decodeStateVector(Y.encodeStateVector(doc))].sort((a, b) => a[0] - b[0]);
    return createHash('sha256').update(stableJson({ roots, vector })).digest('hex');
  } finally {
    doc.destroy();
  }
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify({ bytes: Buffer.from(value).toString('base64') });
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An order-free hash of rows: the sum of each row's hash, so both databases may answer in any order. */
function rowsHash(rows: Iterable<unknown[]>): string {
  let sum = 0n;
  for (const row of rows) {
    const normal = row.map((v) =>
      v === null || v === undefined
        ? null
        : Buffer.isBuffer(v)
          ? `x${v.toString('hex')}`
          : typeof v === 'boolean'
            ? v
              ? '1'
              : '0'
            : withoutNul(String(v)),
    );
    sum =
      (sum + BigInt(`0x${createHash('sha256').update(JSON.stringify(normal)).digest('hex').slice(0, 32)}`)) %
      2n ** 128n;
  }
  return sum.toString(16).padStart(32, '0');
}

export interface TableCheck {
  table: string;
  sqlite: number;
  postgres: number;
  /** Whether the rows' content is the same (the counts aside). */
  sameContent: boolean;
}

export interface RoomCheck {
  room: string;
  sqliteEntries: number;
  postgresEntries: number;
  sqliteHash: string | null;
  postgresHash: string | null;
}

export interface Verification {
  tables: TableCheck[];
  rooms: RoomCheck[];
  /** One sentence per difference; empty when the copy is faithful. */
  mismatches: string[];
  /** The SQLite cells whose NUL characters are compared as (and were copied as) U+FFFD. */
  nul: NulCell[];
}

/** Compares the SQLite database with its copy in PostgreSQL: counts and content per table, entries and document hash per room. */
export async function verifyCopy(db: Db, pg: Queryable): Promise<Verification> {
  const plans = await planCopy(db, pg);
  const mismatches: string[] = [];
  const tables: TableCheck[] = [];
  for (const plan of plans) {
    const sqlite = sqliteCount(db, plan.table);
    const postgres = await pgCount(pg, plan.table);
    let sameContent = true;
    if (plan.table !== DOC_LOG) {
      const cols = plan.columns.map(ident).join(', ');
      const left = rowsHash(
        db
          .prepare(`SELECT ${cols} FROM ${ident(plan.table)}`)
          .raw()
          .iterate() as Iterable<unknown[]>,
      );
      const right = rowsHash(
        (await pg.query({ text: `SELECT ${cols} FROM ${ident(plan.table)}`, rowMode: 'array' })).rows as unknown[][],
      );
      sameContent = left === right;
    }
    tables.push({ table: plan.table, sqlite, postgres, sameContent });
    if (sqlite !== postgres) mismatches.push(`${plan.table}: ${sqlite} rows in SQLite, ${postgres} in PostgreSQL.`);
    else if (!sameContent) mismatches.push(`${plan.table}: as many rows on both sides, but their content differs.`);
  }
  const rooms = await verifyRooms(db, pg, mismatches);
  return { tables, rooms, mismatches, nul: nulCells(db, plans) };
}

async function verifyRooms(db: Db, pg: Queryable, mismatches: string[]): Promise<RoomCheck[]> {
  // Each room by its name in PostgreSQL, with its name in SQLite (which may hold a NUL the copy replaced).
  const sqliteName = new Map(
    db
      .prepare<[], { room: string }>(`SELECT DISTINCT room FROM ${DOC_LOG}`)
      .all()
      .map((r) => [withoutNul(r.room), r.room]),
  );
  const names = new Set(sqliteName.keys());
  for (const r of (await pg.query<{ room: string }>(`SELECT DISTINCT room FROM ${DOC_LOG}`)).rows) names.add(r.room);
  const lastSeq = new Map(
    (await pg.query<{ room: string; last_seq: string }>('SELECT room, last_seq FROM doc_rooms')).rows.map((r) => [
      r.room,
      Number(r.last_seq),
    ]),
  );
  const sqliteLog = db.prepare<[string], { seq: number; data: Buffer }>(
    `SELECT seq, data FROM ${DOC_LOG} WHERE room = ? ORDER BY seq`,
  );
  const checks: RoomCheck[] = [];
  for (const room of [...names].sort()) {
    const left = sqliteLog.all(sqliteName.get(room) ?? room);
    const right = (
      await pg.query<{ seq: number; data: Buffer }>(
        `SELECT seq::float8 AS seq, data FROM ${DOC_LOG} WHERE room = $1 ORDER BY seq`,
        [room],
      )
    ).rows;
    const hash = (rows: { seq: number; data: Buffer }[]) => {
      const stored = storedDoc(rows);
      return stored ? docHash(stored.update) : null;
    };
    const check = {
      room,
      sqliteEntries: left.length,
      postgresEntries: right.length,
      sqliteHash: hash(left),
      postgresHash: hash(right),
    };
    checks.push(check);
    if (check.sqliteEntries !== check.postgresEntries)
      mismatches.push(
        `room ${room}: ${check.sqliteEntries} log entries in SQLite, ${check.postgresEntries} in PostgreSQL.`,
      );
    if (check.sqliteHash !== check.postgresHash)
      mismatches.push(
        `room ${room}: the document differs (hash ${short(check.sqliteHash)} in SQLite, ${short(check.postgresHash)} in PostgreSQL).`,
      );
    if (right.some((r, i) => r.seq !== i + 1) || (right.length > 0 && lastSeq.get(room) !== right.length)) {
      mismatches.push(
        `room ${room}: its PostgreSQL log is not numbered 1 to ${right.length} with doc_rooms.last_seq ${right.length}.`,
      );
    }
  }
  return checks;
}

const short = (hash: string | null) => (hash ? hash.slice(0, 12) : 'none');
