import { useSyncExternalStore } from 'react';
import { EMPTY_INITIATIVE, type InitiativeSnapshot } from '../../machines/domain.ts';
import { observeInitiative, readInitiative, type InitiativeDoc } from '../schema/index.ts';

interface SnapshotStore {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => InitiativeSnapshot;
}

const stores = new WeakMap<InitiativeDoc, SnapshotStore>();

/**
 * One store per document: it listens to the document for its whole life, marks
 * the cached snapshot stale on every change and rebuilds it lazily, once per
 * change, however many components read it.
 */
function storeFor(doc: InitiativeDoc): SnapshotStore {
  const existing = stores.get(doc);
  if (existing) return existing;
  const listeners = new Set<() => void>();
  let snapshot = readInitiative(doc);
  let stale = false;
  observeInitiative(doc, () => {
    stale = true;
    for (const listener of listeners) listener();
  });
  const store: SnapshotStore = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot() {
      if (stale) {
        snapshot = readInitiative(doc);
        stale = false;
      }
      return snapshot;
    },
  };
  stores.set(doc, store);
  return store;
}

const emptyStore: SnapshotStore = { subscribe: () => () => {}, getSnapshot: () => EMPTY_INITIATIVE };

/**
 * The plain snapshot of the document (stakeholders and links).
 *
 * Cost: re-renders whenever anything in the document changes, local or remote;
 * the snapshot itself is rebuilt once per change and shared by every reader.
 * Answers `EMPTY_INITIATIVE` while `doc` is null.
 */
export function useInitiative(doc: InitiativeDoc | null): InitiativeSnapshot {
  const store = doc ? storeFor(doc) : emptyStore;
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
