/**
 * Export and import of a whole initiative as one JSON file (docs/schema.md,
 * "Export format"). The format is versioned: `format` names it, `version` says
 * which revision of it a file follows.
 *
 * The zod schema is built from FIELDS (fields.ts), and its messages come from
 * `checkValue`, so the rules of a field live in one place: the same table
 * validates API writes, defensive reads and imported files.
 * docs/export.schema.json is generated from it (scripts/gen-export-schema.ts).
 */
import { z } from 'zod';
import type * as Y from 'yjs';
import {
  BACKBONE_FUNCTIONS,
  BOARD_KINDS,
  BOARDS,
  ENTITY_KINDS,
  SINGLETON_KINDS,
  type Board,
  type Entity,
  type EntityKind,
  type Position,
} from '../../machines/entities.ts';
import { checkValue, FIELDS, fieldLabel, FUNCTION_CARRIER_KINDS, isDate, type FieldSpec } from './fields.ts';
import { isEmptyDoc, isSingleton, readModel, writeModel } from './model.ts';

export const EXPORT_FORMAT = 'convene.initiative';
/** The revision of the format this code writes and reads. See docs/schema.md, "Versioning". */
export const EXPORT_VERSION = 1;

export interface InitiativeMeta {
  id: string;
  name: string;
  issue: string;
}

export interface InitiativeExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  /** ISO 8601 date and time. */
  exportedAt: string;
  initiative: InitiativeMeta;
  /** Every entity, in ENTITY_KINDS order, then by id. */
  entities: Entity[];
  /** Every board's placements: entity id to position. */
  placements: Record<Board, Record<string, Position>>;
}

export interface ExchangeIssue {
  /** Where in the file, e.g. `entities.3.influence` (`(file)` for the whole file). */
  path: string;
  message: string;
}

export type ParseResult = { ok: true; data: InitiativeExport } | { ok: false; issues: ExchangeIssue[] };

/** An import refused: the file does not fit (`invalid`), or the target document is not empty. */
export class ImportError extends Error {
  constructor(
    readonly reason: 'invalid' | 'not-empty',
    message: string,
    readonly issues: ExchangeIssue[] = [],
  ) {
    super(message);
  }
}

// --- the zod schema, built from FIELDS ------------------------------------------

/** Zod's error option: the sentence checkValue says for the offending input. */
const messageFrom = (spec: FieldSpec, label: string) => ({
  error: (issue: { input?: unknown }) => checkValue(spec, issue.input, label, { stored: true }) ?? undefined,
});

const DATE_OR_EMPTY = /^(\d{4}-\d{2}-\d{2})?$/;

const idList = (spec: FieldSpec, label: string) =>
  z.array(z.string(messageFrom(spec, label)).min(1, messageFrom(spec, label)), messageFrom(spec, label));

function fieldSchema(kind: EntityKind, field: string, spec: FieldSpec): z.ZodType {
  const label = fieldLabel(kind, field);
  const m = messageFrom(spec, label);
  switch (spec.type) {
    case 'text':
    case 'string':
      return z.string(m).max(spec.max, m);
    case 'enum': {
      const values = z.enum(spec.values as [string, ...string[]], m);
      return spec.nullable ? values.nullable() : values;
    }
    case 'date':
      return z
        .string(m)
        .regex(DATE_OR_EMPTY, m)
        .refine((value) => value === '' || isDate(value), m)
        .meta({ description: 'A date, YYYY-MM-DD, or empty when unknown.' });
    case 'score':
      return z.number(m).int(m).min(1, m).max(5, m);
    case 'number':
      return z.number(m).nullable();
    case 'ref': {
      const id = z
        .string(m)
        .min(1, m)
        .meta({ description: `The id of a ${spec.to.join(' or ')}.` });
      return spec.required ? id : id.nullable();
    }
    case 'refs':
      return idList(spec, label).meta({ description: `Ids of ${spec.to.join(' or ')} entities.` });
    case 'measurements':
      return z.array(
        z.strictObject(
          {
            date: z
              .string(m)
              .regex(/^\d{4}-\d{2}-\d{2}$/, m)
              .refine(isDate, m),
            value: z.number(m),
          },
          m,
        ),
        m,
      );
    case 'flag':
      // Absent in files written before the field existed.
      return z.boolean(m).default(false);
    case 'functions':
      return z
        .strictObject(Object.fromEntries(BACKBONE_FUNCTIONS.map((fn) => [fn, idList(spec, `${label} ${fn}`)])), m)
        .meta({ description: 'Each backbone function to the ids of the stakeholders who carry it.' });
  }
}

const entityId = z
  .string()
  .min(1, 'An entity needs an id.')
  .max(200, 'An id is at most 200 characters.')
  .refine((id) => !isSingleton(id), { error: (issue) => `"${String(issue.input)}" is the id of a singleton.` });

function entitySchema(kind: EntityKind) {
  const fields = Object.fromEntries(
    Object.entries(FIELDS[kind]).map(([field, spec]) => [field, fieldSchema(kind, field, spec)]),
  );
  return z.strictObject({
    kind: z.literal(kind),
    id: isSingleton(kind) ? z.literal(kind, `A ${kind} has the id "${kind}".`) : entityId,
    ...fields,
  });
}

const EntitySchema = z.discriminatedUnion(
  'kind',
  ENTITY_KINDS.map((kind) => entitySchema(kind)) as unknown as [
    ReturnType<typeof entitySchema>,
    ...ReturnType<typeof entitySchema>[],
  ],
  { error: () => `kind must be one of: ${ENTITY_KINDS.join(', ')}.` },
);

const PositionSchema = z.strictObject({
  x: z.number('x must be a number.'),
  y: z.number('y must be a number.'),
});

const PlacementsSchema = z.strictObject(
  Object.fromEntries(
    BOARDS.map((board) => [
      board,
      z.record(z.string().min(1), PositionSchema).meta({
        description: `Entity id to position on this board; it takes ${BOARD_KINDS[board].join(', ')}.`,
      }),
    ]),
  ) as Record<Board, z.ZodRecord<z.ZodString, typeof PositionSchema>>,
);

/** The export file, as zod. Referential integrity is checked on top of it (`parseExport`). */
export const ExportSchema = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT, `format must be "${EXPORT_FORMAT}".`),
    version: z.literal(EXPORT_VERSION, `version must be ${EXPORT_VERSION}.`),
    exportedAt: z.iso.datetime({ offset: true, error: 'exportedAt must be an ISO 8601 date and time.' }),
    initiative: z.strictObject({
      id: z.string(),
      name: z.string(),
      issue: z.string(),
    }),
    entities: z.array(EntitySchema),
    placements: PlacementsSchema,
  })
  .meta({
    title: 'Convene initiative export',
    description:
      'One initiative of Convene: every entity of its four boards and their placements. See docs/schema.md, "Export format".',
  });

// --- export -------------------------------------------------------------------

/** The whole initiative as the export format: entities in kind order then id, fields in FIELDS order. */
export function exportInitiative(doc: Y.Doc, meta: InitiativeMeta, now: Date = new Date()): InitiativeExport {
  const model = readModel(doc);
  const entities: Entity[] = [];
  for (const kind of ENTITY_KINDS) {
    const sorted = [...(model.entities[kind] as Entity[])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const entity of sorted) {
      const values = entity as unknown as Record<string, unknown>;
      const out: Record<string, unknown> = { kind, id: entity.id };
      for (const field of Object.keys(FIELDS[kind])) out[field] = structuredClone(values[field]);
      entities.push(out as unknown as Entity);
    }
  }
  const placements = Object.fromEntries(
    BOARDS.map((board) => {
      const placed = model.placements[board];
      return [
        board,
        Object.fromEntries(
          Object.keys(placed)
            .sort()
            .map((id) => [id, { x: placed[id].x, y: placed[id].y }]),
        ),
      ];
    }),
  ) as Record<Board, Record<string, Position>>;
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    initiative: { id: meta.id, name: meta.name, issue: meta.issue },
    entities,
    placements,
  };
}

// --- parse --------------------------------------------------------------------

const pathOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(file)';

function zodIssues(error: z.ZodError): ExchangeIssue[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: `Unknown field "${key}".` }));
    }
    return [{ path: pathOf(issue.path), message: issue.message }];
  });
}

/**
 * Checks a parsed file's references: ids are unique, every reference names an
 * entity of the file of a kind the field takes, and every placement an entity
 * that its board shows.
 */
function integrityIssues(data: InitiativeExport): ExchangeIssue[] {
  const issues: ExchangeIssue[] = [];
  const byId = new Map<string, { kind: EntityKind; index: number }>();
  data.entities.forEach((entity, index) => {
    const first = byId.get(entity.id);
    if (first)
      issues.push({
        path: `entities.${index}.id`,
        message: `Duplicate id "${entity.id}": entities.${first.index} has it too.`,
      });
    else byId.set(entity.id, { kind: entity.kind, index });
  });
  const checkRef = (path: string, id: string, kinds: readonly EntityKind[]) => {
    const target = byId.get(id);
    if (!target) issues.push({ path, message: `No entity with id "${id}" in this file.` });
    else if (!kinds.includes(target.kind)) {
      issues.push({ path, message: `"${id}" is a ${target.kind}; this field takes a ${kinds.join(' or ')}.` });
    }
  };
  data.entities.forEach((entity, index) => {
    const values = entity as unknown as Record<string, unknown>;
    for (const [field, spec] of Object.entries(FIELDS[entity.kind])) {
      const path = `entities.${index}.${field}`;
      const value = values[field];
      if (spec.type === 'ref' && typeof value === 'string') checkRef(path, value, spec.to);
      if (spec.type === 'refs') (value as string[]).forEach((id, i) => checkRef(`${path}.${i}`, id, spec.to));
      if (spec.type === 'functions') {
        for (const fn of BACKBONE_FUNCTIONS) {
          (value as Record<string, string[]>)[fn].forEach((id, i) =>
            checkRef(`${path}.${fn}.${i}`, id, FUNCTION_CARRIER_KINDS),
          );
        }
      }
    }
    if (entity.kind === 'relationship' && entity.source === entity.target) {
      issues.push({ path: `entities.${index}.target`, message: 'A relationship joins two different parties.' });
    }
    if (entity.kind === 'group' && entity.parentId === entity.id) {
      issues.push({ path: `entities.${index}.parentId`, message: 'A group cannot be its own parent.' });
    }
  });
  for (const board of BOARDS) {
    for (const id of Object.keys(data.placements[board])) {
      const target = byId.get(id);
      const path = `placements.${board}.${id}`;
      if (!target) issues.push({ path, message: `No entity with id "${id}" in this file.` });
      else if (!BOARD_KINDS[board].includes(target.kind)) {
        issues.push({ path, message: `The ${board} board does not show a ${target.kind}.` });
      }
    }
  }
  return issues;
}

/**
 * Validates an export file (parsed JSON, or its text): the format, its version,
 * every field of every entity, and referential integrity. Answers every issue
 * found, each with its JSON path.
 */
export function parseExport(json: unknown): ParseResult {
  let input = json;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch {
      return { ok: false, issues: [{ path: '(file)', message: 'The file is not valid JSON.' }] };
    }
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, issues: [{ path: '(file)', message: 'An export is a JSON object.' }] };
  }
  // Say what the file is before listing its fields: another format or a newer version is one issue, not hundreds.
  const { format, version } = input as { format?: unknown; version?: unknown };
  if (format !== EXPORT_FORMAT) {
    return {
      ok: false,
      issues: [
        { path: 'format', message: `This is not a Convene initiative export (format must be "${EXPORT_FORMAT}").` },
      ],
    };
  }
  if (typeof version === 'number' && version > EXPORT_VERSION) {
    return {
      ok: false,
      issues: [
        {
          path: 'version',
          message: `This file has format version ${version}, from a newer Convene; this one reads version ${EXPORT_VERSION}.`,
        },
      ],
    };
  }
  const parsed = ExportSchema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: zodIssues(parsed.error) };
  const data = parsed.data as unknown as InitiativeExport;
  const issues = integrityIssues(data);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, data };
}

// --- import -------------------------------------------------------------------

/**
 * Writes an export into an EMPTY document in one transaction, keeping entity ids
 * (so references stay valid) and placements. The file is validated first
 * (`parseExport`): an ImportError leaves the document untouched. The file's
 * `initiative` (id, name, issue) is not written: the target keeps its own.
 */
export function importInitiative(doc: Y.Doc, data: unknown): void {
  const parsed = parseExport(data);
  if (!parsed.ok) {
    const first = parsed.issues[0];
    throw new ImportError('invalid', `Invalid ${first.path}: ${first.message}`, parsed.issues);
  }
  if (!isEmptyDoc(doc))
    throw new ImportError('not-empty', 'This initiative already has content: import into an empty one.');
  const singletons = new Set<string>(SINGLETON_KINDS);
  // Singletons first is not needed for correctness, but keeps the update's order readable.
  const ordered = [...parsed.data.entities].sort(
    (a, b) => Number(singletons.has(b.kind)) - Number(singletons.has(a.kind)),
  );
  writeModel(doc, ordered, parsed.data.placements);
}
