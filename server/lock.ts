/**
 * Decisions are serialised per initiative across awaits (#14): a workflow
 * event, a workshop command and a membership change each read what they decide
 * on, then write, and with stores that answer promises another decision for
 * the same initiative could otherwise run between that check and that write
 * (two votes that together pass the budget, two role changes that together
 * leave no lead). Everything that decides for an initiative runs inside
 * `lock.run(initiativeId, ...)`. One lock per initiative, never per workshop or
 * member, so an implementation that spans processes (a PostgreSQL advisory
 * lock) can take this one's place.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { SerialQueues } from './serial.ts';

export interface DecisionLock {
  /** Runs `work` once no other work for `initiativeId` holds the lock, and holds it until `work` settles. */
  run<T>(initiativeId: string, work: () => Promise<T>): Promise<T>;
}

/** The lock of one process: a queue per initiative. Work that fails frees the lock for the next. */
export class LocalDecisionLock implements DecisionLock {
  private readonly queues = new SerialQueues();

  run<T>(initiativeId: string, work: () => Promise<T>): Promise<T> {
    return this.queues.run(initiativeId, work);
  }
}

/** The locks the current work holds, while it runs (`active` turns false once it settled). */
interface Held {
  ids: ReadonlySet<string>;
  active: boolean;
}

/**
 * `lock`, re-entered by the work that holds it: a workshop decision that
 * confirms a workflow step sends the workflow event under the lock it already
 * holds instead of waiting for itself. Only work started (and awaited) inside
 * the holder re-enters; a task it leaves behind that runs after it settled
 * waits for the lock like any other.
 */
export function reentrant(lock: DecisionLock): DecisionLock {
  const held = new AsyncLocalStorage<Held>();
  // Work holding a lock now. An enabled AsyncLocalStorage keeps Node's async hooks on for every
  // socket write and callback of the process (the sync relay's included, docs/performance.md,
  // session 22): it is disabled whenever no work holds a lock, and `run` enables it again. What a
  // holder left behind then finds no store, or its own store no longer active: either way it waits.
  let holding = 0;
  return {
    run<T>(initiativeId: string, work: () => Promise<T>): Promise<T> {
      const current = held.getStore();
      if (current?.active && current.ids.has(initiativeId)) return work();
      return lock.run(initiativeId, async () => {
        const mine: Held = { ids: new Set([...(current?.active ? current.ids : []), initiativeId]), active: true };
        holding++;
        try {
          return await held.run(mine, work);
        } finally {
          mine.active = false;
          if (--holding === 0) held.disable();
        }
      });
    },
  };
}
