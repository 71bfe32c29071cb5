/**
 * A DocStorage on PostgreSQL (#14): the table `doc_updates` of server/pg/migrate.ts,
 * numbered per room. Several server processes append to one room; each append
 * is one statement that takes the room's next number from `doc_rooms` (its row
 * lock orders concurrent appends to a room) and inserts the entry, so numbers
 * count 1, 2, 3… in each room with no gap, and the entry is committed (durable,
 * with PostgreSQL's default synchronous_commit) when the promise resolves. A
 * process that receives entry n+2 after n knows it missed one and loads.
 * Appends are written at the end of the event-loop turn they were asked in, all
 * rooms' together in one statement (a block of numbers per room, one commit):
 * with the append queue's batches (`appendMany`), a busy process pays one round
 * trip per turn, not one per update (docs/performance.md, session 21: cluster).
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
 * Several entries of several rooms in one statement: each room's numbers taken
 * as a block (last_seq + its count, under the same row lock as one append; the
 * rooms' rows locked in one order, by name, so two processes' statements never
 * deadlock), the rows inserted, one commit. RETURNING promises no order: each
 * room's numbers are consecutive, given to its entries in their order ($3).
 */
const APPEND_ROOMS = `
  WITH input AS (
    SELECT u.room, u.data, u.ord FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS u(room, data, ord)
  ), counts AS (
    SELECT room, count(*)::bigint AS n FROM input GROUP BY room
  ), next AS (
    INSERT INTO doc_rooms (room, last_seq) SELECT room, n FROM counts ORDER BY room
    ON CONFLICT (room) DO UPDATE SET last_seq = doc_rooms.last_seq + EXCLUDED.last_seq
    RETURNING room, last_seq
  )
  INSERT INTO doc_updates (room, seq, data)
  SELECT i.room, next.last_seq - c.n + row_number() OVER (PARTITION BY i.room ORDER BY i.ord), i.data
  FROM input i JOIN counts c USING (room) JOIN next USING (room)
  RETURNING room, seq::float8 AS seq`;

/** Appends asked for in one turn, written together at its end. */
interface Request {
  room: string;
  updates: readonly Uint8Array[];
  resolve(seqs: number[]): void;
  reject(error: unknown): void;
}

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

export class PostgresDocStorage implements DocStorage {
  private requests: Request[] = [];

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
      'SELECT seq::float8 AS seq, data FROM doc_updates WHERE room = $1 AND seq > $2 ORDER BY seq',
      [room, seq],
    );
    return storedDoc(rows);
  }

  async append(room: string, update: Uint8Array): Promise<number> {
    return (await this.appendMany(room, [update]))[0];
  }

  /**
   * Every append and batch asked for in one event-loop turn, of every room, is
   * written in one statement at the end of the turn (each room's own in order,
   * numbered as a block): one round trip and one commit for the turn instead of
   * one per room. Each caller's promise resolves once that statement committed;
   * if it fails, every caller of the turn is told.
   */
  appendMany(room: string, updates: readonly Uint8Array[]): Promise<number[]> {
    if (updates.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.requests.push({ room, updates, resolve, reject });
      if (this.requests.length === 1) setImmediate(() => void this.write());
    });
  }

  private async write(): Promise<void> {
    const requests = this.requests;
    this.requests = [];
    try {
      if (requests.length === 1 && requests[0].updates.length === 1) {
        const { room, updates, resolve } = requests[0];
        const { rows } = await this.pool.query<{ seq: number }>(APPEND, [room, bytes(updates[0])]);
        return resolve([rows[0].seq]);
      }
      const rooms = requests.flatMap((r) => r.updates.map(() => r.room));
      const data = requests.flatMap((r) => r.updates.map(bytes));
      const { rows } = await this.pool.query<{ room: string; seq: number }>(APPEND_ROOMS, [rooms, data]);
      const numbers = new Map<string, number[]>();
      for (const { room, seq } of rows) {
        const list = numbers.get(room);
        if (list) list.push(seq);
        else numbers.set(room, [seq]);
      }
      for (const list of numbers.values()) list.sort((a, b) => a - b);
      // A room asked twice in one turn: its first request takes the lower numbers.
      for (const request of requests) request.resolve(numbers.get(request.room)!.splice(0, request.updates.length));
    } catch (error) {
      for (const request of requests) request.reject(error);
    }
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
