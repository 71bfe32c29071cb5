/**
 * The workflow's events: what a lead or facilitator sends (a command), and what
 * the machine receives once the server has stamped it with who, when and the
 * document as it is at that moment (`model`).
 */
import type { InitiativeModel } from './entities.ts';
import type { EngagementBreadth, ExistingCollaboration, ProblemScope } from './estimate.ts';
import type { AssessmentStatus, Person, Precondition } from './readiness.ts';
import type { Thresholds } from './thresholds.ts';

/**
 * The longest evidence, note or reason an event carries (characters): the API
 * refuses longer ones, and the forms stop typing there.
 */
export const NOTE_MAX_LENGTH = 4000;

export interface Override {
  reason: string;
}

export interface Stamp {
  by: Person;
  at: string;
  /** The initiative as the group has built it, when the event was sent: what the phase guard reads. */
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

export type WorkflowEvent =
  AssessEvent | ConfirmEvent | ScopeEvent | StepConfirmEvent | AdvanceEvent | ReviseEvent | ThresholdsEvent;

/** What a caller sends; the server adds the stamp and the model. */
export type WorkflowCommand = WorkflowEvent extends infer E
  ? E extends WorkflowEvent
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
