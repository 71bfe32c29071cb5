import { useId, useState, type FormEvent } from 'react';
import {
  ASSESSMENT_STATUSES,
  PRECONDITION_INFO,
  STATUS_LABELS,
  type Assessment,
  type AssessmentStatus,
  type Precondition,
} from '../../machines/readiness.ts';

interface Props {
  precondition: Precondition;
  current: Assessment | null;
  busy: boolean;
  onSave: (status: AssessmentStatus, evidence: string) => Promise<boolean>;
}

/** Assess one precondition: a status and the evidence it rests on. */
export function AssessmentForm({ precondition, current, busy, onSave }: Props) {
  const id = useId();
  const [status, setStatus] = useState<AssessmentStatus>(current?.status ?? 'met');
  const [evidence, setEvidence] = useState(current?.evidence ?? '');
  const label = PRECONDITION_INFO[precondition].label;

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    await onSave(status, evidence);
  }

  return (
    <form className="assessment-form" onSubmit={submit} aria-label={`Assess ${label.toLowerCase()}`}>
      <div className="field">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={status}
          onChange={(event) => setStatus(event.target.value as AssessmentStatus)}
        >
          {ASSESSMENT_STATUSES.map((value) => (
            <option key={value} value={value}>
              {STATUS_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-evidence`}>Evidence</label>
        <textarea
          id={`${id}-evidence`}
          rows={3}
          required
          value={evidence}
          placeholder="What does this status rest on?"
          onChange={(event) => setEvidence(event.target.value)}
        />
      </div>
      <button type="submit" className="button button--primary button--small" disabled={busy}>
        Save assessment
      </button>
    </form>
  );
}
