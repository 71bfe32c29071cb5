/**
 * Where shared documents live: an append-only log of Yjs updates per room, with
 * compaction. Every method may answer a value or a promise, so an implementation
 * can be synchronous (SQLite, memory) or remote (Postgres). Each implementation
 * runs the same contract suite: test/server/storage-contract.test.ts.
 */
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
   * Appends one update to the room's log. Durable once it returns (or resolves):
   * the room relays an update only after that. Answers the entry's sequence
   * number, which increases with every append to a room.
   */
  append(room: string, update: Uint8Array): Awaitable<number>;
  /**
   * Replaces every entry of the room with a sequence number up to `uptoSeq` by
   * `snapshot` (which must include all of them), in one transaction. Entries
   * appended meanwhile (higher numbers) are kept.
   */
  compact(room: string, snapshot: Uint8Array, uptoSeq: number): Awaitable<void>;
  /** Makes everything appended so far durable (no-op when appends already are). */
  flush(): Awaitable<void>;
}

export function isPromise<T>(value: Awaitable<T>): value is Promise<T> {
  return typeof (value as Promise<T> | null)?.then === 'function';
}
