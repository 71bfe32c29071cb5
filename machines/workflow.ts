/**
 * The initiative's workflow: readiness assessment, then the three phases.
 *
 * The server runs one actor of this machine per initiative, authoritatively,
 * and persists `actor.getPersistedSnapshot()`; the history of every accepted
 * event lives in the context, so it is persisted with it.
 *
 * Events carry who sent them and when (`by`, `at`): the server fills both in
 * from the caller's session, never from the request body.
 */
import { assign, setup } from 'xstate';
import {
  allPreconditionsMet,
  EMPTY_READINESS,
  PRECONDITION_INFO,
  STATUS_LABELS,
  unmetPreconditions,
  type AssessmentStatus,
  type Person,
  type Precondition,
  type ReadinessRecord,
  type Unmet,
} from './readiness.ts';

export const STAGES = ['readiness', 'initiate', 'organize', 'sustain'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  readiness: 'Readiness assessment',
  initiate: 'Phase I: Initiate Action',
  organize: 'Phase II: Organize for Impact',
  sustain: 'Phase III: Sustain Action and Impact',
};

export interface Override {
  reason: string;
}

interface Stamp {
  by: Person;
  at: string;
}

export type AssessEvent = {
  type: 'readiness.assess';
  precondition: Precondition;
  status: AssessmentStatus;
  evidence: string;
} & Stamp;

export type ConfirmEvent = { type: 'readiness.confirm'; override?: Override } & Stamp;

export type WorkflowEvent = AssessEvent | ConfirmEvent;

/** What a caller sends; the server adds the stamp. */
export type WorkflowCommand = WorkflowEvent extends infer E
  ? E extends WorkflowEvent
    ? Omit<E, 'by' | 'at'>
    : never
  : never;

export interface HistoryEntry {
  at: string;
  by: Person;
  type: WorkflowEvent['type'];
  /** One sentence saying what happened, for the timeline. */
  summary: string;
  override?: Override;
}

export interface WorkflowContext {
  readiness: ReadinessRecord;
  history: HistoryEntry[];
}

function hasOverrideReason(event: WorkflowEvent): boolean {
  return event.type === 'readiness.confirm' && !!event.override && event.override.reason.trim().length > 0;
}

export const workflowMachine = setup({
  types: {
    context: {} as WorkflowContext,
    events: {} as WorkflowEvent,
  },
  guards: {
    allPreconditionsMet: ({ context }) => allPreconditionsMet(context.readiness),
    hasOverrideReason: ({ event }) => hasOverrideReason(event),
    hasEvidence: ({ event }) => event.type === 'readiness.assess' && event.evidence.trim().length > 0,
  },
  actions: {
    recordAssessment: assign(({ context, event }) => {
      if (event.type !== 'readiness.assess') return {};
      const { precondition, status, evidence, by, at } = event;
      return {
        readiness: { ...context.readiness, [precondition]: { status, evidence, by, at } },
        history: [
          ...context.history,
          {
            at,
            by,
            type: event.type,
            summary: `Assessed ${PRECONDITION_INFO[precondition].label.toLowerCase()} as ${STATUS_LABELS[status]}: ${evidence}`,
          },
        ],
      };
    }),
    recordLaunch: assign(({ context, event }) => {
      if (event.type !== 'readiness.confirm') return {};
      // An override is on record only when it is what allowed the launch.
      const overridden = !allPreconditionsMet(context.readiness) && !!event.override;
      const entry: HistoryEntry = {
        at: event.at,
        by: event.by,
        type: event.type,
        summary: overridden
          ? 'Confirmed readiness with an override and moved into Phase I: Initiate Action.'
          : 'Confirmed readiness: all three preconditions met. Moved into Phase I: Initiate Action.',
      };
      if (overridden && event.override) entry.override = { reason: event.override.reason };
      return { history: [...context.history, entry] };
    }),
    /** Named effect: the runner provides it (the server uses it to update its listing). */
    stageEntered: (_, _params: { stage: Stage }) => {},
  },
}).createMachine({
  id: 'initiative',
  context: { readiness: EMPTY_READINESS, history: [] },
  initial: 'readiness',
  states: {
    readiness: {
      tags: ['assessing'],
      on: {
        'readiness.assess': { guard: 'hasEvidence', actions: 'recordAssessment' },
        'readiness.confirm': [
          { guard: 'allPreconditionsMet', target: 'initiate', actions: 'recordLaunch' },
          { guard: 'hasOverrideReason', target: 'initiate', actions: 'recordLaunch' },
        ],
      },
    },
    initiate: {
      tags: ['phase'],
      entry: { type: 'stageEntered', params: { stage: 'initiate' } },
    },
    organize: {
      tags: ['phase'],
      entry: { type: 'stageEntered', params: { stage: 'organize' } },
    },
    sustain: {
      tags: ['phase'],
      entry: { type: 'stageEntered', params: { stage: 'sustain' } },
    },
  },
});

/** The stage of a snapshot's state value. */
export function stageOf(value: unknown): Stage {
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0];
  if ((STAGES as readonly string[]).includes(top)) return top as Stage;
  throw new Error(`Unknown workflow state: ${JSON.stringify(value)}`);
}

/**
 * Why the machine in `stage` with `context` would refuse `event`, in words. Empty
 * when the event would be accepted. Pure: the server answers 409 with this list,
 * and the UI shows the same messages before anyone presses a button.
 */
export function explainRefusal(stage: Stage, context: WorkflowContext, event: WorkflowCommand): Unmet[] {
  switch (event.type) {
    case 'readiness.assess':
      if (stage !== 'readiness') {
        return [
          {
            message: `The readiness assessment was confirmed; the initiative is in ${STAGE_LABELS[stage]}. Preconditions can no longer be reassessed.`,
          },
        ];
      }
      if (!event.evidence.trim()) return [{ message: 'An assessment needs evidence: say what the status rests on.' }];
      return [];
    case 'readiness.confirm':
      if (stage !== 'readiness') {
        return [{ message: `Readiness is already confirmed; the initiative is in ${STAGE_LABELS[stage]}.` }];
      }
      if (allPreconditionsMet(context.readiness)) return [];
      if (event.override) {
        return event.override.reason.trim() ? [] : [{ message: 'An override needs a reason.' }];
      }
      return unmetPreconditions(context.readiness);
  }
}
