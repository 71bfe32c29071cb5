/**
 * Tasks run one at a time per key, in the order they were given: the
 * in-process decision lock's per initiative (server/lock.ts), the portfolio's
 * recomputations. A task that fails does not stop the ones after it.
 */
export class SerialQueues {
  private readonly queues = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const result = previous.then(task);
    const settled = result.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return result;
  }
}
