/**
 * The initiative's workflow: readiness assessment, then the three phases.
 *
 * The server runs one actor of this machine per initiative, authoritatively,
 * and persists `actor.getPersistedSnapshot()`; the history of every accepted
 * event lives in the context, so it is persisted with it.
 *
 * Each phase is a parallel state with one region per component for success
 * (governance and infrastructure, strategic planning, community involvement,
 * evaluation and improvement); each region holds that cell's steps from the
 * catalogue (./steps.ts), and each step moves between `pending` and `done`.
 *
 * The group's canvas (the shared document) changes outside the machine, so the
 * machine never stores it: whoever sends an event attaches the current
 * `InitiativeModel` as `event.model`, and the guards read it. After every event
 * the steps' eventless transitions re-evaluate against that model: a checked
 * step is `done` exactly when the model it last saw meets it, a judgement step
 * once it is confirmed. `phase.advance` is guarded by the same pure functions
 * (`phaseComplete` over `event.model`), never by the step states, so the phase
 * only moves on what the document shows at that moment.
 *
 * Events carry who sent them and when (`by`, `at`): the server fills both in
 * from the caller's session, never from the request body.
 */
import { assign, setup, type StateValue } from 'xstate';
import { COMPONENT_LABELS, COMPONENTS, PHASE_LABELS, type Component, type Phase } from './domain.ts';
import type { InitiativeModel } from './entities.ts';
import {
  estimateFirstPhases,
  isScopeAnswer,
  SCOPE_ANSWERS,
  SCOPE_QUESTION_INFO,
  SCOPE_QUESTIONS,
  type EngagementBreadth,
  type ExistingCollaboration,
  type ProblemScope,
  type ScopeRecord,
  type TimeEstimate,
} from './estimate.ts';
import {
  allPreconditionsMet,
  EMPTY_READINESS,
  PRECONDITION_INFO,
  PRECONDITIONS,
  STATUS_LABELS,
  unmetPreconditions,
  type AssessmentStatus,
  type Person,
  type Precondition,
  type ReadinessRecord,
  type Unmet,
} from './readiness.ts';
import {
  blankModel,
  evaluatePhases,
  phaseComplete,
  phaseUnmet,
  stepById,
  stepIsMet,
  stepKey,
  stepsOf,
  type Confirmations,
  type PhaseEvaluation,
} from './steps.ts';
import {
  DEFAULT_THRESHOLDS,
  describeThresholdChange,
  THRESHOLD_NAMES,
  validateThresholds,
  type Thresholds,
} from './thresholds.ts';

export const STAGES = ['readiness', 'initiate', 'organize', 'sustain'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  readiness: 'Readiness assessment',
  ...PHASE_LABELS,
};

/** The phase after each phase; Phase III is the last. */
export const NEXT_PHASE: Record<Phase, Phase | null> = { initiate: 'organize', organize: 'sustain', sustain: null };

export interface Override {
  reason: string;
}

interface Stamp {
  by: Person;
  at: string;
  /** The initiative as the group has built it, when the event was sent: what the phase guards read. */
  model?: InitiativeModel;
}

export type AssessEvent = {
  type: 'readiness.assess';
  precondition: Precondition;
  status: AssessmentStatus;
  evidence: string;
} & Stamp;

export type ConfirmEvent = { type: 'readiness.confirm'; override?: Override } & Stamp;

/** The three questions behind the time estimate (./estimate.ts). */
export type ScopeEvent = {
  type: 'readiness.scope';
  problem: ProblemScope;
  collaboration: ExistingCollaboration;
  engagement: EngagementBreadth;
  note?: string;
} & Stamp;

/** A lead or facilitator confirms a judgement step of the current phase, with a note. */
export type StepConfirmEvent = { type: 'step.confirm'; step: string; note: string } & Stamp;

/** Into the next phase: when all four components are complete, or with an override reason. */
export type AdvanceEvent = { type: 'phase.advance'; override?: Override } & Stamp;

export const REVISION_PARTS = ['boundaries', 'framework'] as const;
export type RevisionPart = (typeof REVISION_PARTS)[number];

/** A revision of the boundaries or the framework, recorded without leaving the phase. */
export type ReviseEvent = { type: 'framework.revise'; note: string; part?: RevisionPart } & Stamp;

export type ThresholdsEvent = { type: 'settings.thresholds'; thresholds: Partial<Thresholds> } & Stamp;

/**
 * Internal: re-evaluates the steps against `model` and records nothing. Not
 * accepted from the API; the runner (or a test) may send it to refresh the
 * step states.
 */
export type SyncEvent = { type: 'model.sync'; model: InitiativeModel };

export type WorkflowEvent =
  AssessEvent | ConfirmEvent | ScopeEvent | StepConfirmEvent | AdvanceEvent | ReviseEvent | ThresholdsEvent | SyncEvent;

type StampedEvent = Exclude<WorkflowEvent, SyncEvent>;

/** What a caller sends; the server adds the stamp and the model. */
export type WorkflowCommand = StampedEvent extends infer E
  ? E extends StampedEvent
    ? Omit<E, 'by' | 'at' | 'model'>
    : never
  : never;

export const COMMAND_TYPES = [
  'readiness.assess',
  'readiness.confirm',
  'readiness.scope',
  'step.confirm',
  'phase.advance',
  'framework.revise',
  'settings.thresholds',
] as const satisfies readonly WorkflowCommand['type'][];

export interface HistoryEntry {
  at: string;
  by: Person;
  /** A command, or `initiative.import`: the record came in with an imported export file. */
  type: StampedEvent['type'] | 'initiative.import';
  /** One sentence saying what happened, for the timeline. */
  summary: string;
  override?: Override;
  /** `step.confirm`: the step; `framework.revise`: what was revised. */
  step?: string;
  part?: RevisionPart;
  note?: string;
  /** `phase.advance`: the phases left and entered. */
  from?: Stage;
  to?: Stage;
  /** `phase.advance` with an override: what was still missing, on record next to the reason. */
  unmet?: Unmet[];
  /** `initiative.import`: the initiative the file was exported from, when, and the file's name when known. */
  source?: ImportSource;
}

export interface ImportSource {
  initiative: { id: string; name: string };
  exportedAt: string;
  file?: string;
}

export interface WorkflowContext {
  readiness: ReadinessRecord;
  history: HistoryEntry[];
  /** The answers behind the time estimate; null until asked. */
  scope: ScopeRecord | null;
  thresholds: Thresholds;
  /** Judgement steps confirmed, by step id (the latest confirmation). */
  confirmations: Confirmations;
}

export function initialContext(): WorkflowContext {
  return { readiness: EMPTY_READINESS, history: [], scope: null, thresholds: DEFAULT_THRESHOLDS, confirmations: {} };
}

const hasText = (text: string | undefined) => typeof text === 'string' && text.trim().length > 0;

function hasOverrideReason(event: WorkflowEvent): boolean {
  return (
    (event.type === 'readiness.confirm' || event.type === 'phase.advance') &&
    !!event.override &&
    hasText(event.override.reason)
  );
}

function scopeProblems(event: Omit<ScopeEvent, keyof Stamp>): string[] {
  return SCOPE_QUESTIONS.filter((q) => !isScopeAnswer(q, event[q])).map(
    (q) => `Answer "${SCOPE_QUESTION_INFO[q].label}" with one of: ${SCOPE_ANSWERS[q].join(', ')}.`,
  );
}

function thresholdsProblems(event: { thresholds: unknown }): string[] {
  const change = event.thresholds;
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return ['Say which threshold to change.'];
  return validateThresholds(change as Record<string, unknown>);
}

const modelOf = (event: WorkflowEvent): InitiativeModel => ('model' in event && event.model) || blankModel();

/** Whether step `id` is met by the event's model and the context; undefined when the event carries no model. */
function stepState(id: string, context: WorkflowContext, event: WorkflowEvent): boolean | undefined {
  const step = stepById(id);
  if (!step) return undefined;
  if (step.confirm) return !!context.confirmations[id];
  if (!('model' in event) || !event.model) return undefined;
  return stepIsMet(step, event.model, context);
}

const machineSetup = setup({
  types: {
    context: {} as WorkflowContext,
    events: {} as WorkflowEvent,
  },
  guards: {
    allPreconditionsMet: ({ context }) => allPreconditionsMet(context.readiness),
    hasOverrideReason: ({ event }) => hasOverrideReason(event),
    hasEvidence: ({ event }) => event.type === 'readiness.assess' && hasText(event.evidence),
    validScope: ({ event }) => event.type === 'readiness.scope' && scopeProblems(event).length === 0,
    validThresholds: ({ event }) => event.type === 'settings.thresholds' && thresholdsProblems(event).length === 0,
    hasNote: ({ event }) => event.type === 'framework.revise' && hasText(event.note),
    canConfirmStep: ({ event }, params: { phase: Phase }) => {
      if (event.type !== 'step.confirm' || !hasText(event.note)) return false;
      const step = stepById(event.step);
      return !!step?.confirm && step.phase === params.phase;
    },
    phaseComplete: ({ context, event }, params: { phase: Phase }) =>
      event.type === 'phase.advance' && phaseComplete(params.phase, modelOf(event), context),
    stepMet: ({ context, event }, params: { step: string }) => stepState(params.step, context, event) === true,
    stepUnmet: ({ context, event }, params: { step: string }) => stepState(params.step, context, event) === false,
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
      if (overridden && event.override) {
        entry.override = { reason: event.override.reason };
        entry.unmet = unmetPreconditions(context.readiness);
      }
      return { history: [...context.history, entry] };
    }),
    recordScope: assign(({ context, event }) => {
      if (event.type !== 'readiness.scope') return {};
      const { problem, collaboration, engagement, by, at } = event;
      const scope: ScopeRecord = { problem, collaboration, engagement, by, at };
      if (hasText(event.note)) scope.note = event.note!.trim();
      const estimate = estimateFirstPhases(scope);
      const entry: HistoryEntry = {
        at,
        by,
        type: event.type,
        summary: `Answered the scope questions (problem ${problem}, existing collaboration ${collaboration}, community engagement ${engagement}). ${estimate.summary}`,
      };
      if (scope.note) entry.note = scope.note;
      return { scope, history: [...context.history, entry] };
    }),
    recordConfirmation: assign(({ context, event }) => {
      if (event.type !== 'step.confirm') return {};
      const step = stepById(event.step)!;
      const note = event.note.trim();
      return {
        confirmations: { ...context.confirmations, [step.id]: { note, by: event.by, at: event.at } },
        history: [
          ...context.history,
          {
            at: event.at,
            by: event.by,
            type: event.type,
            step: step.id,
            note,
            summary: `Confirmed "${step.title}" (${PHASE_LABELS[step.phase]}, ${COMPONENT_LABELS[step.component].toLowerCase()}): ${note}`,
          },
        ],
      };
    }),
    recordAdvance: assign(({ context, event }, params: { from: Phase; to: Phase }) => {
      if (event.type !== 'phase.advance') return {};
      const unmet = phaseUnmet(params.from, modelOf(event), context);
      const entry: HistoryEntry = {
        at: event.at,
        by: event.by,
        type: event.type,
        from: params.from,
        to: params.to,
        summary:
          unmet.length === 0
            ? `Completed ${PHASE_LABELS[params.from]}: all four components for success complete. Moved into ${PHASE_LABELS[params.to]}.`
            : `Moved from ${PHASE_LABELS[params.from]} into ${PHASE_LABELS[params.to]} with an override; ${unmet.length} ${unmet.length === 1 ? 'condition was' : 'conditions were'} still open.`,
      };
      if (unmet.length > 0 && event.override) {
        entry.override = { reason: event.override.reason };
        entry.unmet = unmet;
      }
      return { history: [...context.history, entry] };
    }),
    recordRevision: assign(({ context, event }, params: { phase: Phase }) => {
      if (event.type !== 'framework.revise') return {};
      const note = event.note.trim();
      const what =
        event.part === 'boundaries'
          ? 'the boundaries'
          : event.part === 'framework'
            ? 'the strategic action framework'
            : 'the boundaries or the strategic action framework';
      const entry: HistoryEntry = {
        at: event.at,
        by: event.by,
        type: event.type,
        note,
        summary: `Revised ${what} during ${PHASE_LABELS[params.phase]}: ${note}`,
      };
      if (event.part) entry.part = event.part;
      return { history: [...context.history, entry] };
    }),
    recordThresholds: assign(({ context, event }) => {
      if (event.type !== 'settings.thresholds') return {};
      const change: Partial<Thresholds> = {};
      for (const name of THRESHOLD_NAMES)
        if (event.thresholds[name] !== undefined) change[name] = event.thresholds[name];
      return {
        thresholds: { ...context.thresholds, ...change },
        history: [
          ...context.history,
          {
            at: event.at,
            by: event.by,
            type: event.type,
            summary: `Changed thresholds. ${describeThresholdChange(context.thresholds, change).join(' ')}`,
          },
        ],
      };
    }),
    /** Named effect: the runner provides it (the server uses it to update its listing). */
    stageEntered: (_, _params: { stage: Stage }) => {},
  },
});

/** One step: `pending` until met, `done` while met (a confirmed judgement stays done). */
function stepNode(id: string, component: Component, confirm: boolean) {
  return {
    initial: 'pending' as const,
    states: {
      pending: {
        tags: ['incomplete', `incomplete:${component}`],
        always: { guard: { type: 'stepMet' as const, params: { step: id } }, target: 'done' },
      },
      done: confirm
        ? {}
        : { always: { guard: { type: 'stepUnmet' as const, params: { step: id } }, target: 'pending' } },
    },
  };
}

function phaseNode(phase: Phase) {
  const next = NEXT_PHASE[phase];
  const regions = Object.fromEntries(
    COMPONENTS.map((component) => [
      component,
      {
        type: 'parallel' as const,
        states: Object.fromEntries(
          stepsOf(phase, component).map((step) => [stepKey(step), stepNode(step.id, component, !!step.confirm)]),
        ),
      },
    ]),
  );
  const advance = next && {
    'phase.advance': [
      {
        guard: { type: 'phaseComplete' as const, params: { phase } },
        target: next,
        actions: { type: 'recordAdvance' as const, params: { from: phase, to: next } },
      },
      {
        guard: 'hasOverrideReason' as const,
        target: next,
        actions: { type: 'recordAdvance' as const, params: { from: phase, to: next } },
      },
    ],
  };
  return {
    type: 'parallel' as const,
    tags: next ? ['phase'] : ['phase', 'last-phase'],
    entry: { type: 'stageEntered' as const, params: { stage: phase } },
    on: {
      'step.confirm': {
        guard: { type: 'canConfirmStep' as const, params: { phase } },
        actions: 'recordConfirmation' as const,
      },
      ...(advance ?? {}),
      ...(phase !== 'initiate'
        ? {
            'framework.revise': {
              guard: 'hasNote' as const,
              actions: { type: 'recordRevision' as const, params: { phase } },
            },
          }
        : {}),
      ...(phase !== 'sustain'
        ? { 'readiness.scope': { guard: 'validScope' as const, actions: 'recordScope' as const } }
        : {}),
    },
    states: regions,
  };
}

export const workflowMachine = machineSetup.createMachine({
  id: 'initiative',
  context: initialContext,
  initial: 'readiness',
  on: {
    'settings.thresholds': { guard: 'validThresholds', actions: 'recordThresholds' },
  },
  states: {
    readiness: {
      tags: ['assessing'],
      on: {
        'readiness.assess': { guard: 'hasEvidence', actions: 'recordAssessment' },
        'readiness.scope': { guard: 'validScope', actions: 'recordScope' },
        'readiness.confirm': [
          { guard: 'allPreconditionsMet', target: 'initiate', actions: 'recordLaunch' },
          { guard: 'hasOverrideReason', target: 'initiate', actions: 'recordLaunch' },
        ],
      },
    },
    // Generated from the step catalogue (./steps.ts): one region per component, one node per step.
    initiate: phaseNode('initiate'),
    organize: phaseNode('organize'),
    sustain: phaseNode('sustain'),
  },
});

/** The stage of a snapshot's state value. */
export function stageOf(value: unknown): Stage {
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0];
  if ((STAGES as readonly string[]).includes(top)) return top as Stage;
  throw new Error(`Unknown workflow state: ${JSON.stringify(value)}`);
}

/**
 * Why the machine in `stage` with `context` would refuse `event`, given the
 * initiative `model` as it is now, in words. Empty when the event would be
 * accepted. Pure: the server answers 409 with this list, and the UI shows the
 * same messages before anyone presses a button.
 */
export function explainRefusal(
  stage: Stage,
  context: WorkflowContext,
  event: WorkflowCommand,
  model: InitiativeModel = blankModel(),
): Unmet[] {
  const say = (message: string): Unmet[] => [{ message }];
  switch (event.type) {
    case 'readiness.assess':
      if (stage !== 'readiness') {
        return say(
          `The readiness assessment was confirmed; the initiative is in ${STAGE_LABELS[stage]}. Preconditions can no longer be reassessed.`,
        );
      }
      if (!hasText(event.evidence)) return say('An assessment needs evidence: say what the status rests on.');
      return [];
    case 'readiness.confirm':
      if (stage !== 'readiness')
        return say(`Readiness is already confirmed; the initiative is in ${STAGE_LABELS[stage]}.`);
      if (allPreconditionsMet(context.readiness)) return [];
      if (event.override) return hasText(event.override.reason) ? [] : say('An override needs a reason.');
      return unmetPreconditions(context.readiness);
    case 'readiness.scope':
      if (stage === 'sustain') {
        return say(`The estimate covers Phase I and Phase II; the initiative is in ${STAGE_LABELS.sustain}.`);
      }
      return scopeProblems(event).map((message) => ({ message }));
    case 'step.confirm': {
      const step = stepById(event.step);
      if (!step) return say(`There is no step "${event.step}".`);
      if (stage === 'readiness') {
        return say('Steps are confirmed during the phases; the initiative is still in the readiness assessment.');
      }
      if (step.phase !== stage) {
        return say(
          `"${step.title}" is a step of ${PHASE_LABELS[step.phase]}; the initiative is in ${STAGE_LABELS[stage]}.`,
        );
      }
      if (!step.confirm) {
        return say(`"${step.title}" completes by itself once the canvas shows it: it is not confirmed by hand.`);
      }
      if (!hasText(event.note)) return say('A confirmation needs a note: say what was done.');
      return [];
    }
    case 'phase.advance': {
      if (stage === 'readiness') {
        return say(
          `The initiative is still in the readiness assessment: confirm readiness to move into ${PHASE_LABELS.initiate}.`,
        );
      }
      if (NEXT_PHASE[stage] === null) {
        return say(`${PHASE_LABELS[stage]} is the last phase: it can last a decade or more.`);
      }
      const unmet = phaseUnmet(stage, model, context);
      if (unmet.length === 0) return [];
      if (event.override) return hasText(event.override.reason) ? [] : say('An override needs a reason.');
      return unmet;
    }
    case 'framework.revise':
      if (stage === 'readiness' || stage === 'initiate') {
        return say(
          `The boundaries and the strategic action framework are agreed in ${PHASE_LABELS.organize}; there is nothing to revise yet.`,
        );
      }
      if (!hasText(event.note)) return say('A revision needs a note: say what changed and why.');
      return [];
    case 'settings.thresholds':
      return thresholdsProblems(event).map((message) => ({ message }));
  }
}

export type WorkflowComponents = Record<Phase, PhaseEvaluation>;

export interface WorkflowEvaluation {
  /** Every phase, every component, every step: met or unmet, with what is missing. */
  components: WorkflowComponents;
  /**
   * What stops the next move now: the unmet preconditions during readiness; in
   * Phase I and II, what stops `phase.advance`; in Phase III, the steps still open.
   */
  unmet: Unmet[];
  estimate: TimeEstimate;
}

/**
 * The workflow as the live document shows it. Pure and cheap enough to call on
 * every change of the model: the UI calls it in the browser to show what is
 * missing without a round trip; the server's workflow view is built with it.
 */
export function evaluateWorkflow(stage: Stage, context: WorkflowContext, model: InitiativeModel): WorkflowEvaluation {
  return {
    components: evaluatePhases(model, context),
    unmet: stage === 'readiness' ? unmetPreconditions(context.readiness) : phaseUnmet(stage, model, context),
    estimate: estimateFirstPhases(context.scope),
  };
}

/**
 * A persisted context from an older version (before the phases: readiness and
 * history only) with the fields added since, at their defaults.
 */
export function migrateContext(raw: unknown): WorkflowContext {
  const old = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<WorkflowContext>;
  const fresh = initialContext();
  const readiness = { ...fresh.readiness };
  for (const p of PRECONDITIONS) readiness[p] = old.readiness?.[p] ?? null;
  return {
    readiness,
    history: Array.isArray(old.history) ? old.history : [],
    scope: old.scope ?? null,
    thresholds: { ...DEFAULT_THRESHOLDS, ...(old.thresholds ?? {}) },
    confirmations: old.confirmations ?? {},
  };
}

/**
 * A snapshot to start an actor from, out of a persisted one, whatever version
 * of the machine persisted it: the context is migrated, and a state value whose
 * steps no longer exist falls back to its stage (steps start pending and are
 * re-evaluated by the next event).
 */
export function restoreSnapshot(persisted: unknown, machine: typeof workflowMachine = workflowMachine) {
  const { value, context } = (persisted ?? {}) as { value?: unknown; context?: unknown };
  const migrated = migrateContext(context);
  try {
    return machine.resolveState({ value: value as StateValue, context: migrated });
  } catch {
    return machine.resolveState({ value: stageOf(value), context: migrated });
  }
}
