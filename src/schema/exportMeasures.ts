/**
 * An indicator's shared measurement in the export file (docs/schema.md,
 * "Export format"). The document holds no values (docs/measures.md); an export
 * puts back, on each indicator, what the server stores of it: from version 4
 * its `stewards`, `access`, `baseline` and `target` ({ value, date } or null)
 * and `measurements` (each with its review status, who entered it and when),
 * only what the exporting person may see. Versions 1–3 wrote `baseline` and
 * `target` as numbers and `measurements` as { date, value }: one schema reads
 * both, and the server carries them to its store on import. A version 1–3 file
 * carrying the version 4 forms (stewards, access, { value, date }, a
 * measurement's review) is refused field by field (./importIssues.ts), since
 * its import would leave them out.
 */
import { z } from 'zod';
import { isRealDate } from '../../machines/measures/periods.ts';
import { valueProblem } from '../../machines/measures/units.ts';
import {
  ACCESS_LEVELS,
  MEASURE_LIMITS,
  REVIEW_STATUSES,
  type AccessLevel,
  type DatedValue,
  type ReviewStatus,
} from '../contract/measureAccess.ts';

/** One measurement as an export writes it (version 4); a version 1–3 file has `date` and `value` only. */
export interface ExportedMeasurement {
  date: string;
  value: number;
  subgroup?: string;
  note?: string;
  status?: ReviewStatus;
  /** The name of whoever entered it. */
  enteredBy?: string;
  enteredAt?: string;
}

/** What an indicator carries in the file besides its board fields. */
export interface IndicatorMeasures {
  /** Member ids of its data stewards (in the initiative exported). */
  stewards: string[];
  access: AccessLevel;
  baseline: DatedValue | null;
  target: DatedValue | null;
  measurements: ExportedMeasurement[];
}

/** As a file of any version may write them (a number: versions 1–3). */
export type ReadIndicatorMeasures = Partial<Omit<IndicatorMeasures, 'baseline' | 'target'>> & {
  baseline?: DatedValue | number | null;
  target?: DatedValue | number | null;
};

/** The indicator fields that are the server's, in the order an export writes them. */
export const MEASURE_FIELDS = ['stewards', 'access', 'baseline', 'target', 'measurements'] as const;

/** An indicator with nothing stored: what an export says of it. */
export const NO_MEASURES: IndicatorMeasures = {
  stewards: [],
  access: 'members',
  baseline: null,
  target: null,
  measurements: [],
};

const DATE = 'a date, YYYY-MM-DD';
const realDate = (what: string) =>
  z.string(`${what} must be ${DATE}.`).refine(isRealDate, `${what} must be ${DATE}, a real day.`);
const finite = (what: string) =>
  z.number(`${what} must be a number.`).refine(Number.isFinite, `${what} must be a finite number.`);

const dated = (word: string) =>
  z
    .union(
      [
        finite(`The ${word}`),
        z.strictObject(
          { value: finite(`The ${word}'s value`), date: realDate(`The ${word}'s date`).nullable() },
          `The ${word} must be { value, date } or null.`,
        ),
      ],
      { error: `The ${word} must be { value, date } (a number in files before version 4) or null.` },
    )
    .nullable()
    .optional();

const MeasurementSchema = z.strictObject(
  {
    date: realDate('A measurement’s date'),
    value: finite('A measurement’s value'),
    subgroup: z
      .string('A measurement’s subgroup must be text.')
      .min(1)
      .max(MEASURE_LIMITS.subgroupMax, `A subgroup is at most ${MEASURE_LIMITS.subgroupMax} characters.`)
      .optional(),
    note: z
      .string('A measurement’s note must be text.')
      .max(MEASURE_LIMITS.noteMax, `A note is at most ${MEASURE_LIMITS.noteMax} characters.`)
      .optional(),
    status: z.enum(REVIEW_STATUSES, `A measurement’s status must be one of: ${REVIEW_STATUSES.join(', ')}.`).optional(),
    enteredBy: z.string('Who entered a measurement must be a name.').max(200).optional(),
    enteredAt: z.iso
      .datetime({ offset: true, error: 'When a measurement was entered must be an ISO 8601 date and time.' })
      .optional(),
  },
  'Each measurement is { date, value, subgroup?, note?, status, enteredBy, enteredAt }.',
);

/** The zod of the server's indicator fields; every one optional (absent in older files, or when nothing is stored). */
export const indicatorMeasuresSchema = {
  stewards: z
    .array(
      z.string('A data steward is a member id.').min(1, 'A data steward is a member id.'),
      'stewards must be a list of member ids.',
    )
    .max(MEASURE_LIMITS.stewardsMax, `An indicator has at most ${MEASURE_LIMITS.stewardsMax} data stewards.`)
    .optional()
    .meta({ description: 'Version 4: the member ids of its data stewards.' }),
  access: z
    .enum(ACCESS_LEVELS, `access must be one of: ${ACCESS_LEVELS.join(', ')}.`)
    .optional()
    .meta({ description: 'Version 4: who its values reach.' }),
  baseline: dated('baseline').meta({
    description: 'Version 4: { value, date } or null; versions 1–3: a number or null.',
  }),
  target: dated('target').meta({ description: 'Version 4: { value, date } or null; versions 1–3: a number or null.' }),
  measurements: z
    .array(MeasurementSchema, 'measurements must be a list.')
    .optional()
    .meta({ description: 'Its values (only those the exporting person may see). Versions 1–3: { date, value } each.' }),
};

/** A baseline or target as a file gives it, read as the store keeps it. */
export function datedValue(value: DatedValue | number | null | undefined): DatedValue | null {
  if (typeof value === 'number') return Number.isFinite(value) ? { value, date: null } : null;
  return value ?? null;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What the measurement fields alone do not say, for a version 4 file: a value
 * its indicator's unit does not allow (a percent over 100), and a subgroup the
 * indicator is not broken down by. `nameAt` names a card as the other problems
 * do. (Values of older files come in as they were, for review: see
 * server/measures/migrate.ts.)
 */
export function measureIssues(input: unknown, nameAt: (index: number) => string): { path: string; message: string }[] {
  if (!isObject(input) || typeof input.version !== 'number' || input.version < 4 || !Array.isArray(input.entities)) return [];
  const issues: { path: string; message: string }[] = [];
  input.entities.forEach((entity, index) => {
    if (!isObject(entity) || entity.kind !== 'indicator' || !Array.isArray(entity.measurements)) return;
    const unit = typeof entity.unit === 'string' ? entity.unit : '';
    const subgroups = Array.isArray(entity.subgroups) ? (entity.subgroups as unknown[]) : [];
    entity.measurements.forEach((m, i) => {
      if (!isObject(m)) return;
      const where = `measurement ${i + 1}${typeof m.date === 'string' ? ` (${m.date})` : ''}`;
      const problem = typeof m.value === 'number' ? valueProblem(m.value, unit) : null;
      if (problem)
        issues.push({
          path: `entities.${index}.measurements.${i}.value`,
          message: `${nameAt(index)}, ${where}: ${problem}`,
        });
      if (typeof m.subgroup === 'string' && !subgroups.includes(m.subgroup)) {
        issues.push({
          path: `entities.${index}.measurements.${i}.subgroup`,
          message: `${nameAt(index)}, ${where}: “${m.subgroup}” is not one of the indicator’s subgroups${subgroups.length ? ` (${subgroups.join(', ')})` : ' (it has none)'}.`,
        });
      }
    });
  });
  return issues;
}
