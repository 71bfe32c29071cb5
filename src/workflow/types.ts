/**
 * The workflow view as GET /api/initiatives/:id/workflow and the `workflow`
 * stream events send it (src/contract/view.ts), and the context the browser
 * evaluates the live document with.
 */
import {
  DEFAULT_THRESHOLDS,
  EMPTY_READINESS,
  estimateFirstPhases,
  type WorkflowContext,
} from '../../machines/index.ts';
import type { WorkflowView } from '../contract/index.ts';

export type { WorkflowView };

/**
 * A view with every field the panel reads, whatever the server sent: fields an
 * older server leaves out read as their defaults.
 */
export function normaliseView(raw: WorkflowView): WorkflowView {
  const partial = raw as Partial<WorkflowView> & Pick<WorkflowView, 'stage' | 'stageLabel' | 'components'>;
  const scope = partial.scope ?? null;
  return {
    ...partial,
    readiness: partial.readiness ?? EMPTY_READINESS,
    unmet: Array.isArray(partial.unmet) ? partial.unmet : [],
    history: Array.isArray(partial.history) ? partial.history : [],
    scope,
    estimate: partial.estimate ?? estimateFirstPhases(scope),
    thresholds: { ...DEFAULT_THRESHOLDS, ...(partial.thresholds ?? {}) },
    confirmations: partial.confirmations ?? {},
  };
}

/** The machine context behind a view: what `evaluateWorkflow` needs besides the live model. */
export function contextOf(view: WorkflowView): WorkflowContext {
  return {
    readiness: view.readiness,
    history: view.history,
    scope: view.scope,
    thresholds: view.thresholds,
    confirmations: view.confirmations,
  };
}
