import {
  COMPONENTS,
  PHASE_LABELS,
  type Phase,
  type WorkflowEvaluation,
} from '../../machines/index.ts';
import { AdvancePhase } from './AdvancePhase.tsx';
import { CurrentSteps } from './CurrentSteps.tsx';
import type { Guide } from './FixLink.tsx';
import { RevisionForm } from './RevisionForm.tsx';
import { UnmetList } from './UnmetList.tsx';
import type { Send } from './useCommands.ts';

interface Props {
  phase: Phase;
  evaluation: WorkflowEvaluation;
  /** Present when the viewer may move the workflow. */
  send?: Send;
  busy: boolean;
  /** Leads each unmet item to the board where it is fixed. */
  guide?: Guide;
}

/** Where the initiative stands in its phase: what is missing, the steps, and the moves the viewer may make. */
export function PhaseNavigator({ phase, evaluation, send, busy, guide }: Props) {
  const current = evaluation.components[phase];
  const steps = COMPONENTS.flatMap((c) => current[c].steps);
  const met = steps.filter((s) => s.status === 'met').length;
  const { unmet } = evaluation;
  return (
    <>
      <p role="status" className="wf-progress" data-testid="phase-progress">
        {met} of {steps.length} steps of {PHASE_LABELS[phase]} met
        {unmet.length === 0 ? ': every component is complete.' : '.'}
      </p>

      <section className="wf-missing" aria-labelledby="wf-missing-title">
        <h3 id="wf-missing-title" className="section-title">
          What is missing
        </h3>
        {unmet.length === 0 ? (
          <p className="muted">Nothing: all four components for success are complete.</p>
        ) : (
          <UnmetList unmet={unmet} id="wf-missing-list" guide={guide} />
        )}
      </section>

      {send && (
        <AdvancePhase
          phase={phase}
          unmet={unmet}
          busy={busy}
          onAdvance={(override) => send(override ? { type: 'phase.advance', override } : { type: 'phase.advance' })}
        />
      )}
      {send && phase !== 'initiate' && (
        <RevisionForm
          busy={busy}
          onRevise={(note, part) => send(part ? { type: 'framework.revise', note, part } : { type: 'framework.revise', note })}
        />
      )}

      <CurrentSteps
        phase={phase}
        evaluation={current}
        busy={busy}
        guide={guide}
        onConfirm={send && ((step, note) => send({ type: 'step.confirm', step, note }))}
      />
    </>
  );
}
