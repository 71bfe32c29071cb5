/**
 * Entities and boards in a Yjs document (schema version 2): the entity API.
 * This file reads (`readModel`); ./writes.ts writes, ./text.ts binds text fields
 * for typing together, ./codec.ts says how values sit in Y types. This file
 * re-exports the other three, so the entity API is one import.
 *
 * Layout:
 * - `entities`: Y.Map<id, Y.Map>; each entry has `kind` and the fields of
 *   FIELDS[kind], stored as fields.ts describes (text as Y.Text, id sets as
 *   Y.Map<id, true>, an indicator's subgroups as a plain array).
 * - singletons (problem, goal, evaluation) are not entries: each of their text
 *   fields is a top-level Y.Text named `<kind>.<field>`, so two people starting
 *   the problem description at once never create rival copies.
 * - `placements.<board>`: Y.Map<entityId, { x, y }>, one top-level map per board.
 *   Positions are plain values written once per drag, at its end.
 *
 * Reading is defensive (any participant can write anything): entries that do not
 * fit are left out, fields that do not fit read as their default, dangling
 * references are dropped, and the result is sorted by id so every client
 * computes the same model. docs/schema.md describes the layout and its reasons.
 */
import * as Y from 'yjs';
import {
  BACKBONE_FUNCTIONS,
  BOARD_KINDS,
  BOARDS,
  ENTITY_KINDS,
  SINGLETON_KINDS,
  type Entity,
  type EntityKind,
  type InitiativeModel,
} from '../../machines/entities.ts';
import { relationshipKey } from '../../machines/relationships.ts';
import { checkValue, defaultValue, FIELDS, FUNCTION_CARRIER_KINDS, isEntityKind } from './fields.ts';
import { entitiesOf, isSingleton, placementsOf, readField, singletonText } from './codec.ts';

export { isSingleton, replaceText } from './codec.ts';
export * from './writes.ts';
export * from './text.ts';
export * from './notes.ts';

type Doc = Y.Doc;

function readEntry(id: string, entry: unknown): Entity | null {
  if (!(entry instanceof Y.Map) || isSingleton(id)) return null;
  const kind = entry.get('kind');
  if (!isEntityKind(kind) || isSingleton(kind)) return null;
  const entity: Record<string, unknown> = { kind, id };
  for (const [field, spec] of Object.entries(FIELDS[kind])) {
    let value = readField(spec, entry.get(field));
    // Concurrent typing can push a text past its limit: show the start rather than nothing.
    if (spec.type === 'text' && typeof value === 'string') value = value.slice(0, spec.max);
    if (value !== undefined && checkValue(spec, value, field, { stored: true }) === null) entity[field] = value;
    else if ((spec.type === 'text' && spec.required) || (spec.type === 'ref' && spec.required)) return null;
    else entity[field] = defaultValue(spec);
  }
  return entity as unknown as Entity;
}

function emptyModel(): InitiativeModel {
  return {
    entities: Object.fromEntries(ENTITY_KINDS.map((k) => [k, []])) as unknown as InitiativeModel['entities'],
    placements: Object.fromEntries(BOARDS.map((b) => [b, {}])) as InitiativeModel['placements'],
    // Values are not in the document: the server's workflow runner fills this from its measure store.
    measured: {},
  };
}

/**
 * Drops references to ids that do not exist or are of a kind the field does not
 * take (FIELDS says which), relationships that join nothing, join a party to
 * itself or repeat another, and loops of parent groups.
 */
function dropDangling(model: InitiativeModel, byId: Map<string, Entity>): void {
  const is = (id: unknown, kinds: readonly EntityKind[]) =>
    typeof id === 'string' && byId.has(id) && kinds.includes(byId.get(id)!.kind);
  const keep = (ids: string[], kinds: readonly EntityKind[]) => ids.filter((id) => is(id, kinds));
  const e = model.entities;
  const pairs = new Set<string>();
  const parties = (FIELDS.relationship.source as { to: readonly EntityKind[] }).to;
  e.relationship = e.relationship.filter((r) => {
    const keepIt = is(r.source, parties) && is(r.target, parties) && r.source !== r.target;
    const key = relationshipKey(r);
    if (!keepIt || pairs.has(key)) {
      byId.delete(r.id);
      return false;
    }
    pairs.add(key);
    return true;
  });
  for (const kind of ENTITY_KINDS) {
    if (kind === 'relationship' || isSingleton(kind)) continue;
    const specs = Object.entries(FIELDS[kind]);
    for (const entity of model.entities[kind] as Entity[]) {
      const x = entity as unknown as Record<string, unknown>;
      for (const [field, spec] of specs) {
        if (spec.type === 'ref' && x[field] !== null && !is(x[field], spec.to)) x[field] = null;
        if (spec.type === 'refs') x[field] = keep(x[field] as string[], spec.to);
        if (spec.type === 'functions') {
          const functions = x[field] as Record<string, string[]>;
          for (const fn of BACKBONE_FUNCTIONS) functions[fn] = keep(functions[fn], FUNCTION_CARRIER_KINDS);
        }
      }
    }
  }
  // A group cannot be its own ancestor: walking in id order, the group that closes a loop loses its parent.
  const groups = new Map(e.group.map((g) => [g.id, g]));
  for (const group of e.group) {
    const seen = new Set<string>([group.id]);
    for (let at = group.parentId; at !== null; at = groups.get(at)?.parentId ?? null) {
      if (at === group.id) {
        group.parentId = null;
        break;
      }
      if (seen.has(at)) break;
      seen.add(at);
    }
  }
}

/**
 * The plain model of the whole initiative. Cost: walks the whole document; call
 * it once per change and share the result.
 */
export function readModel(doc: Doc): InitiativeModel {
  const model = emptyModel();
  const byId = new Map<string, Entity>();
  const ids = [...entitiesOf(doc).keys()].sort();
  for (const id of ids) {
    const entity = readEntry(id, entitiesOf(doc).get(id));
    if (!entity) continue;
    byId.set(id, entity);
    (model.entities[entity.kind] as Entity[]).push(entity);
  }
  for (const kind of SINGLETON_KINDS) {
    const entity: Record<string, unknown> = { kind, id: kind };
    for (const [field, spec] of Object.entries(FIELDS[kind])) {
      const max = spec.type === 'text' ? spec.max : Infinity;
      entity[field] = singletonText(doc, kind, field).toString().slice(0, max);
    }
    (model.entities[kind] as Entity[]).push(entity as unknown as Entity);
    byId.set(kind, entity as unknown as Entity);
  }
  dropDangling(model, byId);
  for (const board of BOARDS) {
    const allowed = BOARD_KINDS[board];
    const placed = placementsOf(doc, board);
    for (const id of [...placed.keys()].sort()) {
      const entity = byId.get(id);
      const position: unknown = placed.get(id);
      if (!entity || !allowed.includes(entity.kind) || typeof position !== 'object' || position === null) continue;
      const { x, y } = position as Record<string, unknown>;
      if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) {
        model.placements[board][id] = { x, y };
      }
    }
  }
  return model;
}

/** Looks up an entity of a model by id. */
export function findEntity(model: InitiativeModel, id: string): Entity | undefined {
  for (const kind of ENTITY_KINDS) {
    const found = (model.entities[kind] as Entity[]).find((e) => e.id === id);
    if (found) return found;
  }
  return undefined;
}

/**
 * True when the document holds nothing: no top-level type has a live entry
 * (everything ever written, if anything, was deleted again).
 */
export function isEmptyDoc(doc: Doc): boolean {
  for (const type of doc.share.values()) {
    for (const item of type._map.values()) if (!item.deleted) return false;
    for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return false;
  }
  return true;
}
