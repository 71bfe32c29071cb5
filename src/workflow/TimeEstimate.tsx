import type { TimeEstimate as Estimate } from '../../machines/index.ts';

/** How long Phase I and Phase II should take, with its reasoning. */
export function TimeEstimate({ estimate }: { estimate: Estimate }) {
  return (
    <div className="wf-estimate" data-testid="time-estimate">
      <p className="wf-estimate__summary">{estimate.summary}</p>
      <details className="disclosure">
        <summary>Why this estimate</summary>
        <ul className="wf-estimate__reasons">
          {estimate.reasons.map((reason, index) => (
            <li key={index}>{reason}</li>
          ))}
        </ul>
      </details>
    </div>
  );
}
