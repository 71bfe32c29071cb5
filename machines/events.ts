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

/** A saved version of the strategic action framework, as history names it (./framework/types.ts). */
export interface VersionRef {
  id: string;
  /** 1, 2, 3…: the order versions were saved in, per initiative. */
  number: number;
  name: string;
}

/** The longest name of a framework version (characters). */
export const VERSION_NAME_MAX_LENGTH = 120;

/**
 * A revision of the boundaries or the framework, recorded without leaving the
 * phase. With `version` (a name), the server also saves the framework as it is
 * now under that name, and fills in `saved` before the machine hears of it.
 */
export type ReviseEvent = {
  type: 'framework.revise';
  note: string;
  part?: RevisionPart;
  version?: string;
  /** Filled by the server: the version it saved. */
  saved?: VersionRef;
} & Stamp;

/**
 * A saved version (`version`: its id) becomes the current framework, for a
 * `reason`. The server first saves the framework as it was as a version of its
 * own (`saved`), so restoring that one undoes the restore, then writes the
 * version's cards into the document; `restored` and `saved` are filled by the
 * server before the machine hears of it.
 */
export type RestoreEvent = {
  type: 'framework.restore';
  version: string;
  reason: string;
  restored?: VersionRef;
  saved?: VersionRef;
} & Stamp;

export type ThresholdsEvent = { type: 'settings.thresholds'; thresholds: Partial<Thresholds> } & Stamp;

export type WorkflowEvent =
  | AssessEvent
  | ConfirmEvent
  | ScopeEvent
  | StepConfirmEvent
  | AdvanceEvent
  | ReviseEvent
  | RestoreEvent
  | ThresholdsEvent;

/** What a caller sends; the server adds the stamp and the model. */
export type WorkflowCommand = WorkflowEvent extends infer E
  ? E extends WorkflowEvent
    ? Omit<E, 'by' | 'at' | 'model' | 'saved' | 'restored'>
    : never
  : never;

export const COMMAND_TYPES = [
  'readiness.assess',
  'readiness.confirm',
  'readiness.scope',
  'step.confirm',
  'phase.advance',
  'framework.revise',
  'framework.restore',
  'settings.thresholds',
] as const satisfies readonly WorkflowCommand['type'][];
