/**
 * Comparing two readings of the strategic action framework (docs/framework.md):
 * the cards `to` has that `from` has not (added), the other way (removed), and
 * for cards both have, every field that differs (changed). Pure and
 * deterministic: results follow FRAMEWORK_KINDS, then ids, then field order.
 *
 * - Id lists (fields named `…Ids`: a strategy's indicators, an activity's
 *   owners) are sets: compared and reported sorted, so order never counts.
 * - Other lists (an indicator's subgroups) are compared in order.
 * - A field one side does not have at all (a version saved before the field
 *   existed) equals an empty value ('', null, []) on the other side.
 * - Placements are not compared: moving a card is no change of the framework.
 */
import { cardLabel, snapshotEntities } from './snapshot.ts';
import type { DiffItem, FieldChange, FrameworkDiff, FrameworkEntity, FrameworkSnapshot } from './types.ts';

/** Whether `field` holds a set of ids (compared as a sorted set). */
export const isIdSetField = (field: string): boolean => field.endsWith('Ids');

/** A field's value as a comparison reports it: id sets sorted, everything a plain copy. */
export function comparable(field: string, value: unknown): unknown {
  if (Array.isArray(value)) {
    const copy = [...(value as unknown[])];
    return isIdSetField(field) ? [...new Set(copy.map(String))].sort() : copy;
  }
  return value === undefined ? undefined : structuredClone(value);
}

const isEmpty = (value: unknown) =>
  value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

function same(a: unknown, b: unknown): boolean {
  if (a === undefined || b === undefined) return isEmpty(a) && isEmpty(b);
  return JSON.stringify(a) === JSON.stringify(b);
}

const item = (entity: FrameworkEntity): DiffItem => ({
  id: entity.id,
  kind: entity.kind,
  label: cardLabel(entity),
  entity: structuredClone(entity),
});

/** The fields of a card, both sides together, in the order `to` (then `from`) lists them. */
function fieldsOf(from: FrameworkEntity, to: FrameworkEntity): string[] {
  const fields = new Set([...Object.keys(to), ...Object.keys(from)]);
  fields.delete('id');
  fields.delete('kind');
  return [...fields];
}

/** What changed from `from` to `to`. Two equal snapshots answer three empty lists. */
export function diffFrameworks(from: FrameworkSnapshot, to: FrameworkSnapshot): FrameworkDiff {
  const before = new Map(snapshotEntities(from).map((e) => [e.id, e]));
  const after = new Map(snapshotEntities(to).map((e) => [e.id, e]));
  const added: DiffItem[] = [];
  const removed: DiffItem[] = [];
  const changed: FieldChange[] = [];
  for (const entity of before.values()) if (!after.has(entity.id)) removed.push(item(entity));
  for (const entity of after.values()) {
    const old = before.get(entity.id);
    if (!old) {
      added.push(item(entity));
      continue;
    }
    if (old.kind !== entity.kind) {
      // The same id as another kind of card: one card went, another came.
      removed.push(item(old));
      added.push(item(entity));
      continue;
    }
    const label = cardLabel(entity);
    for (const field of fieldsOf(old, entity)) {
      const a = comparable(field, (old as unknown as Record<string, unknown>)[field]);
      const b = comparable(field, (entity as unknown as Record<string, unknown>)[field]);
      if (!same(a, b)) {
        changed.push({ id: entity.id, kind: entity.kind, label, field, before: a ?? null, after: b ?? null });
      }
    }
  }
  return { added, removed, changed };
}

/** True when two readings hold the same framework (placements aside). */
export function sameFramework(a: FrameworkSnapshot, b: FrameworkSnapshot): boolean {
  const diff = diffFrameworks(a, b);
  return diff.added.length === 0 && diff.removed.length === 0 && diff.changed.length === 0;
}
