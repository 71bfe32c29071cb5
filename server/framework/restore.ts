/**
 * Writing a saved version back into an initiative's document (docs/framework.md,
 * "Restoring a version"): in one Yjs transaction, framework cards the version
 * does not have are deleted (with their links, as deleting them on the board
 * would), cards it has are created, or set field by field where they differ,
 * and its placements on the framework board are put back. Sticky notes, the
 * other kinds and the other boards are left as they are. The server runs it on
 * the room's live document, so the change is stored and sent to every
 * connected browser like anyone's edit.
 */
import type * as Y from 'yjs';
import { diffFrameworks } from '../../machines/framework/diff.ts';
import { frameworkSnapshot, isSingletonKind, snapshotEntities } from '../../machines/framework/snapshot.ts';
import {
  FRAMEWORK_KINDS,
  type FrameworkEntity,
  type FrameworkKind,
  type FrameworkSnapshot,
} from '../../machines/framework/types.ts';
import type { Entity } from '../../machines/entities.ts';
import { checkValue, defaultValue, fieldLabel, FIELDS } from '../../src/schema/fields.ts';
import {
  deleteEntities,
  placeEntity,
  readModel,
  SchemaError,
  updateEntity,
  writeModel,
} from '../../src/schema/model.ts';

/** Where a restore's document change comes from (a transaction origin). */
export const RESTORE_ORIGIN = Symbol('framework restore');

/**
 * A card of a stored version as the schema has it today: fields the schema no
 * longer has are left out, fields it gained since take their default.
 */
export function completeEntity(entity: FrameworkEntity): FrameworkEntity {
  const given = entity as unknown as Record<string, unknown>;
  const complete: Record<string, unknown> = { kind: entity.kind, id: entity.id };
  for (const [field, spec] of Object.entries(FIELDS[entity.kind])) {
    complete[field] = given[field] === undefined ? defaultValue(spec) : given[field];
  }
  return complete as unknown as FrameworkEntity;
}

/** A stored version's content completed (completeEntity) and checked: a SchemaError names what does not fit. */
export function checkedSnapshot(snapshot: FrameworkSnapshot): FrameworkSnapshot {
  const entities = {} as Record<FrameworkKind, FrameworkEntity[]>;
  for (const kind of FRAMEWORK_KINDS) {
    entities[kind] = ((snapshot.entities?.[kind] ?? []) as FrameworkEntity[]).map((entity) => {
      if (entity.kind !== kind || typeof entity.id !== 'string' || !entity.id) {
        throw new SchemaError(`A saved ${kind} card has no id or is of another kind.`, 'content');
      }
      if (isSingletonKind(kind) !== (entity.id === kind)) {
        throw new SchemaError(`"${entity.id}" cannot be the id of a ${kind}.`, 'content');
      }
      const complete = completeEntity(entity);
      const values = complete as unknown as Record<string, unknown>;
      for (const [field, spec] of Object.entries(FIELDS[kind])) {
        const error = checkValue(spec, values[field], fieldLabel(kind, field), { stored: true });
        if (error) throw new SchemaError(error, field);
      }
      return complete;
    });
  }
  return { entities: entities as FrameworkSnapshot['entities'], placements: { ...(snapshot.placements ?? {}) } };
}

/**
 * Makes the document's framework equal to `version`'s (placements aside from
 * cards it does not place), in one transaction. Checks everything first: a
 * SchemaError leaves the document untouched. Answers how many cards were
 * added, removed and changed.
 */
export function writeFramework(
  doc: Y.Doc,
  version: FrameworkSnapshot,
): { added: number; removed: number; changed: number } {
  const wanted = checkedSnapshot(version);
  const byId = new Map(snapshotEntities(wanted).map((entity) => [entity.id, entity]));
  const diff = diffFrameworks(frameworkSnapshot(readModel(doc)), wanted);
  const changedIds = [...new Set(diff.changed.map((change) => change.id))];
  doc.transact(() => {
    deleteEntities(
      doc,
      diff.removed.map((item) => item.id).filter((id) => !isSingletonKind(id)),
    );
    for (const item of diff.added) writeModel(doc, [byId.get(item.id)! as Entity]);
    for (const id of changedIds) {
      const entity = byId.get(id)!;
      if (isSingletonKind(entity.kind)) {
        writeModel(doc, [entity as Entity]);
        continue;
      }
      const values = entity as unknown as Record<string, unknown>;
      const patch = Object.fromEntries(
        diff.changed.filter((change) => change.id === id).map((change) => [change.field, values[change.field]]),
      );
      try {
        // Field by field: someone typing in another field of the card keeps their words.
        updateEntity(doc, id, patch);
      } catch (error) {
        // A stored value a caller may not type (an emptied name): the whole card as the version has it.
        if (!(error instanceof SchemaError)) throw error;
        writeModel(doc, [entity as Entity]);
      }
    }
    for (const [id, position] of Object.entries(wanted.placements)) {
      if (byId.has(id)) placeEntity(doc, 'framework', id, position);
    }
  }, RESTORE_ORIGIN);
  return { added: diff.added.length, removed: diff.removed.length, changed: changedIds.length };
}
