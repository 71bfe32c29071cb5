/**
 * Every problem of an import file, in words people can act on: each names the
 * card by its kind and name ("Stakeholder 'Meadow Valley Hospital'", or
 * "Relationship 3" when it has no name) and the field by the word its panel
 * shows ("influence", "from"). This is the one place where zod issues and
 * integrity problems become sentences; the server and the import dialog show
 * them as they are.
 */
import type { z } from 'zod';
import {
  BACKBONE_FUNCTION_LABELS,
  BACKBONE_FUNCTIONS,
  BOARD_KINDS,
  BOARD_LABELS,
  BOARDS,
  ENTITY_KIND_LABELS,
  type Board,
  type EntityKind,
} from '../../machines/entities.ts';
import { checkValue, FIELDS, FUNCTION_CARRIER_KINDS, fieldSpec, isEntityKind } from './fields.ts';
import { isSingleton } from './codec.ts';
import { TITLE_FIELDS } from './cards.ts';
import { fieldWordInSentence } from './words.ts';
import { recordPlace, workflowRecordIssues, type WorkflowRecord } from './workflowRecord.ts';
import { NO_MEASURES } from './exportMeasures.ts';

export interface ExchangeIssue {
  /** Where in the file, e.g. `entities.3.influence` (`(file)` for the whole file). */
  path: string;
  /** One sentence naming the card and the field in words. */
  message: string;
}

const pathOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(file)';
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);
const lower = (kind: EntityKind) => ENTITY_KIND_LABELS[kind].toLowerCase();
const article = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

/** Names the cards of a file as people know them, from the file as it is (valid or not). */
class CardNames {
  private readonly entities: unknown[];
  private readonly firstById = new Map<string, number>();

  constructor(input: unknown) {
    const entities = (input as { entities?: unknown } | null)?.entities;
    this.entities = Array.isArray(entities) ? entities : [];
    this.entities.forEach((entity, index) => {
      const id = (entity as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && !this.firstById.has(id)) this.firstById.set(id, index);
    });
  }

  kindAt(index: number): EntityKind | undefined {
    const kind = (this.entities[index] as { kind?: unknown } | null)?.kind;
    return isEntityKind(kind) ? kind : undefined;
  }

  /** "Stakeholder 'Meadow Valley Hospital'", "Relationship 3", "Problem description", "Card 7". */
  at(index: number): string {
    const kind = this.kindAt(index);
    if (!kind) return `Card ${index + 1}`;
    const label = ENTITY_KIND_LABELS[kind];
    if (isSingleton(kind)) return label;
    const values = this.entities[index] as Record<string, unknown>;
    const field = TITLE_FIELDS[kind];
    const found = field === null ? undefined : values[field];
    // A sticky note's text may run over lines: named on one.
    const title = typeof found === 'string' ? found.replace(/\s+/g, ' ').trim() : '';
    if (title) return `${label} '${title.length > 60 ? `${title.slice(0, 59)}…` : title}'`;
    let ordinal = 0;
    for (let i = 0; i <= index; i++) if (this.kindAt(i) === kind) ordinal++;
    return `${label} ${ordinal}`;
  }

  /** The card with this id, in words, or null when the file has none. */
  byId(id: string): string | null {
    const index = this.firstById.get(id);
    return index === undefined ? null : this.at(index);
  }

  indexOf(id: string): number | undefined {
    return this.firstById.get(id);
  }

  isObjectAt(index: number): boolean {
    const entry = this.entities[index];
    return typeof entry === 'object' && entry !== null && !Array.isArray(entry);
  }

  valueAt(index: number, field: string): unknown {
    return (this.entities[index] as Record<string, unknown> | null)?.[field];
  }
}

const FILE_PARTS: Record<string, string> = {
  format: 'format',
  version: 'version',
  exportedAt: 'exportedAt (when it was exported)',
  initiative: 'initiative',
  entities: 'entities (its cards)',
  placements: 'placements (where the cards sit)',
  workflow: 'workflow (its workflow record)',
};

/** One zod issue of the file as sentences (an issue about unknown keys is one sentence per key). */
function describeZodIssue(issue: z.core.$ZodIssue, names: CardNames): ExchangeIssue[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({ path: pathOf([...path, key]), message: unknownKey(path, key, names) }));
  }
  return [{ path: pathOf(path), message: sentence(describeAt(path, issue.message, names)) }];
}

function unknownKey(path: (string | number)[], key: string, names: CardNames): string {
  const [part, index] = path;
  if (path.length === 0) return `The file has a part "${key}" that a Convene export does not have.`;
  if (part === 'entities' && typeof index === 'number') {
    const kind = names.kindAt(index);
    return `${names.at(index)}: "${key}" is not a field of ${kind ? article(lower(kind)) : 'a card'}.`;
  }
  if (part === 'placements' && path.length === 1) {
    return `The file places cards on "${key}", which is not a board; the boards are: ${BOARDS.join(', ')}.`;
  }
  if (part === 'workflow') return `Workflow record, ${recordPlace(path.slice(1))}: "${key}" is not part of it.`;
  return `The file's ${path.join('.')} has a part "${key}" that a Convene export does not have.`;
}

function describeAt(path: (string | number)[], message: string, names: CardNames): string {
  const [part, index, field] = path;
  if (part === 'entities' && typeof index === 'number') {
    const card = names.at(index);
    const kind = names.kindAt(index);
    if (path.length === 2 && !names.isObjectAt(index)) {
      return `${card} is not a card: each entry of entities is an object with kind, id and fields`;
    }
    const spec = kind && typeof field === 'string' ? fieldSpec(kind, field) : undefined;
    if (kind && spec && typeof field === 'string' && path.length === 3 && names.valueAt(index, field) === undefined) {
      return `${card}: ${fieldWordInSentence(kind, field)} is missing`;
    }
    if (kind && spec && typeof field === 'string') {
      const said = checkValue(spec, names.valueAt(index, field), fieldWordInSentence(kind, field), { stored: true });
      if (said) return `${card}: ${said}`;
    }
    return `${card}: ${message}`;
  }
  if (part === 'placements' && typeof index === 'string' && (BOARDS as readonly string[]).includes(index)) {
    const board = BOARD_LABELS[index as Board];
    if (typeof field !== 'string') return `${board}: ${message}`;
    return `${board}: the position of ${names.byId(field) ?? `the card "${field}"`} must be { x, y }, two numbers`;
  }
  if (part === 'workflow') {
    return path.length === 1 ? `The file's ${message}` : `Workflow record, ${recordPlace(path.slice(1))}: ${message}`;
  }
  if (typeof part === 'string' && path.length === 1) return `The file's ${FILE_PARTS[part] ?? part}: ${message}`;
  return `The file's ${path.join('.')}: ${message}`;
}

/** Every zod issue of a file, as sentences, without repeats. */
export function describeZodIssues(error: z.ZodError, input: unknown): ExchangeIssue[] {
  const names = new CardNames(input);
  const seen = new Set<string>();
  return error.issues
    .flatMap((issue) => describeZodIssue(issue, names))
    .filter((issue) => {
      const key = `${issue.path}\n${issue.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * What the fields alone do not say, in words: ids used twice, references to
 * cards that are not in the file or of a kind the field does not take,
 * relationships joining a card to itself, positions of missing cards or on a
 * board that does not show the card, and a workflow record the statechart
 * could not have produced (or that the version does not match). Reads the file
 * as it is, valid or not, so these come together with the problems of the
 * fields: every problem at once. `workflow` is the record once it fits its schema.
 */
export function integrityIssues(input: unknown, workflow?: WorkflowRecord): ExchangeIssue[] {
  const file = isObject(input) ? input : {};
  const names = new CardNames(file);
  const issues: ExchangeIssue[] = [];
  const say = (path: string, message: string) => issues.push({ path, message: sentence(message) });
  const entities = Array.isArray(file.entities) ? file.entities : [];
  const kinds = new Map<string, EntityKind>();
  entities.forEach((entity, index) => {
    if (!isObject(entity) || !isId(entity.id)) return;
    const first = names.indexOf(entity.id);
    // A singleton's id under another kind is said by the schema already ("reserved").
    if (isSingleton(entity.id) && entity.kind !== entity.id) return;
    if (first !== undefined && first !== index) {
      say(
        `entities.${index}.id`,
        `${names.at(index)}: its id "${entity.id}" is also the id of ${names.at(first)}; every card needs its own id`,
      );
    } else if (isEntityKind(entity.kind)) kinds.set(entity.id, entity.kind);
  });
  const checkRef = (index: number, path: string, word: string, id: unknown, allowed: readonly EntityKind[]) => {
    if (!isId(id)) return; // The field's own problem, said already.
    const kind = kinds.get(id);
    const card = names.at(index);
    if (!kind) say(path, `${card}: '${word}' names a card that is not in the file (id "${id}")`);
    else if (!allowed.includes(kind)) {
      say(
        path,
        `${card}: '${word}' names ${names.byId(id)}, which is not ${allowed.map((k) => article(lower(k))).join(' or ')}`,
      );
    }
  };
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  entities.forEach((entity, index) => {
    if (!isObject(entity) || !isEntityKind(entity.kind)) return;
    const kind = entity.kind;
    for (const [field, spec] of Object.entries(FIELDS[kind])) {
      const path = `entities.${index}.${field}`;
      const word = fieldWordInSentence(kind, field);
      const value = entity[field];
      if (spec.type === 'ref') checkRef(index, path, word, value, spec.to);
      if (spec.type === 'refs') list(value).forEach((id, i) => checkRef(index, `${path}.${i}`, word, id, spec.to));
      if (spec.type === 'functions' && isObject(value)) {
        for (const fn of BACKBONE_FUNCTIONS) {
          const fnWord = `${word}, ${BACKBONE_FUNCTION_LABELS[fn].toLowerCase()}`;
          list(value[fn]).forEach((id, i) => checkRef(index, `${path}.${fn}.${i}`, fnWord, id, FUNCTION_CARRIER_KINDS));
        }
      }
    }
    if (kind === 'relationship' && isId(entity.source) && entity.source === entity.target) {
      say(
        `entities.${index}.target`,
        `${names.at(index)}: 'from' and 'to' name the same card; a relationship joins two different cards`,
      );
    }
    if (kind === 'group' && isId(entity.parentId) && entity.parentId === entity.id) {
      say(
        `entities.${index}.parentId`,
        `${names.at(index)}: '${fieldWordInSentence('group', 'parentId')}' names the group itself`,
      );
    }
  });
  const placements = isObject(file.placements) ? file.placements : {};
  for (const board of BOARDS) {
    const placed = isObject(placements[board]) ? placements[board] : {};
    for (const id of Object.keys(placed)) {
      const kind = kinds.get(id);
      const path = `placements.${board}.${id}`;
      if (!kind)
        say(path, `${BOARD_LABELS[board]}: a position is given for a card that is not in the file (id "${id}")`);
      else if (!BOARD_KINDS[board].includes(kind)) {
        say(
          path,
          `${BOARD_LABELS[board]}: ${names.byId(id)} is placed here, but this board does not show ${lower(kind)} cards`,
        );
      }
    }
  }
  if (typeof file.version === 'number' && file.version >= 2 && file.workflow === undefined) {
    // Never "set it to version 1": a version 1 file carries none of what later versions added, and would be refused for it.
    say(
      'workflow',
      `The file is version ${file.version} but has no workflow record, which every file from version 2 on carries: export the initiative again, or put its workflow record back. ` +
        `A version 1 file carries no workflow record, nor any of what later versions added: sticky notes, and an indicator's reporting frequency, data stewards, access, dated baseline and target, and its values' subgroups, notes and review.`,
    );
  }
  if (file.version === 1 && file.workflow !== undefined) {
    say('workflow', 'The file is version 1, which has no workflow record; a file with one is version 2');
  }
  // Sticky notes came with version 3: an older file holding one was not written by Convene.
  if (file.version === 1 || file.version === 2) {
    entities.forEach((entity, index) => {
      if (isObject(entity) && entity.kind === 'note') {
        say(
          `entities.${index}.kind`,
          `${names.at(index)}: the file is version ${file.version}, which has no sticky notes; a file with them is version 3`,
        );
      }
    });
  }
  if (file.version === 1 || file.version === 2 || file.version === 3) {
    issues.push(...newerIndicatorFieldIssues(entities, file.version, names));
  }
  if (workflow) {
    for (const issue of workflowRecordIssues(workflow)) {
      say(pathOf(['workflow', ...issue.path]), `Workflow record, ${recordPlace(issue.path)}: ${issue.message}`);
    }
  }
  return issues;
}

// --- fields of a later version in an older file ------------------------------------

/** The version that moved an indicator's values to the server (server/measures/): stewards, access, dated baseline and target, reviewed values. */
const MEASURES_VERSION = 4;

/** A field version 4 added to an indicator, in words, and the value that says no more than an older file means without it. */
interface NewerField {
  /** The field in words, given the value the file holds: `who sees its values (“restricted”)`. */
  what: (value: unknown) => string;
  plural?: boolean;
  /** True when the value says only what an older file means without the field: nothing to lose. */
  saysNothingNew: (value: unknown) => boolean;
  /** What the older version's import does with it, when not simply leaving it out. */
  instead?: string;
}

const quoted = (value: unknown) => (typeof value === 'string' ? ` (“${value}”)` : '');

/**
 * What version 4 added to an indicator that importing a version 1–3 file does
 * not keep: such a file's values are read as the migration of old documents
 * reads them (server/measures/exchange.ts): a number for the baseline and the
 * target, { date, value } for each measurement, the frequency chosen from the
 * values, no access level nor data stewards. An older file carrying one of
 * these would lose it without a word, so it is refused instead, each field its
 * own problem. Not here, since the import keeps them as given (board fields,
 * written to the document): an indicator's subgroups (version 4), a group's
 * linked sub-initiative and the strategy a strategy serves (version 5).
 */
const NEWER_INDICATOR_FIELDS: Record<string, NewerField> = {
  frequency: {
    what: (value) => `a reporting frequency${quoted(value)}`,
    // A version 1–3 indicator is yearly unless its values are closer together.
    saysNothingNew: (value) => value === undefined || value === 'yearly',
    instead: "whose import chooses the frequency from the indicator's values instead",
  },
  stewards: {
    what: () => 'data stewards',
    plural: true,
    saysNothingNew: (value) => value === undefined || (Array.isArray(value) && value.length === 0),
  },
  access: {
    what: (value) => `who sees its values${quoted(value)}`,
    saysNothingNew: (value) => value === undefined || value === NO_MEASURES.access,
  },
  baseline: {
    what: () => 'a baseline given as { value, date }',
    saysNothingNew: (value) => !isObject(value),
    instead: 'which gives a baseline as a number, and would import the indicator without this one',
  },
  target: {
    what: () => 'a target given as { value, date }',
    saysNothingNew: (value) => !isObject(value),
    instead: 'which gives a target as a number, and would import the indicator without this one',
  },
};

/** What version 4 added to a measurement (a version 1–3 file's are { date, value }): [one, several, several is plural]. */
const NEWER_MEASUREMENT_FIELDS: Record<string, [string, string, boolean]> = {
  subgroup: ['a subgroup', 'subgroups', true],
  note: ['a note', 'notes', true],
  status: ['a review status', 'review statuses', true],
  enteredBy: ['who entered it', 'who entered them', false],
  enteredAt: ['when it was entered', 'when they were entered', false],
};

/** "1", "1 and 4", "1, 2 and 5", "1, 2, 3 and 7 more". */
function ordinals(numbers: readonly number[]): string {
  const shown = numbers.slice(0, 3).map(String);
  const more = numbers.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length === 1 ? shown[0] : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}

/**
 * Every field of a version 1–3 file's indicators that only version 4 knows and
 * whose import would leave out: one problem per field of each indicator (the
 * measurements carrying one field are one problem, naming them), saying which
 * version the field needs.
 */
function newerIndicatorFieldIssues(entities: unknown[], version: number, names: CardNames): ExchangeIssue[] {
  const issues: ExchangeIssue[] = [];
  const since = MEASURES_VERSION;
  const remedy = `Set its version to ${since} or later${version === 1 ? ' and give it its workflow record' : ''}, or export the initiative again.`;
  const problem = (path: string, where: string, what: string, plural: boolean, instead?: string) =>
    issues.push({
      path,
      message: `${where}: ${what} ${plural ? 'are' : 'is'} new in version ${since}: this file says version ${version}, ${
        instead ?? `whose import would leave ${plural ? 'them' : 'it'} out`
      }. ${remedy}`,
    });
  entities.forEach((entity, index) => {
    if (!isObject(entity) || entity.kind !== 'indicator') return;
    const card = names.at(index);
    for (const [field, newer] of Object.entries(NEWER_INDICATOR_FIELDS)) {
      const value = entity[field];
      if (newer.saysNothingNew(value)) continue;
      problem(`entities.${index}.${field}`, card, newer.what(value), newer.plural ?? false, newer.instead);
    }
    const measurements = Array.isArray(entity.measurements) ? entity.measurements : [];
    for (const [field, [one, several, plural]] of Object.entries(NEWER_MEASUREMENT_FIELDS)) {
      const carrying = measurements.flatMap((m, i) => (isObject(m) && m[field] !== undefined ? [i] : []));
      if (carrying.length === 0) continue;
      const path = `entities.${index}.measurements.${carrying[0]}.${field}`;
      if (carrying.length === 1) {
        const date = (measurements[carrying[0]] as Record<string, unknown>).date;
        const where = `${card}, measurement ${carrying[0] + 1}${typeof date === 'string' ? ` (${date})` : ''}`;
        problem(path, where, one, false);
      } else {
        problem(path, `${card}, measurements ${ordinals(carrying.map((i) => i + 1))}`, several, plural);
      }
    }
  });
  return issues;
}

/** Names the cards of a file as the problems do ("Indicator 'Binge drinking rate'"), from the file as it is. */
export function cardNamer(input: unknown): (index: number) => string {
  const names = new CardNames(input);
  return (index) => names.at(index);
}

/** The one sentence above the list: what happened, and how many problems there are. */
export function importSummary(issues: readonly ExchangeIssue[]): string {
  if (issues.length === 1) return `The file was not imported. ${issues[0].message}`;
  return `The file was not imported: it has ${issues.length} problems, listed below. Nothing was changed.`;
}

/** A file that is not JSON, in words (with where it stops being JSON, when the parser says). */
export function notJsonIssue(error?: unknown): ExchangeIssue {
  const where = /position (\d+)/.exec(error instanceof Error ? error.message : '');
  return {
    path: '(file)',
    message: `This file is not JSON${where ? ` (it stops making sense at character ${Number(where[1]) + 1})` : ''}, so it is not a Convene export. Choose the .convene.json file that Export saved.`,
  };
}
