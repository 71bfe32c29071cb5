import { useCallback, useEffect, useMemo, useSyncExternalStore } from 'react';
import { createUndo, type InitiativeDoc, type Undo } from '../schema/index.ts';

export interface UndoControls {
  undo(): void;
  redo(): void;
  canUndo: boolean;
  canRedo: boolean;
  /** Ends the current undo step: the next edit is undone on its own (call at the end of a gesture). */
  stopCapturing(): void;
}

interface Shared {
  undo: Undo;
  users: number;
  state: { canUndo: boolean; canRedo: boolean };
  listeners: Set<() => void>;
  stopObserving: () => void;
}

/**
 * One undo history per document, shared by every component that asks for it
 * (a board and a side panel undo the same steps), destroyed a tick after the
 * last one lets go (StrictMode mounts twice).
 */
const shared = new WeakMap<InitiativeDoc, Shared>();

function acquire(doc: InitiativeDoc): Shared {
  let entry = shared.get(doc);
  if (!entry) {
    const undo = createUndo(doc);
    const created: Shared = {
      undo,
      users: 0,
      state: { canUndo: false, canRedo: false },
      listeners: new Set(),
      stopObserving: () => {},
    };
    created.stopObserving = undo.observe(() => {
      const next = { canUndo: undo.canUndo(), canRedo: undo.canRedo() };
      if (next.canUndo === created.state.canUndo && next.canRedo === created.state.canRedo) return;
      created.state = next;
      for (const listener of created.listeners) listener();
    });
    shared.set(doc, created);
    entry = created;
  }
  return entry;
}

function retain(doc: InitiativeDoc): () => void {
  const entry = acquire(doc);
  entry.users += 1;
  return () => {
    entry.users -= 1;
    setTimeout(() => {
      if (entry.users > 0 || shared.get(doc) !== entry) return;
      entry.stopObserving();
      entry.undo.destroy();
      shared.delete(doc);
    }, 0);
  };
}

/**
 * Undo and redo of this person's own edits (createUndo: remote edits are never
 * undone here, and stay when yours are). Re-renders when canUndo/canRedo change.
 */
export function useUndo(doc: InitiativeDoc): UndoControls {
  useEffect(() => retain(doc), [doc]);
  const entry = acquire(doc);
  const subscribe = useCallback(
    (listener: () => void) => {
      entry.listeners.add(listener);
      return () => {
        entry.listeners.delete(listener);
      };
    },
    [entry],
  );
  const getSnapshot = useCallback(() => entry.state, [entry]);
  const state = useSyncExternalStore(subscribe, getSnapshot);
  // The functions keep their identity for a document; only the flags change.
  const commands = useMemo(
    () => ({
      undo: () => acquire(doc).undo.undo(),
      redo: () => acquire(doc).undo.redo(),
      stopCapturing: () => acquire(doc).undo.stopCapturing(),
    }),
    [doc],
  );
  return useMemo(() => ({ ...commands, canUndo: state.canUndo, canRedo: state.canRedo }), [commands, state]);
}
