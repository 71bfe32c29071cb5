/**
 * What the workshop decided: a sentence, the vote it came from if any, and the
 * workflow step it serves. A decision on a judgement step can confirm that
 * step: the runner sends the workflow's `step.confirm` with the decision as its
 * note (the `decisionRecorded` effect of ./workshop.ts).
 */
import { stepById } from '../catalogue.ts';
import { NOTE_MAX_LENGTH } from '../events.ts';
import type { Attendee } from './attendance.ts';
import { hasText } from './outcome.ts';
import type { Vote } from './votes.ts';

export interface Decision {
  id: string;
  text: string;
  voteId?: string;
  /** A judgement step of the catalogue. */
  step?: string;
  by: Pick<Attendee, 'id' | 'name'>;
  at: string;
  item: number | null;
}

/** Why this decision cannot be recorded, or null. */
export function decisionProblem(
  decision: { text: string; voteId?: string; step?: string },
  votes: readonly Vote[],
): string | null {
  if (!hasText(decision.text)) return 'A decision needs text: say what was decided.';
  if (decision.text.length > NOTE_MAX_LENGTH) return `A decision holds at most ${NOTE_MAX_LENGTH} characters.`;
  if (decision.voteId !== undefined) {
    const vote = votes.find((v) => v.id === decision.voteId);
    if (!vote) return `There is no vote "${decision.voteId}" in this workshop.`;
    if (vote.status === 'open') return 'That vote is still open: close it before recording what it decided.';
  }
  if (decision.step !== undefined) {
    const step = stepById(decision.step);
    if (!step) return `There is no step "${decision.step}".`;
    if (!step.confirm) {
      return `"${step.title}" completes by itself once the canvas shows it: a decision cannot confirm it.`;
    }
  }
  return null;
}
