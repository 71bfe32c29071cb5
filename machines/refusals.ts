/**
 * Why the workflow would refuse a command, in words: the 409 answer of the
 * server, the messages the UI shows before anyone presses a button, and the
 * conditions the machine's guards (./workflow.ts) test. A test checks that the
 * two agree on every command in every stage.
 */
import { PHASE_LABELS } from './domain.ts';
import type { InitiativeModel } from './entities.ts';
import { stepById } from './catalogue.ts';
import type { WorkflowContext } from './context.ts';
import { isScopeAnswer, SCOPE_ANSWERS, SCOPE_QUESTION_INFO, SCOPE_QUESTIONS } from './estimate.ts';
import { blankModel, phaseUnmet } from './evaluation.ts';
import type { ScopeEvent, Stamp, WorkflowCommand, WorkflowEvent } from './events.ts';
import { allPreconditionsMet, unmetPreconditions, type Unmet } from './readiness.ts';
import { NEXT_PHASE, STAGE_LABELS, type Stage } from './stages.ts';
import { validateThresholds } from './thresholds.ts';

export const hasText = (text: string | undefined) => typeof text === 'string' && text.trim().length > 0;

export function hasOverrideReason(event: WorkflowEvent): boolean {
  return (
    (event.type === 'readiness.confirm' || event.type === 'phase.advance') &&
    !!event.override &&
    hasText(event.override.reason)
  );
}

export function scopeProblems(event: Omit<ScopeEvent, keyof Stamp>): string[] {
  return SCOPE_QUESTIONS.filter((q) => !isScopeAnswer(q, event[q])).map(
    (q) => `Answer "${SCOPE_QUESTION_INFO[q].label}" with one of: ${SCOPE_ANSWERS[q].join(', ')}.`,
  );
}

export function thresholdsProblems(event: { thresholds: unknown }): string[] {
  const change = event.thresholds;
  if (typeof change !== 'object' || change === null || Array.isArray(change)) return ['Say which threshold to change.'];
  return validateThresholds(change as Record<string, unknown>);
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
    case 'framework.restore':
      if (stage === 'readiness' || stage === 'initiate') {
        return say(
          `The strategic action framework is agreed in ${PHASE_LABELS.organize}; there is no saved version to restore yet.`,
        );
      }
      if (!hasText(event.reason)) return say('A restore needs a reason: say why the group goes back to this version.');
      return [];
    case 'settings.thresholds':
      return thresholdsProblems(event).map((message) => ({ message }));
  }
}
