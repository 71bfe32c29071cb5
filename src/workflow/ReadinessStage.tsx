import { PRECONDITIONS, type AssessmentStatus, type Precondition, type Unmet } from '../../machines/index.ts';
import { whoMay } from '../contract/permissions.ts';
import { ConfirmReadiness } from './ConfirmReadiness.tsx';
import { PreconditionItem } from './PreconditionItem.tsx';
import { ScopeSection } from './ScopeSection.tsx';
import type { WorkflowView } from './types.ts';
import type { Send } from './useCommands.ts';

interface Props {
  view: WorkflowView;
  /** What stops the launch. */
  unmet: Unmet[];
  /** Present when the viewer may assess and confirm. */
  send?: Send;
  busy: boolean;
}

/** Before launch: the three preconditions, the scope questions with the time estimate, and the launch. */
export function ReadinessStage({ view, unmet, send, busy }: Props) {
  const assess = (precondition: Precondition) =>
    send &&
    ((status: AssessmentStatus, evidence: string) => send({ type: 'readiness.assess', precondition, status, evidence }));
  return (
    <>
      <h3 className="section-title">Preconditions</h3>
      <ul className="precondition-list">
        {PRECONDITIONS.map((precondition) => (
          <PreconditionItem
            key={precondition}
            precondition={precondition}
            assessment={view.readiness[precondition]}
            onAssess={assess(precondition)}
            busy={busy}
          />
        ))}
      </ul>

      <ScopeSection
        scope={view.scope}
        estimate={view.estimate}
        busy={busy}
        onSave={send && ((answers, note) => send({ type: 'readiness.scope', ...answers, ...(note ? { note } : {}) }))}
      />

      {send ? (
        <ConfirmReadiness
          unmet={unmet}
          busy={busy}
          onConfirm={(override) => send(override ? { type: 'readiness.confirm', override } : { type: 'readiness.confirm' })}
        />
      ) : (
        <p className="muted">
          {whoMay('steerWorkflow', { startOfSentence: true })} records the assessment; you see it here as it happens.
        </p>
      )}
    </>
  );
}
