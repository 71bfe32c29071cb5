/**
 * The readiness assessment: the three preconditions checked before launch
 * (docs/domain.md, "The readiness assessment"). Pure functions only; the statechart in
 * ./workflow.ts uses them as guards, and the UI uses them to explain.
 */
import type { Component } from './domain.ts';

export const PRECONDITIONS = ['champion', 'resources', 'urgency'] as const;
export type Precondition = (typeof PRECONDITIONS)[number];

export const ASSESSMENT_STATUSES = ['met', 'partial', 'unmet'] as const;
export type AssessmentStatus = (typeof ASSESSMENT_STATUSES)[number];

export interface PreconditionInfo {
  label: string;
  /** What the group should look for, in the literature's words. */
  guidance: string;
}

export const PRECONDITION_INFO: Record<Precondition, PreconditionInfo> = {
  champion: {
    label: 'Influential champion',
    guidance:
      'A champion (or small group of champions) respected enough to bring CEO-level, cross-sector leaders together and keep them engaged, who lets participants find the answers. The most critical of the three.',
  },
  resources: {
    label: 'Adequate financial resources',
    guidance:
      'Enough funding for at least two to three years, usually with at least one anchor funder engaged from the start who can mobilise others.',
  },
  urgency: {
    label: 'Urgency for change',
    guidance:
      'A crisis or breaking point, the prospect of substantial funding, a fundamentally new approach, or research that shows how severe the problem is.',
  },
};

export const STATUS_LABELS: Record<AssessmentStatus, string> = {
  met: 'met',
  partial: 'partly met',
  unmet: 'not met',
};

/** Who did something, as the server's session knows them. */
export interface Person {
  id: string;
  name: string;
  role: string;
}

export interface Assessment {
  status: AssessmentStatus;
  evidence: string;
  by: Person;
  at: string;
}

export type ReadinessRecord = Record<Precondition, Assessment | null>;

export const EMPTY_READINESS: ReadinessRecord = { champion: null, resources: null, urgency: null };

/** A condition that stops a step, in words a facilitator understands. */
export interface Unmet {
  message: string;
  precondition?: Precondition;
  /** For a phase step: the component for success it belongs to. */
  component?: Component;
  /** For a phase step: its id in the step catalogue (machines/steps.ts). */
  step?: string;
}

/** Every precondition that is not yet assessed as met, with why. Empty when ready. */
export function unmetPreconditions(readiness: ReadinessRecord): Unmet[] {
  const unmet: Unmet[] = [];
  for (const precondition of PRECONDITIONS) {
    const assessment = readiness[precondition];
    const { label } = PRECONDITION_INFO[precondition];
    if (!assessment) {
      unmet.push({ precondition, message: `${label} has not been assessed yet.` });
    } else if (assessment.status !== 'met') {
      unmet.push({
        precondition,
        message: `${label} is assessed as ${STATUS_LABELS[assessment.status]}: "${assessment.evidence}". It must be met, or the launch needs an override with a reason.`,
      });
    }
  }
  return unmet;
}

export function allPreconditionsMet(readiness: ReadinessRecord): boolean {
  return unmetPreconditions(readiness).length === 0;
}
