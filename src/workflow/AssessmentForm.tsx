import { useId, useRef, useState, type FormEvent } from 'react';
import {
  ASSESSMENT_STATUSES,
  PRECONDITION_INFO,
  STATUS_LABELS,
  type Assessment,
  type AssessmentStatus,
  type Precondition,
} from '../../machines/readiness.ts';
import { closeDisclosure, NoteField } from './NoteField.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  precondition: Precondition;
  current: Assessment | null;
  busy: boolean;
  onSave: (status: AssessmentStatus, evidence: string) => Promise<Outcome>;
}

const CHOOSE_STATUS = `Choose a status: ${ASSESSMENT_STATUSES.map((s) => STATUS_LABELS[s]).join(', ').replace(/, ([^,]*)$/, ' or $1')}.`;

/**
 * Assess one precondition: a status and the evidence it rests on. No status is
 * chosen for the group: a first assessment starts with none, and saving without
 * one says so (a reassessment starts from the group's current one).
 */
export function AssessmentForm({ precondition, current, busy, onSave }: Props) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [status, setStatus] = useState<AssessmentStatus | ''>(current?.status ?? '');
  const [evidence, setEvidence] = useState(current?.evidence ?? '');
  const [statusError, setStatusError] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const label = PRECONDITION_INFO[precondition].label;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!status) {
      setStatusError(CHOOSE_STATUS);
      form.current?.querySelector<HTMLSelectElement>('select')?.focus();
      return;
    }
    const outcome = await onSave(status, evidence);
    setError(outcome.ok ? null : outcome.error);
  }

  function cancel() {
    setStatus(current?.status ?? '');
    setEvidence(current?.evidence ?? '');
    setStatusError(null);
    setError(null);
    closeDisclosure(form.current);
  }

  return (
    <form
      ref={form}
      className="assessment-form"
      // Our own messages, beside each field: a missing status, evidence the server refuses.
      noValidate
      onSubmit={submit}
      aria-label={`Assess ${label.toLowerCase()}`}
    >
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={status}
          aria-invalid={statusError ? true : undefined}
          aria-describedby={statusError ? `${id}-status-error` : undefined}
          onChange={(event) => {
            setStatus(event.target.value as AssessmentStatus | '');
            setStatusError(null);
          }}
        >
          <option value="" disabled>
            Choose a status…
          </option>
          {ASSESSMENT_STATUSES.map((value) => (
            <option key={value} value={value}>
              {STATUS_LABELS[value]}
            </option>
          ))}
        </select>
        {statusError && (
          <p id={`${id}-status-error`} className="wf-field-error" role="alert">
            {statusError}
          </p>
        )}
      </div>
      <NoteField
        id={`${id}-evidence`}
        label="Evidence"
        value={evidence}
        error={error}
        placeholder="What does this status rest on?"
        onChange={(value) => {
          setEvidence(value);
          setError(null);
        }}
      />
      <div className="wf-form-actions">
        <button type="submit" className="button button--primary button--small" disabled={busy}>
          Save assessment
        </button>
        <button type="button" className="button button--small" onClick={cancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
