/**
 * The request bodies of shared measurement (docs/api.md "Shared measurement"),
 * as zod schemas the server validates with. Access levels, rights, refusals
 * and answers: measureAccess.ts.
 */
import { z } from 'zod';
import { ACCESS_LEVELS, MEASURE_LIMITS, type DatedValue as DatedValueShape } from './measureAccess.ts';

/** One value, as JSON (and as each CSV row reads). Checked further on the server against the indicator (unit, subgroups, date). */
export const MeasurementInput = z.object({
  /** The indicator's id, or its name as on the board (case and spaces aside). */
  indicator: z.string().trim().min(1, 'Name the indicator.'),
  /** YYYY-MM-DD; the period follows from the indicator's frequency. */
  date: z.string().trim(),
  value: z.number('Enter a number.'),
  subgroup: z.string().trim().max(MEASURE_LIMITS.subgroupMax, `At most ${MEASURE_LIMITS.subgroupMax} characters.`).optional(),
  note: z.string().trim().max(MEASURE_LIMITS.noteMax, `At most ${MEASURE_LIMITS.noteMax} characters.`).optional(),
});
export type MeasurementInput = z.infer<typeof MeasurementInput>;

/** `POST /api/initiatives/:id/measurements` (JSON); `?replace=1` confirms replacing values already entered. */
export const MeasurementBatch = z
  .array(MeasurementInput)
  .min(1, 'Send at least one value.')
  .max(MEASURE_LIMITS.rowsMax, `At most ${MEASURE_LIMITS.rowsMax} values at once.`);

/** `POST /api/initiatives/:id/measurements/:mid/review` */
export const ReviewBody = z
  .object({
    status: z.enum(['approved', 'rejected'], 'Choose approved or rejected.'),
    reason: z.string().trim().max(MEASURE_LIMITS.reasonMax, `At most ${MEASURE_LIMITS.reasonMax} characters.`).optional(),
  })
  .refine((r) => r.status !== 'rejected' || (r.reason ?? '') !== '', {
    message: 'Say why the value is rejected, so whoever entered it can correct it.',
    path: ['reason'],
  });
export type ReviewBody = z.infer<typeof ReviewBody>;

const DatedValue: z.ZodType<DatedValueShape> = z.object({
  value: z.number('Enter a number.'),
  date: z.string().trim().nullable(),
});

/**
 * `PATCH /api/initiatives/:id/indicators/:indicatorId`: access level and
 * stewards (configure), baseline and target (enter); null clears a baseline or target.
 */
export const IndicatorSettingsChange = z
  .object({
    access: z.enum(ACCESS_LEVELS, `Choose an access level: ${ACCESS_LEVELS.join(', ')}.`).optional(),
    stewards: z.array(z.string().min(1)).max(MEASURE_LIMITS.stewardsMax, `At most ${MEASURE_LIMITS.stewardsMax} data stewards.`).optional(),
    baseline: DatedValue.nullable().optional(),
    target: DatedValue.nullable().optional(),
  })
  .refine((c) => Object.values(c).some((v) => v !== undefined), { message: 'Say what changes: access, stewards, baseline or target.' });
export type IndicatorSettingsChange = z.infer<typeof IndicatorSettingsChange>;

