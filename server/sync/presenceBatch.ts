/**
 * Presence relayed in batches: a room collects which awareness client ids
 * changed, and at most once per interval sends everyone one message holding the
 * latest state of each (a removal being a state too: null). A busy room of 200
 * people moving their pointers ten times a second then costs each connection a
 * handful of messages a second instead of two thousand. Document updates never
 * go through here: they are relayed at once (see ./room.ts).
 *
 * The clock is injectable (`BatchScheduler`) so tests flush a batch when they
 * choose, without sleeping.
 */

/** Runs `flush` once, `ms` from now; answers a function that cancels it. */
export type BatchScheduler = (flush: () => void, ms: number) => () => void;

/** The real clock: a timer that does not keep the process alive. */
export const timerScheduler: BatchScheduler = (flush, ms) => {
  const timer = setTimeout(flush, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** How often a room relays presence, by default (ms): at most 20 presence messages a second to each connection… */
export const PRESENCE_BATCH_MS = 50;
/**
 * …and in a room of at least LARGE_ROOM_PEERS connections, 10 a second: there
 * every browser sends its pointer at most 10 times a second anyway
 * (src/collab/throttle.ts), and what costs the server is the number of
 * messages, one per connection per batch, more than their size.
 */
export const LARGE_ROOM_PRESENCE_BATCH_MS = 100;
export const LARGE_ROOM_PEERS = 30;

export class PresenceBatch {
  private readonly changed = new Set<number>();
  private cancel: (() => void) | null = null;

  /**
   * `send` gets the ids that changed since the last batch, in the order they
   * first changed, and encodes their state as it is then: the latest wins.
   * `intervalMs` is read when a batch starts; 0 sends every change at once (no batching).
   */
  constructor(
    private readonly intervalMs: () => number,
    private readonly send: (ids: number[]) => void,
    private readonly schedule: BatchScheduler = timerScheduler,
  ) {}

  /** Notes that the presence of `ids` changed; they go out with the next batch. */
  add(ids: Iterable<number>): void {
    for (const id of ids) this.changed.add(id);
    if (this.changed.size === 0) return;
    if (this.cancel) return;
    const ms = this.intervalMs();
    if (ms <= 0) return this.flush();
    this.cancel = this.schedule(() => {
      this.cancel = null;
      this.flush();
    }, ms);
  }

  /** Sends what is waiting now (if anything), and starts a new batch. */
  flush(): void {
    this.cancel?.();
    this.cancel = null;
    if (this.changed.size === 0) return;
    const ids = [...this.changed];
    this.changed.clear();
    this.send(ids);
  }

  /** Drops what is waiting; nothing more is sent. */
  stop(): void {
    this.cancel?.();
    this.cancel = null;
    this.changed.clear();
  }
}
