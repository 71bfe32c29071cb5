/**
 * The workflow commands a person sends (`POST /api/initiatives/:id/events`),
 * as zod schemas with the sentences a refusal carries. The server adds who and
 * when; the statechart (machines/workflow.ts) decides whether the step is
 * possible now. Every command is checked against the `steerWorkflow` row of
 * the table (permissions.ts).
 */
import { z } from 'zod';
import { SCOPE_ANSWERS } from '../../machines/estimate.ts';
import { NOTE_MAX_LENGTH, VERSION_NAME_MAX_LENGTH } from '../../machines/events.ts';
import { ASSESSMENT_STATUSES, PRECONDITIONS } from '../../machines/readiness.ts';
import { STEP_IDS } from '../../machines/steps.ts';
import { THRESHOLD_INFO, THRESHOLD_NAMES, type ThresholdName } from '../../machines/thresholds.ts';
import { REVISION_PARTS, type WorkflowCommand } from '../../machines/workflow.ts';

/** The longest note, evidence or reason: the same limit the forms stop at. */
const MAX_NOTE = NOTE_MAX_LENGTH;

const note = (required: string) => z.string().trim().min(1, required).max(MAX_NOTE, `At most ${MAX_NOTE} characters.`);
const override = z.object({ reason: note('An override needs a reason.') }).optional();

export const COMMAND_SCHEMAS = {
  'readiness.assess': z.object({
    type: z.literal('readiness.assess'),
    precondition: z.enum(PRECONDITIONS),
    status: z.enum(ASSESSMENT_STATUSES),
    evidence: note('Evidence is required: say what the status rests on.'),
  }),
  'readiness.confirm': z.object({ type: z.literal('readiness.confirm'), override }),
  'readiness.scope': z.object({
    type: z.literal('readiness.scope'),
    problem: z.enum(SCOPE_ANSWERS.problem),
    collaboration: z.enum(SCOPE_ANSWERS.collaboration),
    engagement: z.enum(SCOPE_ANSWERS.engagement),
    note: z.string().trim().max(MAX_NOTE, `At most ${MAX_NOTE} characters.`).optional(),
  }),
  'step.confirm': z.object({
    type: z.literal('step.confirm'),
    step: z.enum(STEP_IDS as [string, ...string[]], 'No such step: see docs/workflow.md for the step ids.'),
    note: note('A confirmation needs a note: say what was done.'),
  }),
  'phase.advance': z.object({ type: z.literal('phase.advance'), override }),
  'framework.revise': z.object({
    type: z.literal('framework.revise'),
    note: note('A revision needs a note: say what changed and why.'),
    part: z.enum(REVISION_PARTS).optional(),
    /** Save the framework as it is now as a version under this name (docs/framework.md). */
    version: z
      .string()
      .trim()
      .min(1, 'A version needs a name.')
      .max(VERSION_NAME_MAX_LENGTH, `At most ${VERSION_NAME_MAX_LENGTH} characters.`)
      .optional(),
  }),
  'framework.restore': z.object({
    type: z.literal('framework.restore'),
    version: z.string().trim().min(1, 'Say which version to restore.'),
    reason: note('A restore needs a reason: say why the group goes back to this version.'),
  }),
  'settings.thresholds': z.object({
    type: z.literal('settings.thresholds'),
    thresholds: z
      .object(
        Object.fromEntries(
          THRESHOLD_NAMES.map((name) => {
            const { min, max } = THRESHOLD_INFO[name];
            const range = `A whole number from ${min} to ${max}.`;
            return [name, z.number(range).int(range).min(min, range).max(max, range).optional()];
          }),
        ) as Record<ThresholdName, z.ZodOptional<z.ZodNumber>>,
      )
      .strict()
      .refine((t) => Object.values(t).some((v) => v !== undefined), 'Say which threshold to change.'),
  }),
} as const satisfies Record<WorkflowCommand['type'], z.ZodType>;

export type CommandType = keyof typeof COMMAND_SCHEMAS;

export function isCommandType(type: unknown): type is CommandType {
  return typeof type === 'string' && Object.hasOwn(COMMAND_SCHEMAS, type);
}

/** Said when a body's `type` is no command. */
export function unknownCommand(type: unknown): string {
  return `Unknown event type ${JSON.stringify(type ?? null)}. Known types: ${Object.keys(COMMAND_SCHEMAS).join(', ')}.`;
}

// Every schema reads into a command the statechart takes: this fails to compile when they drift apart.
type Parsed = { [T in CommandType]: z.infer<(typeof COMMAND_SCHEMAS)[T]> }[CommandType];
export const asCommand = (parsed: Parsed): WorkflowCommand => parsed;
