/**
 * Entities and boards in a Yjs document (schema version 2).
 *
 * Layout:
 * - `entities`: Y.Map<id, Y.Map>; each entry has `kind` and the fields of
 *   FIELDS[kind], stored as fields.ts describes (text as Y.Text, id sets as
 *   Y.Map<id, true>, measurements as Y.Array).
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
import { uuidv4 } from 'lib0/random';
import {
  BACKBONE_FUNCTIONS,
  BOARD_KINDS,
  BOARDS,
  ENTITY_KINDS,
  SINGLETON_KINDS,
  type Board,
  type Entity,
  type EntityKind,
  type EntityOf,
  type InitiativeModel,
  type Position,
} from '../../machines/entities.ts';
import { relationshipKey } from '../../machines/relationships.ts';
import {
  checkValue,
  defaultValue,
  FIELDS,
  FUNCTION_CARRIER_KINDS,
  fieldLabel,
  fieldSpec,
  isEntityKind,
  isMeasurement,
  type FieldSpec,
} from './fields.ts';

type Doc = Y.Doc;
type SingletonKind = (typeof SINGLETON_KINDS)[number];

/** The fields of kind K that a caller may set. */
export type EntityFields<K extends EntityKind> = Omit<EntityOf<K>, 'kind' | 'id'>;

export class SchemaError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const entitiesOf = (doc: Doc) => doc.getMap<Y.Map<unknown>>('entities');
const placementsOf = (doc: Doc, board: Board) => doc.getMap<Position>(`placements.${board}`);
const singletonText = (doc: Doc, kind: SingletonKind, field: string) => doc.getText(`${kind}.${field}`);

export function isSingleton(kind: string): kind is SingletonKind {
  return (SINGLETON_KINDS as readonly string[]).includes(kind);
}

function entryOf(doc: Doc, id: string): Y.Map<unknown> | undefined {
  const entry: unknown = entitiesOf(doc).get(id);
  return entry instanceof Y.Map ? entry : undefined;
}

function checkField(kind: EntityKind, field: string, value: unknown): FieldSpec {
  const spec = fieldSpec(kind, field);
  if (!spec) throw new SchemaError(`A ${kind} has no field "${field}".`, field);
  const error = checkValue(spec, value, fieldLabel(kind, field));
  if (error) throw new SchemaError(error, field);
  return spec;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Replaces a Y.Text's content with `next` by the smallest single edit, so concurrent typing merges. */
export function replaceText(ytext: Y.Text, next: string): void {
  const prev = ytext.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  // Never split a surrogate pair (an emoji): edit the whole character.
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) {
    end++;
  }
  if (end > 0 && isLowSurrogate(prev.charCodeAt(prev.length - end))) end--;
  const removed = prev.length - start - end;
  if (removed > 0) ytext.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted) ytext.insert(start, inserted);
}

function idSet(ids: readonly string[]): Y.Map<true> {
  const set = new Y.Map<true>();
  for (const id of new Set(ids)) set.set(id, true);
  return set;
}

function syncIdSet(set: Y.Map<true>, ids: readonly string[]): void {
  const wanted = new Set(ids);
  for (const id of [...set.keys()]) if (!wanted.has(id)) set.delete(id);
  for (const id of wanted) if (!set.has(id)) set.set(id, true);
}

function initialValue(spec: FieldSpec, value: unknown): unknown {
  switch (spec.type) {
    case 'text':
      return new Y.Text(value as string);
    case 'refs':
      return idSet(value as string[]);
    case 'measurements': {
      const array = new Y.Array<{ date: string; value: number }>();
      array.push((value as { date: string; value: number }[]).map((m) => ({ date: m.date, value: m.value })));
      return array;
    }
    case 'functions': {
      const map = new Y.Map<Y.Map<true>>();
      for (const fn of BACKBONE_FUNCTIONS) map.set(fn, idSet((value as Record<string, string[]>)[fn] ?? []));
      return map;
    }
    default:
      return value;
  }
}

function writeField(entry: Y.Map<unknown>, field: string, spec: FieldSpec, value: unknown): void {
  const current = entry.get(field);
  switch (spec.type) {
    case 'text':
      if (current instanceof Y.Text) replaceText(current, value as string);
      else entry.set(field, new Y.Text(value as string));
      return;
    case 'refs':
      if (current instanceof Y.Map) syncIdSet(current as Y.Map<true>, value as string[]);
      else entry.set(field, idSet(value as string[]));
      return;
    case 'functions':
      // Keep the inner sets, so a concurrent toggle of another function or stakeholder survives.
      if (current instanceof Y.Map) {
        for (const fn of BACKBONE_FUNCTIONS) {
          const ids = (value as Record<string, string[]>)[fn] ?? [];
          const set = current.get(fn);
          if (set instanceof Y.Map) syncIdSet(set as Y.Map<true>, ids);
          else current.set(fn, idSet(ids));
        }
      } else entry.set(field, initialValue(spec, value));
      return;
    case 'measurements':
      entry.set(field, initialValue(spec, value));
      return;
    default:
      if (current !== value) entry.set(field, value);
  }
}

export interface Placement {
  board: Board;
  position: Position;
}

function roundPosition({ x, y }: Position): Position {
  return { x: Number.isFinite(x) ? Math.round(x) : 0, y: Number.isFinite(y) ? Math.round(y) : 0 };
}

/**
 * Creates an entity of `kind` with `fields` (the rest take their defaults), placed
 * on `placements` boards. Answers its id. Throws a SchemaError naming the field
 * that does not fit.
 */
export function createEntity<K extends EntityKind>(
  doc: Doc,
  kind: K,
  fields: Partial<EntityFields<K>>,
  placements: readonly Placement[] = [],
  id: string = uuidv4(),
): string {
  if (!isEntityKind(kind)) throw new SchemaError(`Unknown entity kind "${String(kind)}".`, 'kind');
  if (isSingleton(kind)) throw new SchemaError(`There is one ${kind} per initiative: update it instead.`, 'kind');
  if (typeof id !== 'string' || !id || isSingleton(id))
    throw new SchemaError(`"${String(id)}" cannot be an entity id.`, 'id');
  const values: Record<string, unknown> = {};
  for (const [field, spec] of Object.entries(FIELDS[kind])) {
    const given = (fields as Record<string, unknown>)[field];
    const value =
      given === undefined
        ? defaultValue(spec)
        : typeof given === 'string' && spec.type === 'text'
          ? given.trim()
          : given;
    checkField(kind, field, value);
    values[field] = value;
  }
  for (const field of Object.keys(fields)) if (!fieldSpec(kind, field)) checkField(kind, field, undefined);
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set('kind', kind);
    for (const [field, spec] of Object.entries(FIELDS[kind])) entry.set(field, initialValue(spec, values[field]));
    entitiesOf(doc).set(id, entry);
    for (const { board, position } of placements) placementsOf(doc, board).set(id, roundPosition(position));
  });
  return id;
}

/** Sets some fields of an entity (or of a singleton, by its kind as id). Unknown ids are ignored. */
export function updateEntity(doc: Doc, id: string, patch: Record<string, unknown>): void {
  if (isSingleton(id)) {
    for (const [field, value] of Object.entries(patch)) checkField(id, field, value);
    doc.transact(() => {
      for (const [field, value] of Object.entries(patch)) replaceText(singletonText(doc, id, field), value as string);
    });
    return;
  }
  const entry = entryOf(doc, id);
  if (!entry) return;
  const kind = entry.get('kind');
  if (!isEntityKind(kind) || isSingleton(kind)) return;
  const specs = Object.entries(patch).map(([field, value]) => [field, checkField(kind, field, value), value] as const);
  doc.transact(() => {
    for (const [field, spec, value] of specs) writeField(entry, field, spec, value);
  });
}

/**
 * Adds or removes one id in an id-set field (a `refs` field), without touching
 * concurrent changes to others. Unknown entities are ignored; a field that is
 * not an id set is a SchemaError.
 */
export function toggleRef(doc: Doc, id: string, field: string, ref: string, present: boolean): void {
  const entry = entryOf(doc, id);
  if (!entry) return;
  const kind = entry.get('kind');
  if (!isEntityKind(kind)) return;
  if (fieldSpec(kind, field)?.type !== 'refs')
    throw new SchemaError(`${fieldLabel(kind, field)} is not a list of entity ids.`, field);
  if (typeof ref !== 'string' || !ref) throw new SchemaError(`${fieldLabel(kind, field)} takes entity ids.`, field);
  const set = entry.get(field);
  if (!(set instanceof Y.Map)) return;
  if (present && !set.has(ref)) set.set(ref, true);
  if (!present && set.has(ref)) set.delete(ref);
}

/** Adds or removes a stakeholder as carrier of one backbone function. */
export function toggleBackboneFunction(
  doc: Doc,
  backboneId: string,
  fn: string,
  stakeholderId: string,
  present: boolean,
): void {
  const functions = entryOf(doc, backboneId)?.get('functions');
  const set = functions instanceof Y.Map ? functions.get(fn) : undefined;
  if (!(set instanceof Y.Map)) return;
  if (present && !set.has(stakeholderId)) set.set(stakeholderId, true);
  if (!present && set.has(stakeholderId)) set.delete(stakeholderId);
}

export function addMeasurement(doc: Doc, indicatorId: string, measurement: { date: string; value: number }): void {
  if (!isMeasurement(measurement))
    throw new SchemaError('A measurement needs a date (YYYY-MM-DD) and a number.', 'measurements');
  const list = entryOf(doc, indicatorId)?.get('measurements');
  if (list instanceof Y.Array) list.push([{ date: measurement.date, value: measurement.value }]);
}

export function removeMeasurement(doc: Doc, indicatorId: string, index: number): void {
  const list = entryOf(doc, indicatorId)?.get('measurements');
  if (list instanceof Y.Array && index >= 0 && index < list.length) list.delete(index, 1);
}

/** Stores an entity's position on a board. Call at the end of a drag, not per frame. */
export function placeEntity(doc: Doc, board: Board, id: string, position: Position): void {
  const placements = placementsOf(doc, board);
  const next = roundPosition(position);
  const current = placements.get(id);
  if (current && current.x === next.x && current.y === next.y) return;
  placements.set(id, next);
}

export function unplaceEntity(doc: Doc, board: Board, id: string): void {
  placementsOf(doc, board).delete(id);
}

/**
 * Deletes entities and everything that only made sense with them, in one
 * transaction: their placements, relationships touching them, and every
 * reference to them in other entities.
 */
export function deleteEntities(doc: Doc, ids: readonly string[]): void {
  const gone = new Set(ids.filter((id) => !isSingleton(id)));
  if (gone.size === 0) return;
  doc.transact(() => {
    const entities = entitiesOf(doc);
    for (const [id, entry] of entities.entries()) {
      if (!(entry instanceof Y.Map)) continue;
      if (
        entry.get('kind') === 'relationship' &&
        (gone.has(entry.get('source') as string) || gone.has(entry.get('target') as string))
      ) {
        gone.add(id);
      }
    }
    for (const id of gone) entities.delete(id);
    for (const board of BOARDS) for (const id of gone) placementsOf(doc, board).delete(id);
    for (const entry of entities.values()) {
      if (!(entry instanceof Y.Map)) continue;
      const kind = entry.get('kind');
      if (!isEntityKind(kind)) continue;
      for (const [field, spec] of Object.entries(FIELDS[kind])) {
        const value = entry.get(field);
        if (spec.type === 'ref' && typeof value === 'string' && gone.has(value)) entry.set(field, null);
        if (spec.type === 'refs' && value instanceof Y.Map) {
          for (const id of gone) if (value.has(id)) value.delete(id);
        }
        if (spec.type === 'functions' && value instanceof Y.Map) {
          for (const inner of value.values()) {
            if (inner instanceof Y.Map) for (const id of gone) if (inner.has(id)) inner.delete(id);
          }
        }
      }
    }
  });
}

function readField(spec: FieldSpec, raw: unknown): unknown {
  switch (spec.type) {
    case 'text':
      return raw instanceof Y.Text ? raw.toString() : undefined;
    case 'refs':
      return raw instanceof Y.Map ? [...raw.keys()].sort() : undefined;
    case 'measurements':
      return raw instanceof Y.Array
        ? raw
            .toArray()
            .filter(isMeasurement)
            .map((m) => ({ date: m.date, value: m.value }))
        : undefined;
    case 'functions': {
      if (!(raw instanceof Y.Map)) return undefined;
      return Object.fromEntries(
        BACKBONE_FUNCTIONS.map((fn) => {
          const set = raw.get(fn);
          return [fn, set instanceof Y.Map ? [...set.keys()].sort() : []];
        }),
      );
    }
    default:
      return raw;
  }
}

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
 * A live binding of one text field, for inputs where several people type at
 * once: `write` applies the smallest edit, so concurrent typing merges.
 */
export interface TextBinding {
  read(): string;
  write(next: string): void;
  /** Calls `listener` when the text changes (locally or remotely); answers the unsubscribe. */
  observe(listener: () => void): () => void;
}

export function bindText(doc: Doc, id: string, field: string): TextBinding | null {
  let ytext: Y.Text | undefined;
  if (isSingleton(id)) {
    if (fieldSpec(id, field)?.type !== 'text') return null;
    ytext = singletonText(doc, id, field);
  } else {
    const entry = entryOf(doc, id);
    const kind = entry?.get('kind');
    if (!isEntityKind(kind) || fieldSpec(kind, field)?.type !== 'text') return null;
    const value = entry!.get(field);
    if (value instanceof Y.Text) ytext = value;
  }
  if (!ytext) return null;
  const text = ytext;
  const kind = isSingleton(id) ? id : (entryOf(doc, id)!.get('kind') as EntityKind);
  return {
    read: () => text.toString(),
    write: (next) => {
      checkField(kind, field, next);
      doc.transact(() => replaceText(text, next));
    },
    observe: (listener) => {
      const handler = () => listener();
      text.observe(handler);
      return () => text.unobserve(handler);
    },
  };
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

/**
 * Writes whole entities, ids and placements as given, in one transaction: for
 * restoring what a document held (an import). Values are checked as stored
 * values (a required name may be empty; texts are not trimmed) before anything
 * is written, so a SchemaError leaves the document untouched. Entities that
 * exist are overwritten; singletons are updated. References are not checked
 * here (readModel drops dangling ones): check them before, as exchange.ts does.
 */
export function writeModel(
  doc: Doc,
  entities: readonly Entity[],
  placements: Partial<Record<Board, Record<string, Position>>> = {},
): void {
  for (const entity of entities) {
    const { kind, id } = entity as { kind: unknown; id: unknown };
    if (!isEntityKind(kind)) throw new SchemaError(`Unknown entity kind "${String(kind)}".`, 'kind');
    if (typeof id !== 'string' || !id || (isSingleton(id) ? id !== kind : isSingleton(kind))) {
      throw new SchemaError(`"${String(id)}" cannot be the id of a ${kind}.`, 'id');
    }
    for (const [field, spec] of Object.entries(FIELDS[kind])) {
      const error = checkValue(spec, (entity as unknown as Record<string, unknown>)[field], fieldLabel(kind, field), {
        stored: true,
      });
      if (error) throw new SchemaError(error, field);
    }
  }
  for (const board of Object.keys(placements)) {
    if (!(BOARDS as readonly string[]).includes(board))
      throw new SchemaError(`Unknown board "${board}".`, 'placements');
  }
  doc.transact(() => {
    for (const entity of entities) {
      const values = entity as unknown as Record<string, unknown>;
      if (isSingleton(entity.kind)) {
        for (const field of Object.keys(FIELDS[entity.kind])) {
          replaceText(singletonText(doc, entity.kind, field), values[field] as string);
        }
        continue;
      }
      const entry = new Y.Map<unknown>();
      entry.set('kind', entity.kind);
      for (const [field, spec] of Object.entries(FIELDS[entity.kind]))
        entry.set(field, initialValue(spec, values[field]));
      entitiesOf(doc).set(entity.id, entry);
    }
    for (const [board, placed] of Object.entries(placements) as [Board, Record<string, Position>][]) {
      for (const [id, { x, y }] of Object.entries(placed)) {
        placementsOf(doc, board).set(id, { x: Number.isFinite(x) ? x : 0, y: Number.isFinite(y) ? y : 0 });
      }
    }
  });
}
