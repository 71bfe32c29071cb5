/**
 * A DocStorage on PostgreSQL (#14): the table `doc_updates` of server/pg/migrate.ts,
 * numbered per room. Several server processes append to one room; each append
 * is one statement that takes the room's next number from `doc_rooms` (its row
 * lock orders concurrent appends to a room) and inserts the entry, so numbers
 * count 1, 2, 3… in each room with no gap, and the entry is committed (durable,
 * with PostgreSQL's default synchronous_commit) when the promise resolves. A
 * process that receives entry n+2 after n knows it missed one and loads.
 * `appendMany` does the same for the updates waiting in a room's queue, in one
 * statement: a block of numbers and one commit for all of them.
 *
 * A compaction holds a transaction-level advisory lock on its room, so two
 * processes compacting one room take turns; appends are not held up by it.
 */
import { inTransaction, type Pool } from '../pg/pool.ts';
import { storedDoc, type DocStorage, type StoredDoc } from './types.ts';

/** The first key of a room's compaction lock ('doc'), the second is the room's hash. */
const COMPACTION_LOCK = 0x646f63;

const APPEND = `
  WITH next AS (
    INSERT INTO doc_rooms (room, last_seq) VALUES ($1, 1)
    ON CONFLICT (room) DO UPDATE SET last_seq = doc_rooms.last_seq + 1
    RETURNING last_seq
  )
  INSERT INTO doc_updates (room, seq, data) SELECT $1, last_seq, $2 FROM next
  RETURNING seq::float8 AS seq`;

/**
 * Several entries in one statement: the room's numbers taken as a block
 * (last_seq + n, under the same row lock as one append), the rows inserted in
 * the order given ($2's ordinality), one commit.
 */
const APPEND_MANY = `
  WITH next AS (
    INSERT INTO doc_rooms (room, last_seq) VALUES ($1, $3::bigint)
    ON CONFLICT (room) DO UPDATE SET last_seq = doc_rooms.last_seq + $3::bigint
    RETURNING last_seq
  )
  INSERT INTO doc_updates (room, seq, data)
  SELECT $1, next.last_seq - $3::bigint + u.ord, u.data
  FROM next, unnest($2::bytea[]) WITH ORDINALITY AS u(data, ord)
  RETURNING seq::float8 AS seq`;

/**
 * The hot statements are named: each connection parses and plans them once, then only binds
 * and executes them (a parse and plan per append was PostgreSQL's CPU on the shared cores).
 */
const named = (name: string, text: string, values: unknown[]) => ({ name: `convene_${name}`, text, values });

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export class PostgresDocStorage implements DocStorage {
  /** A round trip per call: the append queue gathers each room's appends of a turn into one `appendMany`. */
  readonly gatherTurn = true;

  constructor(private readonly pool: Pool) {}

  async load(room: string): Promise<StoredDoc | null> {
    const { rows } = await this.pool.query<{ seq: number; data: Buffer }>(
      'SELECT seq::float8 AS seq, data FROM doc_updates WHERE room = $1 ORDER BY seq',
      [room],
    );
    return storedDoc(rows);
  }

  async loadSince(room: string, seq: number): Promise<StoredDoc | null> {
    const { rows } = await this.pool.query<{ seq: number; data: Buffer }>(
      named('load_since', 'SELECT seq::float8 AS seq, data FROM doc_updates WHERE room = $1 AND seq > $2 ORDER BY seq', [room, seq]),
    );
    return storedDoc(rows);
  }

  async append(room: string, update: Uint8Array): Promise<number> {
    const { rows } = await this.pool.query<{ seq: number }>(named('append', APPEND, [room, bytes(update)]));
    return rows[0].seq;
  }

  async appendMany(room: string, updates: readonly Uint8Array[]): Promise<number[]> {
    if (updates.length === 0) return [];
    if (updates.length === 1) return [await this.append(room, updates[0])];
    const { rows } = await this.pool.query<{ seq: number }>(named('append_many', APPEND_MANY, [room, updates.map(bytes), updates.length]));
    // RETURNING promises no order; the numbers are consecutive, in the order given.
    return rows.map((r) => r.seq).sort((a, b) => a - b);
  }

  async compact(room: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    // As in SQLite, the snapshot takes the number of the last entry it replaces,
    // so entries appended meanwhile keep sorting after it.
    await inTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [COMPACTION_LOCK, room]);
      await client.query('DELETE FROM doc_updates WHERE room = $1 AND seq <= $2', [room, uptoSeq]);
      await client.query('INSERT INTO doc_updates (room, seq, data) VALUES ($1, $2, $3)', [room, uptoSeq, bytes(snapshot)]);
    });
  }

  /** Every append is committed before it resolves: nothing to do. */
  async flush(): Promise<void> {}
}
