/**
 * A leading-and-trailing throttle for presence broadcasts: the first call goes
 * out at once, later calls within `intervalMs` are folded into one trailing
 * call with the latest value, so the final state is always sent. Pure logic
 * over injectable timers (for tests and for React-free use).
 */
export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Throttled<T> {
  /** Sends `value` now, or within `intervalMs` (only the latest value waiting is sent). */
  push(value: T): void;
  /** Sends the waiting value, if any, now. */
  flush(): void;
  /** Drops the waiting value, if any. */
  cancel(): void;
}

/** ~25 broadcasts a second: smooth for cursors, light on the wire. */
export const PRESENCE_INTERVAL_MS = 40;

/** In a large room, 10 broadcasts a second: the server relays presence in batches anyway (docs/sync.md). */
export const LARGE_ROOM_PRESENCE_INTERVAL_MS = 100;

/** From this many people present (this tab included), a room is large. */
export const LARGE_ROOM = 30;

/** How often this tab may broadcast its pointer when `present` people (tabs) are in the room. */
export function presenceInterval(present: number): number {
  return present >= LARGE_ROOM ? LARGE_ROOM_PRESENCE_INTERVAL_MS : PRESENCE_INTERVAL_MS;
}

/** `intervalMs` may be a function, read at each push: the rate can follow the size of the room. */
export function throttle<T>(
  send: (value: T) => void,
  intervalMs: number | (() => number) = PRESENCE_INTERVAL_MS,
  timers: Timers = realTimers,
): Throttled<T> {
  const interval = typeof intervalMs === 'function' ? intervalMs : () => intervalMs;
  let lastSent = -Infinity;
  let timer: unknown = null;
  let waiting: { value: T } | null = null;

  const fire = () => {
    timer = null;
    if (!waiting) return;
    const { value } = waiting;
    waiting = null;
    lastSent = timers.now();
    send(value);
  };

  return {
    push(value) {
      waiting = { value };
      const elapsed = timers.now() - lastSent;
      const ms = interval();
      if (elapsed >= ms && timer === null) {
        fire();
      } else if (timer === null) {
        timer = timers.setTimeout(fire, Math.max(0, ms - elapsed));
      }
    },
    flush() {
      if (timer !== null) timers.clearTimeout(timer);
      fire();
    },
    cancel() {
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      waiting = null;
    },
  };
}
