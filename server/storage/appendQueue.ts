/**
 * A room's durable log, as the room writes it: each update is appended to the
 * storage and only then handed on (relayed), in the order the updates came,
 * whether the storage answers at once (SQLite, memory) or with a promise
 * (a remote database). Past a threshold the log is compacted into one snapshot
 * of the document, off the hot path and queued behind the pending appends.
 * A storage failure stops all further work and is reported once.
 *
 * While nothing waits on a promise, an append to a synchronous storage runs
 * straight through (no promise, no microtask): the common case stays cheap.
 *
 * Appends that arrive while one is in flight (a remote database) wait in one
 * batch, written with one call of `appendMany` when the storage has it (one
 * statement and one commit on PostgreSQL) as soon as the one before is durable;
 * then each is handed on, in order, with its own number. A batch stays open to
 * new appends only while it is the last work queued and has not started, so
 * work queued after it (`whenDurable`, a compaction) still runs after it.
 * On a storage that says `gatherTurn` (PostgreSQL), even the first append of an
 * idle queue waits for the end of the event-loop turn, so the updates of one
 * room that arrive in one turn (a wave of edits) go in one statement. Every
 * queue of the process waits for that end with one hook (`turnEnd`): the
 * queues then hand their batches to the storage in one run of microtasks,
 * which the storage may write together, every room in one statement
 * (./postgres.ts), within the same turn.
 */
import { isPromise, type Awaitable, type DocStorage, type StoredDoc } from './types.ts';

export interface AppendQueueHooks {
  /** Each durable append, with how long it took. */
  storageWrite?(seconds: number): void;
  compacted?(room: string, entriesBefore: number): void;
  /** Storage failed: the queue writes nothing more. */
  failed?(room: string, error: unknown): void;
  compactionFailed?(room: string, error: unknown): void;
}

/** What the log is compacted into: the document its entries build. */
export interface CompactionSource {
  /** False while the document does not yet hold every stored entry; compaction waits (see `maybeCompact`). */
  ready(): boolean;
  /** The whole document as one update. */
  snapshot(): Uint8Array;
  /**
   * The number up to which every entry of the log is in the document, when
   * other processes append to the log too (their entries may not have arrived
   * yet); by default the last entry this queue appended.
   */
  upto?(): number;
}

export interface AppendQueueOptions {
  /** Compact the log past this many entries… */
  compactAfterEntries: number;
  /** …or past this many bytes. */
  compactAfterBytes: number;
  source: CompactionSource;
  /** Runs once, after `hooks.failed`, when the storage fails (or `fail` is called). */
  onFailure?(error: unknown): void;
  hooks?: AppendQueueHooks;
}

/** The most appends written in one batch: a batch past it starts the next. */
export const MAX_BATCH = 256;
/**
 * The most bytes of updates in one batch (unless one update is larger): the
 * PostgreSQL driver sends a bytea array as hex text built in one string, so a
 * batch of large updates must not approach V8's string limit or the heap's.
 */
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The end of the event-loop turn, for every queue at once: one setImmediate
 * whose callback resolves every waiting queue, so their continuations run in
 * one run of microtasks. (A setImmediate per queue would run each queue's
 * continuation, and a storage's write of it, before the next queue's.)
 */
const turnEnd = {
  waiting: [] as (() => void)[],
  /** Resolves at the end of the current turn, with every other queue waiting for it. */
  wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.waiting.push(resolve) > 1) return;
      setImmediate(() => {
        const waiting = this.waiting;
        this.waiting = [];
        for (const resolve of waiting) resolve();
      });
    });
  },
};

interface Waiting {
  update: Uint8Array;
  durable: (seq: number) => void;
}

export class AppendQueue {
  /** Storage work (appends, compactions) waiting on a promise, in order; null when none. */
  private queue: Promise<void> | null = null;
  private queued = 0;
  /** Appends waiting to be written together, while their batch is the last work queued and not started; else null. */
  private batch: Waiting[] | null = null;
  /** The bytes of the updates in `batch`. */
  private batchBytes = 0;
  private lastSeq = 0;
  private entries = 0;
  private bytes = 0;
  private compactionScheduled = false;
  private _failed = false;
  private stopped = false;
  private readonly hooks: AppendQueueHooks;

  /** `stored`: what the storage held when the room loaded, so the compaction policy counts from there. */
  constructor(
    readonly room: string,
    private readonly storage: DocStorage,
    stored: Pick<StoredDoc, 'seq' | 'entries' | 'bytes'> | null,
    private readonly options: AppendQueueOptions,
  ) {
    this.hooks = options.hooks ?? {};
    if (stored) {
      this.lastSeq = stored.seq;
      this.entries = stored.entries;
      this.bytes = stored.bytes;
    }
  }

  /** True once storage failed; nothing more is written. */
  get failed(): boolean {
    return this._failed;
  }

  /** Log entries and bytes, as the compaction policy counts them, and the last durable sequence number. */
  get log(): { entries: number; bytes: number; seq: number } {
    return { entries: this.entries, bytes: this.bytes, seq: this.lastSeq };
  }

  /** Appends `update`, then runs `durable` with its sequence number; in order with every earlier append. Nothing runs once failed. */
  append(update: Uint8Array, durable: (seq: number) => void): void {
    if (this._failed) return;
    if (this.queue === null && !this.storage.gatherTurn) {
      const started = performance.now();
      let result: Awaitable<number>;
      try {
        result = this.storage.append(this.room, update);
      } catch (error) {
        return this.fail(error);
      }
      if (!isPromise(result)) {
        this.appended(result, update.byteLength, started);
        return durable(result);
      }
      const pending = result;
      this.enqueue(async () => {
        const seq = await pending;
        this.appended(seq, update.byteLength, started);
        durable(seq);
      });
      return;
    }
    if (this.batch && this.batch.length < MAX_BATCH && this.batchBytes + update.byteLength <= MAX_BATCH_BYTES) {
      this.batch.push({ update, durable });
      this.batchBytes += update.byteLength;
      return;
    }
    const batch: Waiting[] = [{ update, durable }];
    // The first append of an idle queue on a storage that gathers turns waits for the end of the turn,
    // so the turn's other appends to this room join it.
    const gather = this.queue === null;
    this.enqueue(async () => {
      if (gather) await turnEnd.wait();
      // From here on, appends wait for the next batch.
      if (this.batch === batch) this.batch = null;
      if (this._failed) return;
      return this.write(batch);
    });
    this.batch = batch;
    this.batchBytes = update.byteLength;
  }

  /** Writes `batch` (in one call when the storage can), then hands each append on, in order. */
  private async write(batch: Waiting[]): Promise<void> {
    const started = performance.now();
    if (batch.length > 1 && this.storage.appendMany) {
      const seqs = await this.storage.appendMany(this.room, batch.map((w) => w.update));
      if (seqs.length !== batch.length) throw new Error(`storage answered ${seqs.length} numbers for ${batch.length} appends`);
      for (let i = 0; i < batch.length && !this._failed; i++) {
        this.appended(seqs[i], batch[i].update.byteLength, started);
        batch[i].durable(seqs[i]);
      }
      return;
    }
    for (const { update, durable } of batch) {
      if (this._failed) return;
      const seq = await this.storage.append(this.room, update);
      this.appended(seq, update.byteLength, started);
      durable(seq);
    }
  }

  /** Runs `task` once every earlier append is durable (at once when none is pending). */
  whenDurable(task: () => void): void {
    if (this.queue === null) task();
    else this.enqueue(task);
  }

  /** Marks the log failed (storage, or stored bytes that do not read): reported once, nothing more is written. */
  fail(error: unknown): void {
    if (this._failed) return;
    this._failed = true;
    // A compaction scheduled before will not run (nothing more is written): it no longer pends.
    this.compactionScheduled = false;
    this.hooks.failed?.(this.room, error);
    this.options.onFailure?.(error);
  }

  /**
   * Schedules a compaction when the log is past a threshold and the document is
   * ready. Appends call it; call it too once the document becomes ready.
   */
  maybeCompact(): void {
    const { compactAfterEntries, compactAfterBytes } = this.options;
    if (this.entries <= compactAfterEntries && this.bytes <= compactAfterBytes) return;
    this.compactSoon();
  }

  /**
   * Schedules a compaction whatever the thresholds (when the log has more than
   * one entry and the document is ready): after content was deleted that must
   * leave the stored log too (server/measures/migrate.ts).
   */
  compactSoon(): void {
    if (this.compactionScheduled || this.stopped || this._failed || !this.options.source.ready()) return;
    if (this.entries <= 1) return;
    this.compactionScheduled = true;
    // Off the hot path: after the current message, queued behind pending appends.
    setImmediate(() => this.enqueue(() => this.compact()));
  }

  /** Resolves once no storage work is pending. */
  async idle(): Promise<void> {
    while (this.queue !== null || (this.compactionScheduled && !this._failed)) {
      if (this.queue) await this.queue;
      else await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The room is gone: a compaction not yet started does not run (appends already queued still land). */
  stop(): void {
    this.stopped = true;
  }

  private appended(seq: number, bytes: number, started: number): void {
    this.lastSeq = seq;
    this.entries++;
    this.bytes += bytes;
    this.hooks.storageWrite?.((performance.now() - started) / 1000);
    this.maybeCompact();
  }

  private enqueue(task: () => Awaitable<void>): void {
    // Whatever is queued after a batch runs after it: the batch takes no more appends.
    this.batch = null;
    this.queued++;
    this.queue = (this.queue ?? Promise.resolve())
      .then(() => (this._failed ? undefined : task()))
      .catch((error: unknown) => this.fail(error))
      .finally(() => {
        if (--this.queued === 0) this.queue = null;
      });
  }

  /** Replaces the log up to the last durable entry by one snapshot of the document. */
  private async compact(): Promise<void> {
    try {
      if (this.stopped) return;
      const upto = this.options.source.upto?.() ?? this.lastSeq;
      if (upto <= 0) return;
      const entriesBefore = this.entries;
      const bytesBefore = this.bytes;
      // Every entry up to `upto` is in the document already.
      const snapshot = this.options.source.snapshot();
      await this.storage.compact(this.room, snapshot, upto);
      this.entries = 1 + (this.entries - entriesBefore);
      this.bytes = snapshot.byteLength + (this.bytes - bytesBefore);
      this.hooks.compacted?.(this.room, entriesBefore);
    } catch (error) {
      this.hooks.compactionFailed?.(this.room, error);
    } finally {
      this.compactionScheduled = false;
    }
  }
}
