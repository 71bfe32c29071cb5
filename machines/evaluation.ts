/**
 * What the live document shows of the workflow: every step of every phase met
 * or not, with what is missing. Pure and cheap enough to call on every change
 * of the document: the server builds its workflow view with it (and re-runs it
 * when a room's document changes), the phase guard reads it, and the browser
 * runs the same functions to show what is missing without a round trip.
 */
import { COMPONENT_GOALS, COMPONENT_LABELS, COMPONENTS, PHASES, type Component, type Phase } from './domain.ts';
import { BOARDS, ENTITY_KINDS, type InitiativeModel } from './entities.ts';
import { stepsOf, type Confirmation, type Confirmations, type StepDef } from './catalogue.ts';
import type { WorkflowContext } from './context.ts';
import { estimateFirstPhases, type TimeEstimate } from './estimate.ts';
import { unmetPreconditions, type Unmet } from './readiness.ts';
import type { Stage } from './stages.ts';
import type { Thresholds } from './thresholds.ts';

/**
 * A model with nothing built yet, shaped like `readModel` of a fresh document
 * (the three singletons present, their text empty). What guards see when no
 * document is at hand.
 */
export function blankModel(): InitiativeModel {
  const entities = Object.fromEntries(ENTITY_KINDS.map((k) => [k, []])) as unknown as InitiativeModel['entities'];
  entities.problem = [{ kind: 'problem', id: 'problem', description: '' }];
  entities.goal = [{ kind: 'goal', id: 'goal', statement: '' }];
  entities.evaluation = [{ kind: 'evaluation', id: 'evaluation', approach: '' }];
  const placements = Object.fromEntries(BOARDS.map((b) => [b, {}])) as InitiativeModel['placements'];
  return { entities, placements, measured: {} };
}

export type StepStatusValue = 'met' | 'unmet';

export interface StepStatus {
  id: string;
  title: string;
  guidance: string;
  /** `confirm` for a judgement a lead or facilitator confirms with a note. */
  kind: 'check' | 'confirm';
  status: StepStatusValue;
  /** What is missing, in words (empty when met). */
  messages: string[];
  /** For a confirmed judgement step. */
  confirmation?: Confirmation;
}

export interface ComponentStatus {
  label: string;
  /** The table's cell for this phase and component. */
  goal: string;
  complete: boolean;
  steps: StepStatus[];
}

export type PhaseEvaluation = Record<Component, ComponentStatus>;

export interface EvaluationContext {
  thresholds: Thresholds;
  confirmations: Confirmations;
}

export function confirmationMessage(step: StepDef): string {
  return `Not confirmed yet: a lead or facilitator confirms "${step.title}" with a note saying what was done.`;
}

/** One step's status against the model and the initiative's confirmations and thresholds. */
export function evaluateStep(step: StepDef, model: InitiativeModel, context: EvaluationContext): StepStatus {
  const base = { id: step.id, title: step.title, guidance: step.guidance };
  if (step.confirm) {
    const confirmation = context.confirmations[step.id];
    return confirmation
      ? { ...base, kind: 'confirm', status: 'met', messages: [], confirmation }
      : { ...base, kind: 'confirm', status: 'unmet', messages: [confirmationMessage(step)] };
  }
  const messages = step.check(model, context.thresholds);
  return { ...base, kind: 'check', status: messages.length === 0 ? 'met' : 'unmet', messages };
}

/** Per component, per step: met or unmet, with the messages of what is missing. */
export function evaluatePhase(phase: Phase, model: InitiativeModel, context: EvaluationContext): PhaseEvaluation {
  const result = {} as PhaseEvaluation;
  for (const component of COMPONENTS) {
    const steps = stepsOf(phase, component).map((step) => evaluateStep(step, model, context));
    result[component] = {
      label: COMPONENT_LABELS[component],
      goal: COMPONENT_GOALS[phase][component],
      complete: steps.every((s) => s.status === 'met'),
      steps,
    };
  }
  return result;
}

/** Every missing condition of a phase, flat, in catalogue order: what stops `phase.advance`. */
export function phaseUnmet(phase: Phase, model: InitiativeModel, context: EvaluationContext): Unmet[] {
  const evaluation = evaluatePhase(phase, model, context);
  return COMPONENTS.flatMap((component) =>
    evaluation[component].steps.flatMap((step) =>
      step.messages.map((message) => ({ component, step: step.id, message })),
    ),
  );
}

export function phaseComplete(phase: Phase, model: InitiativeModel, context: EvaluationContext): boolean {
  return phaseUnmet(phase, model, context).length === 0;
}

/** Every phase, every component, every step. */
export function evaluatePhases(model: InitiativeModel, context: EvaluationContext): Record<Phase, PhaseEvaluation> {
  return Object.fromEntries(PHASES.map((phase) => [phase, evaluatePhase(phase, model, context)])) as Record<
    Phase,
    PhaseEvaluation
  >;
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

/** The workflow in `stage` with `context`, as the document `model` shows it now. */
export function evaluateWorkflow(stage: Stage, context: WorkflowContext, model: InitiativeModel): WorkflowEvaluation {
  return {
    components: evaluatePhases(model, context),
    unmet: stage === 'readiness' ? unmetPreconditions(context.readiness) : phaseUnmet(stage, model, context),
    estimate: estimateFirstPhases(context.scope),
  };
}
