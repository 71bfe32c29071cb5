/**
 * A DocStorage on PostgreSQL (#14): the table `doc_updates` of server/pg/migrate.ts,
 * numbered per room. Several server processes append to one room; every append
 * takes the room's next numbers from `doc_rooms` (its row lock orders concurrent
 * appends to a room) and inserts the entries, so numbers count 1, 2, 3… in each
 * room with no gap, and the entries are committed (durable, with PostgreSQL's
 * default synchronous_commit) when the promise resolves. A process that receives
 * entry n+2 after n knows it missed one and loads.
 *
 * Group commit across rooms: the appends of every room that reach the storage
 * together (the append queues hand over a turn's batches in one run of
 * microtasks, ./appendQueue.ts) go to PostgreSQL in one statement, one round
 * trip and one commit. Each room's entries get a block of numbers, in the order
 * given; the rooms' rows are locked in one order (sorted by name), so two
 * processes writing to the same rooms wait for each other rather than
 * deadlock. That order is the order in which `INSERT … SELECT … ORDER BY`
 * feeds its rows, which PostgreSQL follows but does not promise: a statement
 * that PostgreSQL ends as a deadlock's victim (SQLSTATE 40P01) wrote nothing,
 * and is sent again, up to DEADLOCK_TRIES times in all.
 * Each caller's promise resolves with its own numbers once that commit is done;
 * a failed statement fails every call whose entries were in it. A statement
 * holds at most MAX_BATCH entries and MAX_BATCH_BYTES of updates (unless one
 * call alone is larger): past that, the next rooms go in another statement.
 *
 * A compaction holds a transaction-level advisory lock on its room, so two
 * processes compacting one room take turns; appends are not held up by it.
 */
import { inTransaction, lockStatement, type Pool } from '../pg/pool.ts';
import { MAX_BATCH, MAX_BATCH_BYTES } from './appendQueue.ts';
import { storedDoc, type DocStorage, type StoredDoc } from './types.ts';

/** How many times one append statement is sent when PostgreSQL ends it as a deadlock's victim. */
export const DEADLOCK_TRIES = 3;
const DEADLOCK_DETECTED = '40P01';

/** The first key of a room's compaction lock ('doc'), the second is the room's hash. */
const COMPACTION_LOCK = 0x646f63;

/**
 * The entries of several rooms in one statement. $1, $2: each room once, in the
 * order its row is locked, with how many entries it takes; its numbers are a
 * block under one row lock (last_seq + n). $3-$5: each entry, with its room and
 * how far before the room's last new number it comes (0 for the last), in the
 * order given. Answers each room's last number (one row per room, not per entry:
 * the driver's work per answered row was a share of the server's CPU).
 */
const APPEND_ROOMS = `
  WITH next AS (
    INSERT INTO doc_rooms AS r (room, last_seq)
    SELECT b.room, b.n FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS b(room, n, i) ORDER BY b.i
    ON CONFLICT (room) DO UPDATE SET last_seq = r.last_seq + EXCLUDED.last_seq
    RETURNING r.room, r.last_seq
  ), added AS (
    INSERT INTO doc_updates (room, seq, data)
    SELECT u.room, next.last_seq - u.back, u.data
    FROM unnest($3::text[], $4::bigint[], $5::bytea[]) AS u(room, back, data)
    JOIN next ON next.room = u.room
  )
  SELECT room, last_seq::float8 AS last FROM next`;

/**
 * One room's entries (one writer, the common case): the same numbering in a
 * statement without arrays to build, bind and unnest: those cost one writer's
 * appends more CPU, in the server and in PostgreSQL (docs/performance.md,
 * session 23).
 */
const APPEND_ONE = `
  WITH next AS (
    INSERT INTO doc_rooms (room, last_seq) VALUES ($1, 1)
    ON CONFLICT (room) DO UPDATE SET last_seq = doc_rooms.last_seq + 1
    RETURNING last_seq
  )
  INSERT INTO doc_updates (room, seq, data) SELECT $1, last_seq, $2 FROM next
  RETURNING seq::float8 AS last`;

/**
 * The hot statements are named: each connection parses and plans them once, then only binds
 * and executes them (a parse and plan per append was PostgreSQL's CPU on the shared cores).
 */
const named = (name: string, text: string, values: unknown[]) => ({ name: `convene_${name}`, text, values });

const bytes = (u: Uint8Array) => Buffer.from(u.buffer, u.byteOffset, u.byteLength);

/** One call's updates, waiting for its statement. */
interface Call {
  updates: readonly Uint8Array[];
  bytes: number;
  resolve(seqs: number[]): void;
  reject(error: unknown): void;
}

/** The calls of one room in one statement, in the order they came. */
interface RoomCalls {
  room: string;
  calls: Call[];
  entries: number;
  bytes: number;
}

export class PostgresDocStorage implements DocStorage {
  /** A round trip per statement: the append queues gather each room's appends of a turn, and hand them over together. */
  readonly gatherTurn = true;
  /** The calls that arrived since the last statement left, by room; null when none. */
  private gathering: Map<string, RoomCalls> | null = null;
  /** A call arrived since the last check: the statement waits one more microtask for the queues still handing over. */
  private arrived = false;

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
    return (await this.appendMany(room, [update]))[0];
  }

  /** Waits for the statement the calls of this run of microtasks go in (see the top of the file). */
  appendMany(room: string, updates: readonly Uint8Array[]): Promise<number[]> {
    if (updates.length === 0) return Promise.resolve([]);
    return new Promise<number[]>((resolve, reject) => {
      const size = updates.reduce((n, u) => n + u.byteLength, 0);
      if (this.gathering === null) {
        this.gathering = new Map();
        this.arrived = false;
        queueMicrotask(() => this.settle());
      } else this.arrived = true;
      let calls = this.gathering.get(room);
      if (!calls) this.gathering.set(room, (calls = { room, calls: [], entries: 0, bytes: 0 }));
      calls.calls.push({ updates, bytes: size, resolve, reject });
      calls.entries += updates.length;
      calls.bytes += size;
    });
  }

  /**
   * Sends what gathered once a microtask passed with no new call: the queues
   * hand over their batches in consecutive microtasks of one turn, and the
   * statement still leaves within that turn.
   */
  private settle(): void {
    if (this.arrived) {
      this.arrived = false;
      queueMicrotask(() => this.settle());
      return;
    }
    const gathered = this.gathering;
    this.gathering = null;
    if (!gathered) return;
    const rooms = [...gathered.values()].sort((a, b) => (a.room < b.room ? -1 : a.room > b.room ? 1 : 0));
    let statement: RoomCalls[] = [];
    let entries = 0;
    let size = 0;
    for (const room of rooms) {
      if (statement.length > 0 && (entries + room.entries > MAX_BATCH || size + room.bytes > MAX_BATCH_BYTES)) {
        void this.write(statement);
        statement = [];
        entries = 0;
        size = 0;
      }
      statement.push(room);
      entries += room.entries;
      size += room.bytes;
    }
    void this.write(statement);
  }

  /** One statement for `rooms` (sorted by name); every call in it resolves with its numbers, or fails. */
  private async write(rooms: RoomCalls[]): Promise<void> {
    let last: Map<string, number>;
    try {
      const entryRooms: string[] = [];
      const back: number[] = [];
      const data: Buffer[] = [];
      for (const { room, calls, entries } of rooms) {
        let left = entries;
        for (const call of calls)
          for (const update of call.updates) {
            entryRooms.push(room);
            back.push(--left);
            data.push(bytes(update));
          }
      }
      for (let tries = 1; ; tries++) {
        try {
          if (data.length === 1) {
            const { rows } = await this.pool.query<{ last: number }>(named('append', APPEND_ONE, [entryRooms[0], data[0]]));
            last = new Map([[entryRooms[0], rows[0].last]]);
          } else {
            const { rows } = await this.pool.query<{ room: string; last: number }>(
              named('append_rooms', APPEND_ROOMS, [rooms.map((r) => r.room), rooms.map((r) => r.entries), entryRooms, back, data]),
            );
            last = new Map(rows.map((r) => [r.room, r.last]));
          }
          break;
        } catch (error) {
          // A deadlock's victim was rolled back whole: nothing of it is stored, and sending it again is safe.
          if ((error as { code?: unknown }).code !== DEADLOCK_DETECTED || tries >= DEADLOCK_TRIES) throw error;
        }
      }
    } catch (error) {
      for (const { calls } of rooms) for (const call of calls) call.reject(error);
      return;
    }
    for (const { room, calls, entries } of rooms) {
      const end = last.get(room);
      let next = end === undefined ? NaN : end - entries + 1;
      for (const call of calls) {
        if (Number.isNaN(next)) call.reject(new Error(`PostgreSQL answered no numbers for room ${room}`));
        else call.resolve(call.updates.map(() => next++));
      }
    }
  }

  async compact(room: string, snapshot: Uint8Array, uptoSeq: number): Promise<void> {
    // As in SQLite, the snapshot takes the number of the last entry it replaces,
    // so entries appended meanwhile keep sorting after it.
    await inTransaction(this.pool, async (client) => {
      await client.query(lockStatement('SELECT pg_advisory_xact_lock($1, hashtext($2))', [COMPACTION_LOCK, room]));
      await client.query('DELETE FROM doc_updates WHERE room = $1 AND seq <= $2', [room, uptoSeq]);
      await client.query('INSERT INTO doc_updates (room, seq, data) VALUES ($1, $2, $3)', [room, uptoSeq, bytes(snapshot)]);
    });
  }

  /** Every append is committed before it resolves: nothing to do. */
  async flush(): Promise<void> {}
}
