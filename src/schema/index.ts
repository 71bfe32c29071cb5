/**
 * The one module that owns the shape of an initiative's shared Yjs document.
 *
 * Everything that reads or writes the document goes through here: React
 * components call these functions instead of touching Y types, and the server
 * imports this module (and nothing else from src/) to seed documents and to
 * build the plain model that the workflow guards read.
 *
 * The entities, their fields and the Yjs layout are in ./model.ts (and the
 * files it re-exports) and ./fields.ts, documented in docs/schema.md. This file
 * adds the document itself, change notification, undo, and encoding.
 */
import * as Y from 'yjs';
import { BOARDS, SINGLETON_KINDS } from '../../machines/entities.ts';
import { FIELDS } from './fields.ts';

export * from './model.ts';
export { FIELDS, tidyLabels, type FieldSpec } from './fields.ts';
export { fieldWord } from './words.ts';
export { cardsOfBoard, entityTitle, TITLE_FIELDS } from './cards.ts';

/** An initiative's shared document. Opaque outside this module and the sync layer. */
export type InitiativeDoc = Y.Doc;

export function createInitiativeDoc(): InitiativeDoc {
  return new Y.Doc();
}

/**
 * Calls `listener` after every change to the document (local or remote), once
 * per transaction that changed something. Answers the function that stops listening.
 */
export function observeInitiative(doc: InitiativeDoc, listener: () => void): () => void {
  const handler = () => listener();
  doc.on('update', handler);
  return () => doc.off('update', handler);
}

/** Every shared type of the schema: the scope of undo. */
function sharedTypes(doc: InitiativeDoc): (Y.Map<unknown> | Y.Text)[] {
  const types: (Y.Map<unknown> | Y.Text)[] = [doc.getMap('entities')];
  for (const board of BOARDS) types.push(doc.getMap(`placements.${board}`));
  for (const kind of SINGLETON_KINDS)
    for (const field of Object.keys(FIELDS[kind])) types.push(doc.getText(`${kind}.${field}`));
  return types;
}

export interface Undo {
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;
  /** Ends the current undo step, so the next edit is undone on its own. */
  stopCapturing(): void;
  /** Calls `listener` when what can be undone or redone changes; answers the unsubscribe. */
  observe(listener: () => void): () => void;
  destroy(): void;
}

/**
 * Per-user undo and redo: only this client's own edits are tracked (remote
 * updates and stored state arrive with another origin), so your undo never
 * reverts someone else's edit. Edits within `captureTimeoutMs` form one step.
 */
export function createUndo(doc: InitiativeDoc, captureTimeoutMs = 500): Undo {
  const manager = new Y.UndoManager(sharedTypes(doc), {
    captureTimeout: captureTimeoutMs,
    trackedOrigins: new Set([null]),
  });
  return {
    undo: () => void manager.undo(),
    redo: () => void manager.redo(),
    canUndo: () => manager.canUndo(),
    canRedo: () => manager.canRedo(),
    stopCapturing: () => manager.stopCapturing(),
    observe: (listener) => {
      const events = ['stack-item-added', 'stack-item-popped', 'stack-cleared'] as const;
      for (const e of events) manager.on(e, listener);
      return () => {
        for (const e of events) manager.off(e, listener);
      };
    },
    destroy: () => manager.destroy(),
  };
}

/** The whole document as one binary update, e.g. to seed storage. */
export function encodeInitiative(doc: InitiativeDoc): Uint8Array {
  return Y.encodeStateAsUpdate(doc);
}
