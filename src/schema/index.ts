/**
 * The one module that owns the shape of an initiative's shared Yjs document.
 *
 * Everything that reads or writes the document goes through here: React
 * components call these functions instead of touching Y types, and the server
 * imports this module (and nothing else from src/) to seed documents and to
 * build the plain snapshots that the workflow guards read.
 *
 * The entities, their fields and the Yjs layout are in ./model.ts and
 * ./fields.ts, documented in docs/schema.md. This file adds the stakeholder-map
 * conveniences the first canvas was built on, undo, and encoding.
 */
import * as Y from 'yjs';
import { BOARDS, SINGLETON_KINDS, type Board } from '../../machines/entities.ts';
import type { InitiativeSnapshot, Sector, Stakeholder, StakeholderLink, StakeholderRole } from '../../machines/domain.ts';
import { sameRelationship } from '../../machines/relationships.ts';
import { createEntity, deleteEntities, placeEntity, readModel, updateEntity } from './model.ts';
import { FIELDS } from './fields.ts';

export * from './model.ts';
export { FIELDS, type FieldSpec } from './fields.ts';

export const SCHEMA_VERSION = 2;

/** An initiative's shared document. Opaque outside this module and the sync layer. */
export type InitiativeDoc = Y.Doc;

export function createInitiativeDoc(): InitiativeDoc {
  return new Y.Doc();
}

export interface NewStakeholder {
  name: string;
  sector: Sector;
  role: StakeholderRole;
  x: number;
  y: number;
}

export type StakeholderPatch = Partial<Pick<Stakeholder, 'name' | 'sector' | 'role'>>;

function checkStakeholder(input: Partial<NewStakeholder>): void {
  if (typeof input.name !== 'string' || !input.name.trim()) throw new Error('A stakeholder needs a name.');
  if (input.sector === undefined) throw new Error('A stakeholder needs a sector.');
  if (input.role === undefined) throw new Error('A stakeholder needs a role.');
}

/** Adds a stakeholder, placed on the stakeholder map, and answers its id. */
export function addStakeholder(doc: InitiativeDoc, input: NewStakeholder): string {
  checkStakeholder(input);
  return createEntity(doc, 'stakeholder', { name: input.name, sector: input.sector, role: input.role }, [
    { board: 'stakeholders', position: { x: input.x, y: input.y } },
  ]);
}

export function updateStakeholder(doc: InitiativeDoc, id: string, patch: StakeholderPatch): void {
  const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  if (typeof clean.name === 'string') clean.name = clean.name.trim();
  updateEntity(doc, id, clean);
}

/** Stores a card's final position on the stakeholder map. Call on drag end, not per frame. */
export function moveStakeholder(doc: InitiativeDoc, id: string, position: { x: number; y: number }): void {
  if (!readModel(doc).entities.stakeholder.some((s) => s.id === id)) return;
  placeEntity(doc, 'stakeholders', id, position);
}

/** Removes stakeholders and every relationship that touches them, in one transaction. */
export function removeStakeholders(doc: InitiativeDoc, ids: readonly string[]): void {
  deleteEntities(doc, ids);
}

const pairKey = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);

/**
 * Links two stakeholders ("partners with"). Answers the new link's id, or null
 * when the link would join a stakeholder to itself, to a missing one, or repeat
 * an existing partnership (machines/relationships.ts).
 */
export function addLink(doc: InitiativeDoc, source: string, target: string): string | null {
  if (source === target) return null;
  const model = readModel(doc);
  const ids = new Set(model.entities.stakeholder.map((s) => s.id));
  if (!ids.has(source) || !ids.has(target)) return null;
  if (sameRelationship(model.entities.relationship, { source, target, relation: 'partners' })) return null;
  return createEntity(doc, 'relationship', { source, target, relation: 'partners' });
}

/** Removes links, and any concurrent repeat of the same pair, so a removed link does not reappear. */
export function removeLinks(doc: InitiativeDoc, ids: readonly string[]): void {
  const relationships = readModel(doc).entities.relationship;
  const pairs = new Set(relationships.filter((r) => ids.includes(r.id)).map((r) => pairKey(r.source, r.target)));
  const doomed = new Set(ids);
  const entities = doc.getMap<Y.Map<unknown>>('entities');
  for (const [id, entry] of entities.entries()) {
    if (!(entry instanceof Y.Map) || entry.get('kind') !== 'relationship') continue;
    const s = entry.get('source');
    const t = entry.get('target');
    if (typeof s === 'string' && typeof t === 'string' && pairs.has(pairKey(s, t))) doomed.add(id);
  }
  deleteEntities(doc, [...doomed]);
}

/**
 * The stakeholder map as the readiness workflow and the first canvas read it.
 * Cost: reads the whole document (see readModel).
 */
export function readInitiative(doc: InitiativeDoc): InitiativeSnapshot {
  const model = readModel(doc);
  const placed = model.placements.stakeholders;
  const stakeholders: Stakeholder[] = model.entities.stakeholder.map((s) => ({
    id: s.id,
    name: s.name,
    sector: s.sector,
    role: s.role,
    x: placed[s.id]?.x ?? 0,
    y: placed[s.id]?.y ?? 0,
  }));
  const pairs = new Set<string>();
  const links: StakeholderLink[] = [];
  const known = new Set(stakeholders.map((s) => s.id));
  for (const r of model.entities.relationship) {
    if (!known.has(r.source) || !known.has(r.target)) continue;
    const key = pairKey(r.source, r.target);
    if (pairs.has(key)) continue;
    pairs.add(key);
    links.push({ id: r.id, source: r.source, target: r.target });
  }
  return { stakeholders, links };
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
function sharedTypes(doc: InitiativeDoc): Y.AbstractType<any>[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const types: Y.AbstractType<any>[] = [doc.getMap('entities')];
  for (const board of BOARDS as readonly Board[]) types.push(doc.getMap(`placements.${board}`));
  for (const kind of SINGLETON_KINDS) for (const field of Object.keys(FIELDS[kind])) types.push(doc.getText(`${kind}.${field}`));
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
  const manager = new Y.UndoManager(sharedTypes(doc), { captureTimeout: captureTimeoutMs, trackedOrigins: new Set([null]) });
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

/** A new document holding `update`. */
export function decodeInitiative(update: Uint8Array): InitiativeDoc {
  const doc = createInitiativeDoc();
  Y.applyUpdate(doc, update);
  return doc;
}
