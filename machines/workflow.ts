/**
 * The initiative's workflow as a statechart: readiness assessment, then the
 * three phases (docs/workflow.md). The server runs one actor of it per
 * initiative, authoritatively, and persists `actor.getPersistedSnapshot()`
 * (./persistence.ts); the history of every accepted event lives in the context.
 *
 * The machine holds the stage and what people decided (assessments, scope
 * answers, confirmations, thresholds): nothing derived from the canvas. The
 * canvas (the shared document) changes outside the machine all the time, so
 * whoever sends an event attaches the current `InitiativeModel` as
 * `event.model`, and `phase.advance` is guarded by `phaseComplete` over it: the
 * phase only moves on what the document shows at that moment. Which steps are
 * met is never stored; it is evaluated from the document when asked
 * (./evaluation.ts), so it cannot go stale.
 *
 * Events carry who sent them and when (`by`, `at`): the server fills both in
 * from the caller's session, never from the request body.
 */
import { assign, setup } from 'xstate';
import { COMPONENT_LABELS, PHASE_LABELS, type Phase } from './domain.ts';
import { stepById } from './catalogue.ts';
import { initialContext, type HistoryEntry, type WorkflowContext } from './context.ts';
import { estimateFirstPhases, type ScopeRecord } from './estimate.ts';
import { blankModel, phaseComplete, phaseUnmet } from './evaluation.ts';
import type { WorkflowEvent } from './events.ts';
import { PRECONDITION_INFO, STATUS_LABELS, allPreconditionsMet, unmetPreconditions } from './readiness.ts';
import { hasOverrideReason, hasText, scopeProblems, thresholdsProblems } from './refusals.ts';
import { NEXT_PHASE, type Stage } from './stages.ts';
import { describeThresholdChange, THRESHOLD_NAMES, type Thresholds } from './thresholds.ts';

// Kept importable from here: the stages and the events are the machine's vocabulary.
export { NEXT_PHASE, STAGE_LABELS, STAGES, stageOf, type Stage } from './stages.ts';
export * from './events.ts';

const modelOf = (event: WorkflowEvent) => event.model ?? blankModel();

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
    hasRestoreReason: ({ event }) => event.type === 'framework.restore' && hasText(event.reason) && !!event.restored,
    canConfirmStep: ({ event }, params: { phase: Phase }) => {
      if (event.type !== 'step.confirm' || !hasText(event.note)) return false;
      const step = stepById(event.step);
      return !!step?.confirm && step.phase === params.phase;
    },
    phaseComplete: ({ context, event }, params: { phase: Phase }) =>
      event.type === 'phase.advance' && phaseComplete(params.phase, modelOf(event), context),
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
        summary: event.saved
          ? `Saved version ${event.saved.number}, "${event.saved.name}", of the strategic action framework during ${PHASE_LABELS[params.phase]}: ${note}`
          : `Revised ${what} during ${PHASE_LABELS[params.phase]}: ${note}`,
      };
      if (event.part) entry.part = event.part;
      if (event.saved) entry.version = { ...event.saved };
      return { history: [...context.history, entry] };
    }),
    recordRestore: assign(({ context, event }, params: { phase: Phase }) => {
      if (event.type !== 'framework.restore' || !event.restored) return {};
      const reason = event.reason.trim();
      const { restored, saved } = event;
      const entry: HistoryEntry = {
        at: event.at,
        by: event.by,
        type: event.type,
        note: reason,
        version: { ...restored },
        summary:
          `Restored version ${restored.number}, "${restored.name}", as the current strategic action framework during ${PHASE_LABELS[params.phase]}: ${reason}` +
          (saved ? ` The framework as it was is kept as version ${saved.number}, "${saved.name}": restoring it undoes this.` : ''),
      };
      if (saved) entry.savedAs = { ...saved };
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

/** A phase: its moves. What its steps need is evaluated from the document, never stored. */
function phaseNode(phase: Phase) {
  const next = NEXT_PHASE[phase];
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
            'framework.restore': {
              guard: 'hasRestoreReason' as const,
              actions: { type: 'recordRestore' as const, params: { phase } },
            },
          }
        : {}),
      ...(phase !== 'sustain'
        ? { 'readiness.scope': { guard: 'validScope' as const, actions: 'recordScope' as const } }
        : {}),
    },
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
      on: {
        'readiness.assess': { guard: 'hasEvidence', actions: 'recordAssessment' },
        'readiness.scope': { guard: 'validScope', actions: 'recordScope' },
        'readiness.confirm': [
          { guard: 'allPreconditionsMet', target: 'initiate', actions: 'recordLaunch' },
          { guard: 'hasOverrideReason', target: 'initiate', actions: 'recordLaunch' },
        ],
      },
    },
    initiate: phaseNode('initiate'),
    organize: phaseNode('organize'),
    sustain: phaseNode('sustain'),
  },
});
