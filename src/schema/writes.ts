/**
 * Every write of the entity API: creating, updating, placing and deleting
 * entities, and restoring whole entities (an import). Each write checks its
 * values against FIELDS (./fields.ts) before touching the document, so a
 * SchemaError leaves it unchanged.
 */
import * as Y from 'yjs';
import { uuidv4 } from 'lib0/random';
import {
  BOARDS,
  type Board,
  type Entity,
  type EntityKind,
  type EntityOf,
  type Position,
} from '../../machines/entities.ts';
import {
  checkValue,
  defaultValue,
  FIELDS,
  fieldLabel,
  fieldSpec,
  isEntityKind,
  type FieldSpec,
} from './fields.ts';
import {
  entitiesOf,
  entryOf,
  initialValue,
  isSingleton,
  placementsOf,
  replaceText,
  singletonText,
  writeField,
} from './codec.ts';

type Doc = Y.Doc;

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

export function checkField(kind: EntityKind, field: string, value: unknown): FieldSpec {
  const spec = fieldSpec(kind, field);
  if (!spec) throw new SchemaError(`A ${kind} has no field "${field}".`, field);
  const error = checkValue(spec, value, fieldLabel(kind, field));
  if (error) throw new SchemaError(error, field);
  return spec;
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

/** Stores an entity's position on a board. Call at the end of a drag, not per frame. */
export function placeEntity(doc: Doc, board: Board, id: string, position: Position): void {
  const placements = placementsOf(doc, board);
  const next = roundPosition(position);
  const current = placements.get(id);
  if (current && current.x === next.x && current.y === next.y) return;
  placements.set(id, next);
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
