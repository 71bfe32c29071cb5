/**
 * How a comparison of two framework versions names things: cards by their
 * words (never an id), fields by the panel's words, values as the panel shows
 * them (an enum's label, a linked card's name). Pure, so the comparison and a
 * test read the same sentences.
 */
import { ENTITY_KIND_LABELS, type Entity } from '../../../../machines/entities.ts';
import {
  FRAMEWORK_KINDS,
  type DiffItem,
  type FieldChange,
  type FrameworkDiff,
  type FrameworkKind,
  type FrameworkSnapshot,
} from '../../../../machines/framework/types.ts';
import type { FrameworkVersionSummary } from '../../../contract/portfolio.ts';
import { entityTitle, FIELDS, fieldWord, TITLE_FIELDS } from '../../../schema/index.ts';
import { enumLabel } from '../../../canvas/labels.ts';

/** Names of cards by id, from every reading at hand (the document now, both versions, the diff's own cards). */
export type Names = ReadonlyMap<string, string>;

export function namesOf(
  readings: readonly (FrameworkSnapshot | { entities: Record<string, readonly Entity[]> } | null)[],
  extra: readonly DiffItem[] = [],
): Names {
  const names = new Map<string, string>();
  for (const reading of readings) {
    if (!reading) continue;
    for (const list of Object.values(reading.entities) as (readonly Entity[])[]) {
      for (const entity of list) names.set(entity.id, entityTitle(entity));
    }
  }
  for (const item of extra) names.set(item.id, item.label || entityTitle(item.entity));
  return names;
}

/** Fields whose value is an id of a card outside this initiative: named by `outside`, never shown as an id. */
const OUTSIDE_REFS: Record<string, string> = {
  servesId: 'a strategy of the initiative above',
  initiativeId: 'a linked sub-initiative',
};

export const EMPTY_VALUE = '(empty)';

/** A field's value in words: `Long term`, `Binge drinking, 10th grade; Retail compliance`, `(empty)`. */
export function valueWords(
  kind: FrameworkKind,
  field: string,
  value: unknown,
  names: Names,
  outside: Names = new Map(),
): string {
  const spec = Object.hasOwn(FIELDS[kind], field) ? FIELDS[kind][field] : undefined;
  const nameOf = (id: unknown) =>
    typeof id === 'string' ? (names.get(id) ?? 'a card no longer on the board') : EMPTY_VALUE;
  if (value === null || value === undefined || value === '') return EMPTY_VALUE;
  if (Object.hasOwn(OUTSIDE_REFS, field) && typeof value === 'string') return outside.get(value) ?? OUTSIDE_REFS[field];
  switch (spec?.type) {
    case 'ref':
      return nameOf(value);
    case 'refs':
      return Array.isArray(value) && value.length > 0
        ? value
            .map(nameOf)
            .sort((a, b) => a.localeCompare(b))
            .join('; ')
        : 'none';
    case 'enum':
      return typeof value === 'string' ? enumLabel(field, value) : String(value);
    case 'labels':
      return Array.isArray(value) && value.length > 0 ? value.map(String).join(', ') : 'none';
    case 'flag':
      return value ? 'Yes' : 'No';
    default:
      return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : JSON.stringify(value);
  }
}

export function kindWord(kind: FrameworkKind): string {
  return ENTITY_KIND_LABELS[kind];
}

export { fieldWord };

/** The fields of an added or removed card worth showing beside its title (set ones only, title first). */
export function cardFields(item: DiffItem, names: Names, outside?: Names): { field: string; words: string }[] {
  const title = TITLE_FIELDS[item.kind];
  const entity = item.entity as unknown as Record<string, unknown>;
  return Object.keys(FIELDS[item.kind])
    .filter((field) => field !== title)
    .map((field) => ({ field, value: entity[field] }))
    .filter(
      ({ value }) =>
        !(
          value === null ||
          value === undefined ||
          value === '' ||
          (Array.isArray(value) && value.length === 0) ||
          value === false
        ),
    )
    .map(({ field, value }) => ({ field, words: valueWords(item.kind, field, value, names, outside) }));
}

/** One card of the comparison: added, removed, or changed in some fields. */
export type CardChange =
  | { change: 'added' | 'removed'; id: string; kind: FrameworkKind; label: string; item: DiffItem }
  | { change: 'changed'; id: string; kind: FrameworkKind; label: string; fields: FieldChange[] };

/** The diff as cards, in the framework's order of kinds (problem … indicators), then by name. */
export function cardChanges(diff: FrameworkDiff): { kind: FrameworkKind; cards: CardChange[] }[] {
  const cards: CardChange[] = [
    ...diff.added.map((item) => ({ change: 'added' as const, id: item.id, kind: item.kind, label: item.label, item })),
    ...diff.removed.map((item) => ({
      change: 'removed' as const,
      id: item.id,
      kind: item.kind,
      label: item.label,
      item,
    })),
  ];
  const changed = new Map<string, FieldChange[]>();
  for (const field of diff.changed) changed.set(field.id, [...(changed.get(field.id) ?? []), field]);
  for (const [id, fields] of changed)
    cards.push({ change: 'changed', id, kind: fields[0].kind, label: fields[0].label, fields });
  return FRAMEWORK_KINDS.map((kind) => ({
    kind,
    cards: cards
      .filter((c) => c.kind === kind)
      .sort((a, b) => a.label.localeCompare(b.label) || a.id.localeCompare(b.id)),
  })).filter((group) => group.cards.length > 0);
}

/** "Version 3, “After the retailer pilot”" or "Now". */
export function sideName(side: string, versions: readonly FrameworkVersionSummary[]): string {
  const version = versions.find((v) => v.id === side);
  return version ? `Version ${version.number}, “${version.name}”` : 'Now';
}

/** "1 change" / "3 changes": cards added, removed or changed. */
export function changeCount(diff: FrameworkDiff): string {
  const n = diff.added.length + diff.removed.length + new Set(diff.changed.map((c) => c.id)).size;
  if (n === 0) return 'No differences: the two are the same framework.';
  return `${n} ${n === 1 ? 'card differs' : 'cards differ'}: ${diff.added.length} added, ${diff.removed.length} removed, ${new Set(diff.changed.map((c) => c.id)).size} changed.`;
}
