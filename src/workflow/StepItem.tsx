import type { StepStatus } from '../../machines/index.ts';
import { FixableMessage, type Guide } from './FixLink.tsx';
import { formatWhen } from './format.ts';
import { NoteForm } from './NoteForm.tsx';
import { roleLabel, stepDomId } from './status.ts';

interface Props {
  step: StepStatus;
  /** Present when the viewer may confirm this judgement step now. */
  onConfirm?: (note: string) => Promise<boolean>;
  busy: boolean;
  /** Leads each missing item to the board where it is fixed. */
  guide?: Guide;
}

/** One step of the current phase: what to do, whether it is met, what is missing, who confirmed it. */
export function StepItem({ step, onConfirm, busy, guide }: Props) {
  const headingId = stepDomId(step.id);
  const met = step.status === 'met';
  const statusText = met ? (step.kind === 'confirm' ? 'Confirmed' : 'Met') : step.kind === 'confirm' ? 'To confirm' : 'Not met yet';
  return (
    <li className={`wf-step wf-step--${step.status}`} aria-labelledby={headingId} data-step={step.id}>
      <div className="wf-step__header">
        <h5 id={headingId}>{step.title}</h5>
        <span className={`status-badge status-badge--${met ? 'met' : 'unmet'}`} data-testid="step-status">
          {statusText}
        </span>
      </div>
      <p className="wf-step__guidance">{step.guidance}</p>
      {step.kind === 'confirm' && <p className="wf-step__kind">A judgement: a lead or facilitator confirms it with a note.</p>}
      {step.messages.length > 0 && (
        <div className="wf-step__missing">
          <p className="wf-step__missing-title">What is missing</p>
          <ul>
            {step.messages.map((message, index) => (
              <li key={index}>
                <FixableMessage item={{ step: step.id, message }} guide={guide} />
              </li>
            ))}
          </ul>
        </div>
      )}
      {step.confirmation && (
        <div className="wf-step__confirmation">
          <p className="wf-step__note">{step.confirmation.note}</p>
          <p className="wf-step__by">
            Confirmed by {step.confirmation.by.name} ({roleLabel(step.confirmation.by.role)}) on{' '}
            <time dateTime={step.confirmation.at}>{formatWhen(step.confirmation.at)}</time>
          </p>
        </div>
      )}
      {onConfirm && step.kind === 'confirm' && (
        <details className="disclosure">
          <summary>{met ? 'Confirm again' : 'Confirm this step'}</summary>
          <NoteForm
            name={`Confirm ${step.title}`}
            label="Note"
            hint="Say what was done: who was reached, what was agreed, what the group found."
            submitLabel="Confirm step"
            busy={busy}
            onSubmit={onConfirm}
          />
        </details>
      )}
    </li>
  );
}
