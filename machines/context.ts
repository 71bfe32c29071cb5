/**
 * What the workflow remembers (the machine's context): the readiness
 * assessment, the scope answers, the thresholds, the confirmations, and the
 * history of every accepted event. The canvas is never stored here: it is read
 * from the document whenever it is needed (./evaluation.ts).
 */
import type { Confirmations } from './catalogue.ts';
import type { ScopeRecord } from './estimate.ts';
import type { Override, RevisionPart, VersionRef, WorkflowEvent } from './events.ts';
import { EMPTY_READINESS, PRECONDITIONS, type Person, type ReadinessRecord, type Unmet } from './readiness.ts';
import type { Stage } from './stages.ts';
import { DEFAULT_THRESHOLDS, type Thresholds } from './thresholds.ts';

export interface HistoryEntry {
  at: string;
  by: Person;
  /** A command, or `initiative.import`: the record came in with an imported export file. */
  type: WorkflowEvent['type'] | 'initiative.import';
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
  /**
   * `framework.revise` with a version: the version saved; `framework.restore`:
   * the version restored (docs/framework.md).
   */
  version?: VersionRef;
  /** `framework.restore`: the framework as it was just before, saved as a version so the restore can be undone. */
  savedAs?: VersionRef;
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
  /** Judgement steps confirmed, by step id (the latest confirmation; every one is in the history). */
  confirmations: Confirmations;
}

export function initialContext(): WorkflowContext {
  return { readiness: EMPTY_READINESS, history: [], scope: null, thresholds: DEFAULT_THRESHOLDS, confirmations: {} };
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
