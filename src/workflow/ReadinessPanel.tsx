import { useState } from 'react';
import { PRECONDITIONS, type AssessmentStatus } from '../../machines/readiness.ts';
import { STAGE_LABELS, type WorkflowCommand } from '../../machines/workflow.ts';
import { ApiError, api, canRunWorkflow, type ViewerRole } from '../app/api.ts';
import { ConfirmReadiness } from './ConfirmReadiness.tsx';
import { PreconditionItem } from './PreconditionItem.tsx';
import { WorkflowErrors, type Refusal } from './WorkflowErrors.tsx';
import { WorkflowHistory } from './WorkflowHistory.tsx';
import type { WorkflowState } from './useWorkflow.ts';

interface Props {
  initiativeId: string;
  role: ViewerRole;
  state: WorkflowState;
}

/** The readiness assessment and the workflow's history, live for everyone. */
export function ReadinessPanel({ initiativeId, role, state }: Props) {
  const { workflow, loadError, accept } = state;
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  async function send(event: WorkflowCommand): Promise<boolean> {
    setBusy(true);
    try {
      accept(await api.sendWorkflowEvent(initiativeId, event));
      setRefusal(null);
      return true;
    } catch (error) {
      setRefusal({
        message: error instanceof Error ? error.message : String(error),
        unmet: error instanceof ApiError ? error.unmet : [],
      });
      return false;
    } finally {
      setBusy(false);
    }
  }

  if (!workflow) {
    return (
      <section className="readiness-panel" aria-label="Readiness">
        {loadError ? (
          <p className="notice notice--error" role="alert">
            {loadError}
          </p>
        ) : (
          <p className="muted">Loading the workflow…</p>
        )}
      </section>
    );
  }

  const assessing = workflow.stage === 'readiness' && canRunWorkflow(role);
  const assess = (precondition: (typeof PRECONDITIONS)[number]) => (status: AssessmentStatus, evidence: string) =>
    send({ type: 'readiness.assess', precondition, status, evidence });

  return (
    <section className="readiness-panel" aria-labelledby="readiness-title">
      <header className="readiness-panel__header">
        <p className="eyebrow">Current stage</p>
        <h2 id="readiness-title" data-testid="workflow-stage">
          {STAGE_LABELS[workflow.stage] ?? workflow.stageLabel}
        </h2>
        <p className="muted">
          {workflow.stage === 'readiness'
            ? 'Before launch, the group checks the three preconditions for collective impact.'
            : 'The readiness assessment is confirmed. This is what the group found.'}
        </p>
      </header>

      <WorkflowErrors refusal={refusal} />

      <h3 className="section-title">Preconditions</h3>
      <ul className="precondition-list">
        {PRECONDITIONS.map((precondition) => (
          <PreconditionItem
            key={precondition}
            precondition={precondition}
            assessment={workflow.readiness[precondition]}
            onAssess={assessing ? assess(precondition) : undefined}
            busy={busy}
          />
        ))}
      </ul>

      {assessing && (
        <ConfirmReadiness
          unmet={workflow.unmet}
          busy={busy}
          onConfirm={(override) =>
            send(override ? { type: 'readiness.confirm', override } : { type: 'readiness.confirm' })
          }
        />
      )}
      {workflow.stage === 'readiness' && !canRunWorkflow(role) && (
        <p className="muted">
          The backbone lead or a facilitator records the assessment; you see it here as it happens.
        </p>
      )}

      <WorkflowHistory history={workflow.history} />
    </section>
  );
}
