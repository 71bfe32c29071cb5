/**
 * The export file as a zod schema, built from FIELDS (./fields.ts) so the rules
 * of a field live in one place: the same table validates API writes, defensive
 * reads and imported files. docs/export.schema.json is generated from
 * `ExportSchema` (scripts/gen-export-schema.ts). Referential integrity and the
 * wording of every problem are in ./importIssues.ts.
 */
import { z } from 'zod';
import {
  BACKBONE_FUNCTIONS,
  BOARD_KINDS,
  BOARD_LABELS,
  BOARDS,
  ENTITY_KINDS,
  type Board,
  type EntityKind,
} from '../../machines/entities.ts';
import { checkValue, FIELDS, fieldLabel, isDate, type FieldSpec } from './fields.ts';
import { isSingleton } from './codec.ts';
import { WorkflowRecordSchema } from './workflowRecord.ts';
import { indicatorMeasuresSchema } from './exportMeasures.ts';

export const EXPORT_FORMAT = 'convene.initiative';
/** The revision of the format this code writes. It reads this one and every earlier one. See docs/schema.md, "Versioning". */
export const EXPORT_VERSION = 5;
/**
 * The revisions this code reads: 1 (entities and placements), 2 (and the
 * workflow record), 3 (and sticky notes), 4 (indicators with their frequency,
 * subgroups and the server's shared measurement: stewards, access, baseline,
 * target and measurements with their review), 5 (a group's linked
 * sub-initiative and the parent's strategy a strategy serves).
 */
const READABLE_VERSIONS = [1, 2, 3, 4, 5] as const;

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
    case 'ref': {
      const id = z
        .string(m)
        .min(1, m)
        .meta({ description: `The id of a ${spec.to.join(' or ')}.` });
      return spec.required ? id : id.nullable();
    }
    case 'refs':
      return idList(spec, label).meta({ description: `Ids of ${spec.to.join(' or ')} entities.` });
    case 'labels':
      return z
        .array(z.string(m), m)
        .refine((value) => checkValue(spec, value, label, { stored: true }) === null, m)
        .meta({ description: `At most ${spec.count} distinct labels of at most ${spec.max} characters.` });
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
  .string('id must be text.')
  .min(1, 'id must not be empty.')
  .max(200, 'id is at most 200 characters.')
  .refine((id) => !isSingleton(id), {
    error: (issue) => `id "${String(issue.input)}" is reserved for the one ${String(issue.input)} of an initiative.`,
  });

function entitySchema(kind: EntityKind) {
  const fields: Record<string, z.ZodType> = Object.fromEntries(
    Object.entries(FIELDS[kind]).map(([field, spec]) => [field, fieldSchema(kind, field, spec)]),
  );
  if (kind === 'indicator') {
    // Files before version 4 have neither: an indicator was yearly, for the whole population.
    fields.frequency = fields.frequency.default('yearly');
    fields.subgroups = fields.subgroups.default([]);
    Object.assign(fields, indicatorMeasuresSchema);
  }
  // Files before version 5 have no links to other initiatives.
  if (kind === 'group') fields.initiativeId = fields.initiativeId.default('');
  if (kind === 'strategy') fields.servesId = fields.servesId.default('');
  return z.strictObject({
    kind: z.literal(kind),
    id: isSingleton(kind) ? z.literal(kind, `id must be "${kind}".`) : entityId,
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

const POSITION = 'A position is { x, y }, two numbers.';

const PositionSchema = z.strictObject({ x: z.number(POSITION), y: z.number(POSITION) }, POSITION);

const PlacementsSchema = z.strictObject(
  Object.fromEntries(
    BOARDS.map((board) => [
      board,
      z
        .record(z.string().min(1), PositionSchema, `${BOARD_LABELS[board]}: placements map card ids to positions.`)
        .meta({
          description: `Entity id to position on this board; it takes ${BOARD_KINDS[board].join(', ')}.`,
        }),
    ]),
  ) as Record<Board, z.ZodRecord<z.ZodString, typeof PositionSchema>>,
  `placements must give each board (${BOARDS.join(', ')}) its positions.`,
);

/** The export file, as zod. Referential integrity is checked on top of it (importIssues.ts). */
export const ExportSchema = z
  .strictObject({
    format: z.literal(EXPORT_FORMAT, `format must be "${EXPORT_FORMAT}".`),
    version: z.literal(READABLE_VERSIONS, `version must be one of: ${READABLE_VERSIONS.join(', ')}.`),
    exportedAt: z.iso.datetime({ offset: true, error: 'exportedAt must be an ISO 8601 date and time.' }),
    initiative: z.strictObject(
      {
        id: z.string('The initiative’s id must be text.'),
        name: z.string('The initiative’s name must be text.'),
        issue: z.string('The initiative’s issue must be text.'),
      },
      'initiative must be { id, name, issue }.',
    ),
    entities: z.array(EntitySchema, 'entities must be the list of cards.'),
    placements: PlacementsSchema,
    workflow: WorkflowRecordSchema.optional().meta({
      description: 'Versions 2 and 3: the workflow record. Version 1 files have none.',
    }),
  })
  .meta({
    title: 'Convene initiative export',
    description:
      'One initiative of Convene: every entity of its four boards (sticky notes from version 3), their placements, (version 2 on) its workflow record and (version 4 on) each indicator’s shared measurement as the exporting person may see it, (version 5 on) a group’s linked sub-initiative and the parent initiative’s strategy a strategy serves. See docs/schema.md, "Export format".',
  });
