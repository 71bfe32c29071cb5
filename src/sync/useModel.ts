/**
 * The whole initiative as plain data (readModel), live: rebuilt once per change of
 * the shared document, local or remote, and shared by every reader of the same
 * document, so the boards and the navigator read it once between them.
 */
import { useSyncExternalStore } from 'react';
import type { InitiativeModel } from '../../machines/entities.ts';
import { observeInitiative, readModel, type InitiativeDoc } from '../schema/index.ts';

interface ModelStore {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => InitiativeModel;
}

const stores = new WeakMap<InitiativeDoc, ModelStore>();

/** One store per document: marks the model stale on every change and rebuilds it once, lazily. */
function storeFor(doc: InitiativeDoc): ModelStore {
  const existing = stores.get(doc);
  if (existing) return existing;
  const listeners = new Set<() => void>();
  let model = readModel(doc);
  let stale = false;
  let stop: (() => void) | null = null;
  const store: ModelStore = {
    subscribe(listener) {
      listeners.add(listener);
      if (!stop) {
        stale = true;
        stop = observeInitiative(doc, () => {
          stale = true;
          for (const l of listeners) l();
        });
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && stop) {
          stop();
          stop = null;
        }
      };
    },
    getSnapshot() {
      if (stale) {
        model = readModel(doc);
        stale = false;
      }
      return model;
    },
  };
  stores.set(doc, store);
  return store;
}

/**
 * What the group has built, as plain data, live.
 *
 * Cost: re-renders on every change to the document, local or remote; one
 * `readModel` per change however many components use it.
 */
export function useModel(doc: InitiativeDoc): InitiativeModel {
  const store = storeFor(doc);
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
