/**
 * The workflow record as an export file carries it (format version 2): the
 * stage, the readiness assessments, the scope answers, the confirmed judgement
 * steps, the thresholds and the history with who, when and why. The server's
 * WorkflowRunner answers it (`record`) and restores it on import (`restore`).
 *
 * Two layers of checks, each answering every problem with its path:
 * `WorkflowRecordSchema` (zod: shapes and values) and `workflowRecordIssues`
 * (what the statechart could have produced: a stage reached without its move in
 * the history, a confirmation of a step not reached or not confirmed by hand).
 */
import { z } from 'zod';
import { PHASE_LABELS } from '../../machines/domain.ts';
import { SCOPE_ANSWERS, SCOPE_QUESTION_INFO, type ScopeQuestion, type ScopeRecord } from '../../machines/estimate.ts';
import {
  ASSESSMENT_STATUSES,
  PRECONDITION_INFO,
  PRECONDITIONS,
  type ReadinessRecord,
} from '../../machines/readiness.ts';
import { STEP_IDS, stepById, type Confirmations } from '../../machines/steps.ts';
import { THRESHOLD_INFO, THRESHOLD_NAMES, type Thresholds } from '../../machines/thresholds.ts';
import type { HistoryEntry } from '../../machines/context.ts';
import { COMMAND_TYPES, REVISION_PARTS, STAGE_LABELS, STAGES, type Stage } from '../../machines/workflow.ts';

export interface WorkflowRecord {
  stage: Stage;
  readiness: ReadinessRecord;
  scope: ScopeRecord | null;
  confirmations: Confirmations;
  thresholds: Thresholds;
  history: HistoryEntry[];
}

/** Where a problem sits, relative to the record: `['history', 3, 'by']`. */
export interface RecordIssue {
  path: (string | number)[];
  message: string;
}

const oneOf = (what: string, values: readonly string[]) => `${what} must be one of: ${values.join(', ')}.`;
const text = (what: string, max: number) =>
  z.string(`${what} must be text.`).max(max, `${what} is at most ${max} characters.`);
const when = (what = 'at') => z.iso.datetime({ offset: true, error: `${what} must be an ISO 8601 date and time.` });

const PersonSchema = z.strictObject(
  {
    id: text('The person’s id', 200).min(1, 'The person’s id must not be empty.'),
    name: text('The person’s name', 200),
    role: text('The person’s role', 50),
  },
  'by must name a person: { id, name, role }.',
);

const AssessmentSchema = z.strictObject(
  {
    status: z.enum(ASSESSMENT_STATUSES, oneOf('status', ASSESSMENT_STATUSES)),
    evidence: text('evidence', 4000),
    by: PersonSchema,
    at: when(),
  },
  'An assessment is { status, evidence, by, at }, or null when not assessed.',
);

const ScopeSchema = z.strictObject(
  {
    problem: z.enum(SCOPE_ANSWERS.problem, oneOf('problem', SCOPE_ANSWERS.problem)),
    collaboration: z.enum(SCOPE_ANSWERS.collaboration, oneOf('collaboration', SCOPE_ANSWERS.collaboration)),
    engagement: z.enum(SCOPE_ANSWERS.engagement, oneOf('engagement', SCOPE_ANSWERS.engagement)),
    note: text('note', 4000).optional(),
    by: PersonSchema,
    at: when(),
  },
  'The scope answers are { problem, collaboration, engagement, note, by, at }, or null when not asked yet.',
);

/** Confirmations and history entries may carry fields a later Convene adds: they are kept as they are. */
const ConfirmationSchema = z.looseObject(
  { note: text('note', 4000), by: PersonSchema, at: when() },
  'A confirmation is { note, by, at }.',
);

const HISTORY_TYPES = [...COMMAND_TYPES, 'initiative.import'] as const;

const HistoryEntrySchema = z.looseObject(
  {
    at: when(),
    by: PersonSchema,
    type: z.enum(HISTORY_TYPES, oneOf('type', HISTORY_TYPES)),
    summary: text('summary', 20000),
    override: z.strictObject({ reason: text('The override reason', 4000) }).optional(),
    step: z.enum(STEP_IDS as [string, ...string[]], 'step must be the id of a step (docs/workflow.md).').optional(),
    part: z.enum(REVISION_PARTS, oneOf('part', REVISION_PARTS)).optional(),
    note: text('note', 4000).optional(),
    from: z.enum(STAGES, oneOf('from', STAGES)).optional(),
    to: z.enum(STAGES, oneOf('to', STAGES)).optional(),
    unmet: z.array(z.looseObject({ message: text('message', 4000) }), 'unmet must be a list.').optional(),
    source: z
      .strictObject({
        initiative: z.strictObject({ id: text('id', 200), name: text('name', 200) }),
        exportedAt: when('exportedAt'),
        file: text('file', 500).optional(),
      })
      .optional(),
  },
  'A history entry is { at, by, type, summary, … }.',
);

const ThresholdsSchema = z.strictObject(
  Object.fromEntries(
    THRESHOLD_NAMES.map((name) => {
      const { label, min, max } = THRESHOLD_INFO[name];
      const range = `${label} must be a whole number from ${min} to ${max}.`;
      return [name, z.number(range).int(range).min(min, range).max(max, range)];
    }),
  ) as Record<keyof Thresholds, z.ZodNumber>,
  `thresholds must give every threshold: ${THRESHOLD_NAMES.join(', ')}.`,
);

export const WorkflowRecordSchema = z
  .strictObject(
    {
      stage: z.enum(STAGES, oneOf('stage', STAGES)),
      readiness: z.strictObject(
        Object.fromEntries(PRECONDITIONS.map((p) => [p, AssessmentSchema.nullable()])) as Record<
          (typeof PRECONDITIONS)[number],
          z.ZodNullable<typeof AssessmentSchema>
        >,
        `readiness must give each precondition (${PRECONDITIONS.join(', ')}) its assessment or null.`,
      ),
      scope: ScopeSchema.nullable(),
      confirmations: z.partialRecord(
        z.enum(STEP_IDS as [string, ...string[]], 'A confirmation must be keyed by the id of a step.'),
        ConfirmationSchema,
        'confirmations must map step ids to confirmations.',
      ),
      thresholds: ThresholdsSchema,
      history: z.array(HistoryEntrySchema, 'history must be a list of entries.'),
    },
    'workflow must be the workflow record: { stage, readiness, scope, confirmations, thresholds, history }.',
  )
  .meta({
    description:
      'The workflow record (format version 2): stage, readiness assessments, scope answers, confirmed steps, thresholds and history. See docs/schema.md, "Export format".',
  });

/** The moves into each stage, as the statechart records them in the history. */
function movedInto(stage: Stage, entry: HistoryEntry): boolean {
  if (stage === 'initiate') return entry.type === 'readiness.confirm';
  return entry.type === 'phase.advance' && entry.to === stage;
}

/**
 * What the statechart could not have produced, in words: a stage reached
 * without its move in the history, a move beyond the stage, a confirmation of a
 * step that is not confirmed by hand or whose phase was not reached.
 */
export function workflowRecordIssues(record: WorkflowRecord): RecordIssue[] {
  const issues: RecordIssue[] = [];
  const reached = STAGES.indexOf(record.stage);
  STAGES.forEach((stage, index) => {
    if (index === 0) return;
    const moved = record.history.findIndex((entry) => movedInto(stage, entry));
    if (index <= reached && moved < 0) {
      issues.push({
        path: ['stage'],
        message: `The record is in ${STAGE_LABELS[record.stage]}, but its history has no move into ${STAGE_LABELS[stage]}.`,
      });
    }
    if (index > reached && moved >= 0) {
      issues.push({
        path: ['history', moved],
        message: `The history moves into ${STAGE_LABELS[stage]}, but the record is in ${STAGE_LABELS[record.stage]}.`,
      });
    }
  });
  for (const id of Object.keys(record.confirmations)) {
    const step = stepById(id);
    if (!step) continue; // The schema has said so already.
    if (!step.confirm) {
      issues.push({
        path: ['confirmations', id],
        message: `"${step.title}" completes by itself once the canvas shows it; it cannot be confirmed by hand.`,
      });
    } else if (STAGES.indexOf(step.phase) > reached) {
      issues.push({
        path: ['confirmations', id],
        message: `"${step.title}" is a step of ${PHASE_LABELS[step.phase]}, which the record has not reached.`,
      });
    }
  }
  return issues;
}

/** A place in the record, in words: `readiness, influential champion`, `history entry 4`. */
export function recordPlace(path: readonly (string | number)[]): string {
  const [part, key] = path;
  switch (part) {
    case 'readiness':
      return key === undefined
        ? 'readiness'
        : `readiness, ${PRECONDITION_INFO[key as (typeof PRECONDITIONS)[number]]?.label.toLowerCase() ?? key}`;
    case 'scope':
      return key === undefined
        ? 'scope'
        : `scope, ${SCOPE_QUESTION_INFO[key as ScopeQuestion]?.label.toLowerCase() ?? key}`;
    case 'confirmations':
      return key === undefined ? 'confirmations' : `confirmation of "${stepById(String(key))?.title ?? key}"`;
    case 'history':
      return typeof key === 'number' ? `history entry ${key + 1}` : 'history';
    case 'thresholds':
      return 'thresholds';
    default:
      return String(part ?? 'record');
  }
}
