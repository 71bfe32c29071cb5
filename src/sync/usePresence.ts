import { useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceUser } from './useInitiativeSync.ts';

export interface PresentPerson extends PresenceUser {
  clientId: number;
  self: boolean;
}

function isPresenceUser(value: unknown): value is PresenceUser {
  if (!value || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === 'string' && typeof v.role === 'string' && typeof v.color === 'string';
}

function readPeople(awareness: Awareness): PresentPerson[] {
  const people: PresentPerson[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const user = (state as Record<string, unknown>).user;
    if (isPresenceUser(user)) people.push({ ...user, clientId, self: clientId === awareness.clientID });
  });
  return people.sort((a, b) => (a.self === b.self ? a.name.localeCompare(b.name) : a.self ? -1 : 1));
}

interface PresenceStore {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => PresentPerson[];
}

const stores = new WeakMap<Awareness, PresenceStore>();
const NOBODY: PresentPerson[] = [];
const emptyStore: PresenceStore = { subscribe: () => () => {}, getSnapshot: () => NOBODY };

function storeFor(awareness: Awareness): PresenceStore {
  const existing = stores.get(awareness);
  if (existing) return existing;
  let snapshot: PresentPerson[] | null = null;
  const store: PresenceStore = {
    subscribe(listener) {
      const onChange = () => {
        snapshot = null;
        listener();
      };
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    getSnapshot() {
      snapshot ??= readPeople(awareness);
      return snapshot;
    },
  };
  stores.set(awareness, store);
  return store;
}

/**
 * Who has the initiative open right now (including this browser).
 *
 * Cost: re-renders whenever someone joins, leaves or changes their presence
 * (not on cursor-free heartbeats, which do not emit `change`).
 */
export function usePresence(awareness: Awareness | null): PresentPerson[] {
  const store = awareness ? storeFor(awareness) : emptyStore;
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
