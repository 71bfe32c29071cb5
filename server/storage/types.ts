/**
 * Where shared documents live: an append-only log of Yjs updates per room, with
 * compaction. Every method may answer a value or a promise, so an implementation
 * can be synchronous (SQLite, memory) or remote (Postgres). Each implementation
 * runs the same contract suite: test/server/storage-contract.test.ts.
 */
import * as Y from 'yjs';

export type Awaitable<T> = T | Promise<T>;

/** A room's stored log, merged. */
export interface StoredDoc {
  /** Every entry of the log merged into one Yjs update. */
  update: Uint8Array;
  /** The sequence number of the last entry included. */
  seq: number;
  /** How many entries the log holds, and their total size, for the compaction policy. */
  entries: number;
  bytes: number;
}

export interface DocStorage {
  /** The room's log merged into one update, or null when nothing is stored. */
  load(room: string): Awaitable<StoredDoc | null>;
  /**
   * The room's entries after `seq` merged into one update, with the number of
   * the last one (null when there are none): what a process that holds every
   * entry up to `seq` lacks (docs/sync.md, "Several processes"). After a
   * compaction that covered `seq`, the answer starts with the snapshot, which
   * holds entries it already has: harmless, Yjs updates are idempotent.
   */
  loadSince(room: string, seq: number): Awaitable<StoredDoc | null>;
  /**
   * Appends one update to the room's log. Durable once it returns (or resolves):
   * the room relays an update only after that. Answers the entry's sequence
   * number, which increases with every append to a room.
   */
  append(room: string, update: Uint8Array): Awaitable<number>;
  /**
   * Appends several updates to the room's log at once, in the order given,
   * durable together once it returns (or resolves), all or none; answers their
   * sequence numbers in that order, consecutive and above every earlier
   * append's. Optional: a storage that answers at once need not batch, and the
   * append queue falls back to `append` one by one
   * (../storage/appendQueue.ts batches what waits behind an append in flight).
   */
  appendMany?(room: string, updates: readonly Uint8Array[]): Awaitable<number[]>;
  /**
   * True for a remote storage (a round trip per call): the append queue then
   * holds a room's first append until the end of the event-loop turn, so the
   * turn's appends to the room go in one `appendMany`; the queues of every room
   * hand theirs over in one run of microtasks, which the storage may write
   * together (PostgreSQL: one statement for all rooms, ./postgres.ts).
   */
  readonly gatherTurn?: boolean;
  /**
   * Replaces every entry of the room with a sequence number up to `uptoSeq` by
   * `snapshot` (which must include all of them), in one transaction. Entries
   * appended meanwhile (higher numbers) are kept.
   */
  compact(room: string, snapshot: Uint8Array, uptoSeq: number): Awaitable<void>;
  /**
   * The room was unloaded: the storage lets go of what it keeps in memory for it
   * (the SQLite log's next number), and finds it again in the log at the room's
   * next append. Optional; never throws.
   */
  forget?(room: string): void;
  /** Makes everything appended so far durable (no-op when appends already are). */
  flush(): Awaitable<void>;
  /**
   * Tells `listener` once when appends already answered are lost (a group
   * commit failed): the rooms must not serve what their documents hold.
   */
  onBroken?(listener: (error: unknown) => void): void;
}

/** A room's log rows (oldest first, as a database answers them) as a StoredDoc; null when there are none. */
export function storedDoc(rows: readonly { seq: number; data: Uint8Array }[]): StoredDoc | null {
  if (rows.length === 0) return null;
  const updates = rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength));
  return {
    update: updates.length === 1 ? updates[0].slice() : Y.mergeUpdates(updates),
    seq: rows[rows.length - 1].seq,
    entries: rows.length,
    bytes: updates.reduce((n, u) => n + u.byteLength, 0),
  };
}

export function isPromise<T>(value: Awaitable<T>): value is Promise<T> {
  return typeof (value as Promise<T> | null)?.then === 'function';
}
