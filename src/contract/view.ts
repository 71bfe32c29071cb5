/**
 * What the server tells the browser about an initiative's workflow and about
 * who is here: `GET /api/initiatives/:id/workflow`, the `workflow` events of
 * its stream, the answer to an accepted command, and the `user` of each
 * presence (awareness) state.
 */
import type { TimeEstimate, ScopeRecord } from '../../machines/estimate.ts';
import type { ReadinessRecord, Unmet } from '../../machines/readiness.ts';
import type { Confirmations } from '../../machines/catalogue.ts';
import type { HistoryEntry } from '../../machines/context.ts';
import type { WorkflowComponents } from '../../machines/evaluation.ts';
import type { Thresholds } from '../../machines/thresholds.ts';
import type { Stage } from '../../machines/stages.ts';
import type { ViewerRole } from './roles.ts';

export interface WorkflowView {
  stage: Stage;
  stageLabel: string;
  readiness: ReadinessRecord;
  /**
   * What stops the next move now: unmet preconditions during readiness; in Phase I
   * and II what stops `phase.advance` (`{ component, step, message }`); in Phase III
   * the steps still open.
   */
  unmet: Unmet[];
  history: HistoryEntry[];
  /** Every phase, every component, every step, from the current document. */
  components: WorkflowComponents;
  /** The answers behind the estimate, and the estimate itself. */
  scope: ScopeRecord | null;
  estimate: TimeEstimate;
  thresholds: Thresholds;
  confirmations: Confirmations;
}

/** `409` to a workflow command: which conditions are not met. */
export interface Refused {
  error: string;
  unmet: Unmet[];
}

/**
 * The identity others see of a connection, in its presence state. The server
 * writes it from the session over whatever the client claims
 * (server/sync/presence.ts), so the browser may trust it.
 */
export interface PresenceUser {
  name: string;
  role: ViewerRole;
}
