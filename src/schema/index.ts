/**
 * The one module that owns the shape of an initiative's shared Yjs document.
 *
 * Everything that reads or writes the document goes through here: React
 * components call these functions instead of touching Y types, and the server
 * imports this module (and nothing else from src/) to seed documents and to
 * build the plain snapshot that the workflow guards read.
 *
 * Layout of a document (version 1):
 * - `stakeholders`: Y.Map<id, Y.Map> with `name`, `sector`, `role`, `x`, `y`
 * - `links`: Y.Map<id, Y.Map> with `source`, `target` (stakeholder ids)
 * - `meta`: Y.Map with `schemaVersion`
 *
 * Any participant can write anything into a shared document, so reading is
 * defensive: entries that do not fit the schema are left out of the snapshot.
 */
import * as Y from 'yjs';
import { uuidv4 } from 'lib0/random';
import {
  isSector,
  isStakeholderRole,
  type InitiativeSnapshot,
  type Sector,
  type Stakeholder,
  type StakeholderLink,
  type StakeholderRole,
} from '../../machines/domain.ts';

export const SCHEMA_VERSION = 1;

/** An initiative's shared document. Opaque outside this module and the sync layer. */
export type InitiativeDoc = Y.Doc;

export function createInitiativeDoc(): InitiativeDoc {
  return new Y.Doc();
}

const stakeholders = (doc: InitiativeDoc) => doc.getMap<Y.Map<unknown>>('stakeholders');
const links = (doc: InitiativeDoc) => doc.getMap<Y.Map<unknown>>('links');

/** The entry under `id`, if it is a map: another client may have written anything there. */
function entryOf(map: Y.Map<Y.Map<unknown>>, id: string): Y.Map<unknown> | undefined {
  const entry: unknown = map.get(id);
  return entry instanceof Y.Map ? entry : undefined;
}

export interface NewStakeholder {
  name: string;
  sector: Sector;
  role: StakeholderRole;
  x: number;
  y: number;
}

export type StakeholderPatch = Partial<Pick<Stakeholder, 'name' | 'sector' | 'role'>>;

function checkName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('A stakeholder needs a name.');
  if (trimmed.length > 200) throw new Error('A stakeholder name is at most 200 characters.');
  return trimmed;
}

function checkPatch(patch: StakeholderPatch): StakeholderPatch {
  const out: StakeholderPatch = {};
  if (patch.name !== undefined) out.name = checkName(patch.name);
  if (patch.sector !== undefined) {
    if (!isSector(patch.sector)) throw new Error(`Unknown sector: ${String(patch.sector)}`);
    out.sector = patch.sector;
  }
  if (patch.role !== undefined) {
    if (!isStakeholderRole(patch.role)) throw new Error(`Unknown role: ${String(patch.role)}`);
    out.role = patch.role;
  }
  return out;
}

function finite(n: number): number {
  return Number.isFinite(n) ? Math.round(n) : 0;
}

/** Adds a stakeholder and answers its id. */
export function addStakeholder(doc: InitiativeDoc, input: NewStakeholder): string {
  const id = uuidv4();
  const fields = checkPatch({ ...input, name: input.name ?? '' });
  if (fields.sector === undefined) throw new Error('A stakeholder needs a sector.');
  if (fields.role === undefined) throw new Error('A stakeholder needs a role.');
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set('name', fields.name);
    entry.set('sector', fields.sector);
    entry.set('role', fields.role);
    entry.set('x', finite(input.x));
    entry.set('y', finite(input.y));
    stakeholders(doc).set(id, entry);
  });
  return id;
}

export function updateStakeholder(doc: InitiativeDoc, id: string, patch: StakeholderPatch): void {
  const entry = entryOf(stakeholders(doc), id);
  if (!entry) return;
  const fields = checkPatch(patch);
  doc.transact(() => {
    for (const [key, value] of Object.entries(fields)) {
      if (entry.get(key) !== value) entry.set(key, value);
    }
  });
}

/** Stores a card's final position. Call on drag end, not per frame. */
export function moveStakeholder(doc: InitiativeDoc, id: string, position: { x: number; y: number }): void {
  const entry = entryOf(stakeholders(doc), id);
  if (!entry) return;
  const x = finite(position.x);
  const y = finite(position.y);
  if (entry.get('x') === x && entry.get('y') === y) return;
  doc.transact(() => {
    entry.set('x', x);
    entry.set('y', y);
  });
}

/** Removes stakeholders and every link that touches them, in one transaction. */
export function removeStakeholders(doc: InitiativeDoc, ids: readonly string[]): void {
  const gone = new Set(ids);
  doc.transact(() => {
    for (const id of gone) stakeholders(doc).delete(id);
    links(doc).forEach((link, linkId) => {
      if (!(link instanceof Y.Map)) return;
      if (gone.has(link.get('source') as string) || gone.has(link.get('target') as string)) {
        links(doc).delete(linkId);
      }
    });
  });
}

/**
 * Links two stakeholders. Answers the new link's id, or null when the link
 * would join a stakeholder to itself, to a missing one, or repeat an existing link.
 */
export function addLink(doc: InitiativeDoc, source: string, target: string): string | null {
  if (source === target) return null;
  const map = stakeholders(doc);
  if (!entryOf(map, source) || !entryOf(map, target)) return null;
  for (const link of links(doc).values()) {
    if (!(link instanceof Y.Map)) continue;
    const s = link.get('source');
    const t = link.get('target');
    if ((s === source && t === target) || (s === target && t === source)) return null;
  }
  const id = uuidv4();
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set('source', source);
    entry.set('target', target);
    links(doc).set(id, entry);
  });
  return id;
}

/** Removes links, and any concurrent repeat of them (hidden by readInitiative), so none reappears. */
export function removeLinks(doc: InitiativeDoc, ids: readonly string[]): void {
  const pairOf = (link: unknown) =>
    link instanceof Y.Map ? [link.get('source'), link.get('target')].sort().join(' ') : undefined;
  const pairs = new Set(ids.map((id) => pairOf(links(doc).get(id))));
  doc.transact(() => {
    for (const id of ids) links(doc).delete(id);
    links(doc).forEach((link, id) => {
      const pair = pairOf(link);
      if (pair !== undefined && pairs.has(pair)) links(doc).delete(id);
    });
  });
}

function readStakeholder(id: string, entry: unknown): Stakeholder | null {
  if (!(entry instanceof Y.Map)) return null;
  const name = entry.get('name');
  const sector = entry.get('sector');
  const role = entry.get('role');
  const x = entry.get('x');
  const y = entry.get('y');
  if (typeof name !== 'string' || !name.trim() || !isSector(sector) || !isStakeholderRole(role)) return null;
  return {
    id,
    name,
    sector,
    role,
    x: typeof x === 'number' && Number.isFinite(x) ? x : 0,
    y: typeof y === 'number' && Number.isFinite(y) ? y : 0,
  };
}

/**
 * The plain snapshot the machines read. Cost: walks the whole document; call it
 * once per change, not once per component.
 */
export function readInitiative(doc: InitiativeDoc): InitiativeSnapshot {
  const people: Stakeholder[] = [];
  stakeholders(doc).forEach((entry, id) => {
    const stakeholder = readStakeholder(id, entry);
    if (stakeholder) people.push(stakeholder);
  });
  people.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const known = new Set(people.map((p) => p.id));
  const edges: StakeholderLink[] = [];
  links(doc).forEach((entry, id) => {
    if (!(entry instanceof Y.Map)) return;
    const source = entry.get('source');
    const target = entry.get('target');
    if (typeof source !== 'string' || typeof target !== 'string' || source === target) return;
    if (known.has(source) && known.has(target)) edges.push({ id, source, target });
  });
  edges.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // Two people can link the same pair at the same time: show one link, the same one everywhere.
  const pairs = new Set<string>();
  const unique = edges.filter(({ source, target }) => {
    const pair = source < target ? `${source} ${target}` : `${target} ${source}`;
    if (pairs.has(pair)) return false;
    pairs.add(pair);
    return true;
  });
  return { stakeholders: people, links: unique };
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
