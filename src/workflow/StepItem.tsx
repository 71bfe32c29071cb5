import type { StepStatus } from '../../machines/index.ts';
import { FixableMessage, type Guide } from './FixLink.tsx';
import { formatWhen } from './format.ts';
import { NoteForm } from './NoteForm.tsx';
import { roleLabel } from '../contract/roles.ts';
import { stepDomId } from './status.ts';
import type { Outcome } from './useCommands.ts';

interface Props {
  step: StepStatus;
  /** Present when the viewer may confirm this judgement step now. */
  onConfirm?: (note: string) => Promise<Outcome>;
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
          <summary>{step.confirmation ? 'Replace the note' : 'Confirm this step'}</summary>
          <NoteForm
            name={step.confirmation ? `Replace the note of ${step.title}` : `Confirm ${step.title}`}
            label={step.confirmation ? 'New note' : 'Note'}
            hint={
              step.confirmation
                ? 'The new note replaces the one shown above; the history keeps both.'
                : 'Say what was done: who was reached, what was agreed, what the group found.'
            }
            submitLabel={step.confirmation ? 'Replace the note' : 'Confirm step'}
            busy={busy}
            ask={
              step.confirmation && {
                question: `Replace the note confirmed by ${step.confirmation.by.name} on ${formatWhen(step.confirmation.at)}?`,
                yes: 'Yes, replace it',
                no: 'Keep the current note',
              }
            }
            onSubmit={onConfirm}
          />
        </details>
      )}
    </li>
  );
}
