/**
 * The fields of every entity kind, as data: their type, their default and how
 * they are stored in Yjs. One table drives creation, updates, defensive
 * reading, and export validation, so a new field is added in one place.
 */
import { SECTORS, STAKEHOLDER_ROLES } from '../../machines/domain.ts';
import { NOTE_LIMITS } from '../../machines/workshop/notes.ts';
import { FREQUENCIES } from '../../machines/measures/periods.ts';
import { MEASURE_LIMITS } from '../contract/measureAccess.ts';
import {
  BACKBONE_FUNCTIONS,
  BACKBONE_STRUCTURES,
  BOUNDARY_DIMENSIONS,
  BOUNDARY_SIDES,
  GROUP_KINDS,
  INDICATOR_DIRECTIONS,
  NOTE_COLOURS,
  RELATION_KINDS,
  ENTITY_KIND_LABELS,
  SINGLETON_KINDS,
  STRATEGY_HORIZONS,
  type EntityKind,
} from '../../machines/entities.ts';

/**
 * How a field is stored:
 * - `text`: a Y.Text, so two people typing in it merge character by character;
 * - `enum`, `string`, `date`, `score`, `ref`: a plain value, last writer wins;
 * - `refs`: a Y.Map<id, true>, so concurrent additions of different ids all survive;
 * - `labels`: a plain array of distinct short labels (an indicator's subgroups), last writer wins;
 * - `functions`: a Y.Map<function, Y.Map<id, true>> (backbone functions);
 * - `flag`: a plain true or false, false until set (a boundary item's rationale to review).
 */
export type FieldSpec =
  | { type: 'text'; max: number; required?: boolean }
  | { type: 'enum'; values: readonly string[]; nullable?: boolean; default?: string }
  | { type: 'string'; max: number }
  | { type: 'date' }
  | { type: 'score' }
  | { type: 'ref'; to: readonly EntityKind[]; required?: boolean }
  | { type: 'refs'; to: readonly EntityKind[] }
  /** At most `count` distinct labels of at most `max` characters each, none empty. */
  | { type: 'labels'; count: number; max: number }
  /** Each backbone function to the stakeholders who carry it. */
  | { type: 'functions' }
  | { type: 'flag' };

/** The kinds a `functions` field refers to. */
export const FUNCTION_CARRIER_KINDS: readonly EntityKind[] = ['stakeholder'];

const refs = (...to: EntityKind[]): FieldSpec => ({ type: 'refs', to });
const ref = (to: EntityKind[], required = false): FieldSpec => ({ type: 'ref', to, required });
/** Relationships join stakeholders and existing efforts. */
const PARTIES: EntityKind[] = ['stakeholder', 'effort'];

/** A link to another initiative (or to a card of another initiative's document): an id, '' for none. */
const LINK: FieldSpec = { type: 'string', max: 200 };

const text = (max = 2000, required = false): FieldSpec => ({ type: 'text', max, required });
const name: FieldSpec = { type: 'text', max: 200, required: true };

export const FIELDS: Record<EntityKind, Record<string, FieldSpec>> = {
  stakeholder: {
    name,
    organisation: text(200),
    sector: { type: 'enum', values: SECTORS },
    // Champions, anchor funders and affected people are chosen on purpose, never by default.
    role: { type: 'enum', values: STAKEHOLDER_ROLES, default: 'partner' },
    influence: { type: 'score' },
    interest: { type: 'score' },
  },
  relationship: {
    source: ref(PARTIES, true),
    target: ref(PARTIES, true),
    relation: { type: 'enum', values: RELATION_KINDS },
  },
  effort: { name, description: text(), stakeholderIds: refs('stakeholder') },
  boundary: {
    label: name,
    dimension: { type: 'enum', values: BOUNDARY_DIMENSIONS },
    side: { type: 'enum', values: BOUNDARY_SIDES },
    rationale: text(),
    /** Set when the item crosses the boundary: its rationale was written for the other side. */
    rationaleNeedsReview: { type: 'flag' },
  },
  problem: { description: text(8000) },
  source: { title: name, reference: { type: 'string', max: 2000 } },
  baseline: {
    statement: name,
    value: { type: 'string', max: 200 },
    source: { type: 'string', max: 500 },
    date: { type: 'date' },
  },
  goal: { statement: text(2000) },
  strategy: {
    name,
    description: text(),
    horizon: { type: 'enum', values: STRATEGY_HORIZONS },
    indicatorIds: refs('indicator'),
    // The parent initiative's strategy it serves: an id in the parent's document, '' for none.
    servesId: LINK,
  },
  activity: { name, strategyId: ref(['strategy']), ownerIds: refs('stakeholder') },
  principle: { statement: name },
  evaluation: { approach: text(8000) },
  indicator: {
    name,
    definition: text(),
    unit: { type: 'string', max: 100 },
    direction: { type: 'enum', values: INDICATOR_DIRECTIONS },
    frequency: { type: 'enum', values: FREQUENCIES, default: 'yearly' },
    subgroups: { type: 'labels', count: MEASURE_LIMITS.subgroupsMax, max: MEASURE_LIMITS.subgroupMax },
    // Its values, baseline, target, access level and data stewards are on the server (server/measures/).
  },
  group: {
    name,
    groupKind: { type: 'enum', values: GROUP_KINDS },
    parentId: ref(['group']),
    strategyIds: refs('strategy'),
    indicatorIds: refs('indicator'),
    memberIds: refs('stakeholder'),
    leadIds: refs('stakeholder'),
    // The sub-initiative it stands for: an initiative id, '' for none (names come from the server).
    initiativeId: LINK,
  },
  backbone: {
    name,
    scopeId: ref(['group']),
    structure: { type: 'enum', values: BACKBONE_STRUCTURES, nullable: true },
    functions: { type: 'functions' },
  },
  // Not required: a note is added empty and written on the board, like a paper one.
  note: {
    text: text(NOTE_LIMITS.textMax),
    colour: { type: 'enum', values: NOTE_COLOURS },
    author: { type: 'string', max: 200 },
    group: { type: 'string', max: 200 },
  },
};

/**
 * The spec of `kind.field`, or undefined when the kind has no such field. Own
 * properties only: `toString` or `__proto__` are not fields.
 */
export function fieldSpec(kind: string, field: string): FieldSpec | undefined {
  if (!Object.hasOwn(FIELDS, kind)) return undefined;
  const specs = FIELDS[kind as EntityKind];
  return Object.hasOwn(specs, field) ? specs[field] : undefined;
}

/**
 * How messages name a field: `Stakeholder name`, `Indicator subgroups`; a
 * singleton's one text is named by the kind's label alone (`Problem description`).
 */
export function fieldLabel(kind: EntityKind, field: string): string {
  const label = ENTITY_KIND_LABELS[kind];
  return (SINGLETON_KINDS as readonly string[]).includes(kind) &&
    Object.keys(FIELDS[kind]).length === 1 &&
    fieldSpec(kind, field)
    ? label
    : `${label} ${field}`;
}

/** True when `kind` is one of the entity kinds (own keys of FIELDS only). */
export function isEntityKind(kind: unknown): kind is EntityKind {
  return typeof kind === 'string' && Object.hasOwn(FIELDS, kind);
}

/** The value a field has when nobody set it. */
export function defaultValue(spec: FieldSpec): unknown {
  switch (spec.type) {
    case 'text':
    case 'string':
    case 'date':
      return '';
    case 'enum':
      return spec.nullable ? null : (spec.default ?? spec.values[0]);
    case 'score':
      return 3;
    case 'ref':
      return null;
    case 'refs':
    case 'labels':
      return [];
    case 'functions':
      return Object.fromEntries(BACKBONE_FUNCTIONS.map((f) => [f, []]));
    case 'flag':
      return false;
  }
}

/** The shape of a calendar date, YYYY-MM-DD. */
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in YYYY-MM-DD (not 2024-02-30, which Date.parse rolls over to March). */
export function isDate(value: unknown): value is string {
  if (typeof value !== 'string' || !DATE_PATTERN.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value;
}

export interface CheckOptions {
  /**
   * Check a value as a document may hold it rather than as a caller may write
   * it: a required text may be empty (two people deleting overlapping parts of
   * a name can empty it; the entity must not vanish for that). Used when
   * reading and when importing an export, so every export can be imported.
   */
  stored?: boolean;
}

/**
 * Checks one value against its spec. Answers an error sentence, or null when it
 * fits. `label` names the field in the sentence.
 */
export function checkValue(spec: FieldSpec, value: unknown, label: string, options: CheckOptions = {}): string | null {
  switch (spec.type) {
    case 'text':
    case 'string':
      if (typeof value !== 'string') return `${label} must be text.`;
      if (spec.type === 'text' && spec.required && !options.stored && !value.trim()) return `${label} is required.`;
      if (value.length > spec.max) return `${label} is at most ${spec.max} characters.`;
      return null;
    case 'date':
      return value === '' || isDate(value) ? null : `${label} must be a date (YYYY-MM-DD).`;
    case 'enum':
      if (value === null && spec.nullable) return null;
      return typeof value === 'string' && spec.values.includes(value)
        ? null
        : `${label} must be one of: ${spec.values.join(', ')}.`;
    case 'score':
      return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 5
        ? null
        : `${label} must be a whole number from 1 to 5.`;
    case 'ref':
      if (value === null && !spec.required) return null;
      return typeof value === 'string' && value.length > 0 ? null : `${label} must name an entity.`;
    case 'refs':
      return Array.isArray(value) && value.every(isId) ? null : `${label} must be a list of entity ids.`;
    case 'labels':
      return labelsProblem(value, spec, label);
    case 'functions':
      return isFunctions(value) ? null : `${label} must map each backbone function to a list of stakeholder ids.`;
    case 'flag':
      return typeof value === 'boolean' ? null : `${label} must be true or false.`;
  }
}

const isId = (id: unknown): id is string => typeof id === 'string' && id.length > 0;

/** Why `value` is not a list of labels as `spec` allows, or null when it is. */
function labelsProblem(value: unknown, spec: { count: number; max: number }, label: string): string | null {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string'))
    return `${label} must be a list of short labels.`;
  if (value.length > spec.count) return `${label} are at most ${spec.count} (${value.length} given).`;
  const empty = value.find((v: string) => !v.trim() || v !== v.trim());
  if (empty !== undefined) return `${label}: a label must not be empty or start or end with spaces ("${empty}").`;
  const long = value.find((v: string) => v.length > spec.max);
  if (long !== undefined) return `${label}: “${long.slice(0, 20)}…” is longer than ${spec.max} characters.`;
  const twice = value.find((v: string, i: number) => value.indexOf(v) !== i);
  if (twice !== undefined) return `${label}: “${twice}” is given twice.`;
  return null;
}

/**
 * A typed list of labels made fit to store: each trimmed, empty ones and
 * repeats dropped, each cut to `max` characters, at most `count` kept. What a
 * control hands to updateEntity, so "North, , north ,North" is not refused.
 */
export function tidyLabels(labels: readonly string[], spec: { count: number; max: number }): string[] {
  const out: string[] = [];
  for (const raw of labels) {
    const label = raw.trim().slice(0, spec.max).trim();
    if (label && !out.includes(label)) out.push(label);
  }
  return out.slice(0, spec.count);
}

function isFunctions(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.entries(value).every(
    ([fn, ids]) => (BACKBONE_FUNCTIONS as readonly string[]).includes(fn) && Array.isArray(ids) && ids.every(isId),
  );
}
