import {
  PRECONDITION_INFO,
  STATUS_LABELS,
  type Assessment,
  type AssessmentStatus,
  type Precondition,
} from '../../machines/readiness.ts';
import { roleLabel } from '../contract/roles.ts';
import { AssessmentForm } from './AssessmentForm.tsx';
import { formatWhen } from './format.ts';
import type { Outcome } from './useCommands.ts';

interface Props {
  precondition: Precondition;
  assessment: Assessment | null;
  /** Present when the viewer may assess now. */
  onAssess?: (status: AssessmentStatus, evidence: string) => Promise<Outcome>;
  busy: boolean;
}

/** One precondition: what to look for, where the group stands, and (for leads) the form to assess it. */
export function PreconditionItem({ precondition, assessment, onAssess, busy }: Props) {
  const info = PRECONDITION_INFO[precondition];
  const headingId = `precondition-${precondition}`;
  return (
    <li className="precondition" aria-labelledby={headingId}>
      <div className="precondition__header">
        <h4 id={headingId}>{info.label}</h4>
        <span className={`status-badge status-badge--${assessment?.status ?? 'none'}`}>
          {assessment ? STATUS_LABELS[assessment.status] : 'Not assessed yet'}
        </span>
      </div>
      <p className="precondition__guidance">{info.guidance}</p>
      {assessment && (
        <div className="precondition__assessment">
          <p className="precondition__evidence">{assessment.evidence}</p>
          <p className="precondition__by">
            Assessed by {assessment.by.name} ({roleLabel(assessment.by.role)}) on{' '}
            <time dateTime={assessment.at}>{formatWhen(assessment.at)}</time>
          </p>
        </div>
      )}
      {onAssess && (
        <details className="disclosure" open={!assessment}>
          <summary>{assessment ? 'Reassess' : 'Assess'}</summary>
          <AssessmentForm precondition={precondition} current={assessment} busy={busy} onSave={onAssess} />
        </details>
      )}
    </li>
  );
}
