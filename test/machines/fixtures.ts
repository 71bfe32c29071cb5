/** Events and people for the workflow tests: the server stamps `by` and `at`; here the test does. */
import type {
  AssessEvent,
  AssessmentStatus,
  ConfirmEvent,
  Override,
  Person,
  Precondition,
} from '../../machines/index.ts';

export const lead: Person = { id: 'member-lead', name: 'Amara Osei', role: 'lead' };
export const facilitator: Person = { id: 'member-facilitator', name: 'Jonas Berg', role: 'facilitator' };

let clock = Date.parse('2026-11-22T10:00:00.000Z');
/** A fresh, increasing ISO timestamp for every event, so entries can be told apart. */
export function nextAt(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

export const EVIDENCE: Record<Precondition, string> = {
  champion: 'The county executive chairs the steering group and has met every school superintendent.',
  resources: 'The community foundation committed three years of backbone funding.',
  urgency: 'The youth survey showed binge drinking rising for the third year running.',
};

export function assess(
  precondition: Precondition,
  status: AssessmentStatus,
  options: { evidence?: string; by?: Person; at?: string } = {},
): AssessEvent {
  return {
    type: 'readiness.assess',
    precondition,
    status,
    evidence: options.evidence ?? EVIDENCE[precondition],
    by: options.by ?? lead,
    at: options.at ?? nextAt(),
  };
}

export function confirm(override?: Override, options: { by?: Person; at?: string } = {}): ConfirmEvent {
  const event: ConfirmEvent = { type: 'readiness.confirm', by: options.by ?? facilitator, at: options.at ?? nextAt() };
  if (override) event.override = override;
  return event;
}

export const OVERRIDE_REASON = 'The anchor funder signs next week; the steering group accepts the risk.';
