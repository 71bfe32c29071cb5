/**
 * The SQLite stores as a database across the network answers: a turn of the
 * event loop before and after every call, so other requests run in between
 * (what a check and a write of one decision must not let in).
 */
import type { Stores } from '../../server/stores.ts';

/** A turn of the event loop: what a database across the network costs at least. */
export const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The SQLite stores with a turn of the event loop before and after every call, like a remote database. */
export function remote(stores: Stores): Stores {
  const slow = <T extends object>(store: T): T =>
    new Proxy(store, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver) as unknown;
        if (typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          await turn();
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          await turn();
          return result;
        };
      },
    });
  return {
    ...stores,
    initiatives: slow(stores.initiatives),
    people: slow(stores.people),
    workshops: slow(stores.workshops),
    measures: slow(stores.measures),
    versions: slow(stores.versions),
    statuses: slow(stores.statuses),
  };
}

