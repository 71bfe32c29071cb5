import { useDeferredValue, useMemo } from 'react';
import { evaluateWorkflow, type InitiativeModel, type WorkflowEvaluation } from '../../machines/index.ts';
import type { InitiativeDoc } from '../schema/index.ts';
import { useModel } from '../sync/useModel.ts';
import { contextOf, type WorkflowView } from './types.ts';

/**
 * The workflow as the live document shows it: `evaluateWorkflow` re-run in the
 * browser on every document change (and every new view from the server), so
 * what is missing updates as anyone edits the canvas, without a round trip.
 * The evaluation runs on a deferred model, so typing on the canvas stays fluid.
 */
export function useLiveEvaluation(
  view: WorkflowView | null,
  doc: InitiativeDoc,
): { evaluation: WorkflowEvaluation | null; model: InitiativeModel } {
  const model = useDeferredValue(useModel(doc));
  const evaluation = useMemo(() => (view ? evaluateWorkflow(view.stage, contextOf(view), model) : null), [view, model]);
  return { evaluation, model };
}
