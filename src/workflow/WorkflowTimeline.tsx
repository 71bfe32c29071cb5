import type { HistoryEntry } from '../../machines/index.ts';
import { formatWhen } from './format.ts';
import { roleLabel } from '../contract/roles.ts';
import { UnmetList } from './UnmetList.tsx';

const TYPE_LABELS: Record<HistoryEntry['type'], string> = {
  'readiness.assess': 'Assessment',
  'readiness.confirm': 'Launch',
  'readiness.scope': 'Scope questions',
  'step.confirm': 'Step confirmed',
  'phase.advance': 'Phase advanced',
  'framework.revise': 'Revision',
  'framework.restore': 'Version restored',
  'settings.thresholds': 'Thresholds changed',
  'initiative.import': 'Imported',
};

function kindOf(entry: HistoryEntry): 'override' | 'revision' | 'advance' | 'plain' {
  if (entry.override) return 'override';
  if (entry.type === 'framework.revise' || entry.type === 'framework.restore') return 'revision';
  if (entry.type === 'phase.advance' || entry.type === 'readiness.confirm') return 'advance';
  return 'plain';
}

/**
 * The audit history, oldest first: who did what and when, every override with
 * its reason and what was still open, every revision of the boundaries or the
 * framework. Everything is rendered as text, never as HTML.
 */
export function WorkflowTimeline({ history }: { history: HistoryEntry[] }) {
  return (
    <section className="wf-timeline" aria-labelledby="workflow-history-title">
      <h3 id="workflow-history-title" className="section-title">
        History
      </h3>
      {history.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol className="wf-timeline__list">
          {history.map((entry, index) => {
            const kind = kindOf(entry);
            return (
              <li key={`${entry.at}-${index}`} className={`wf-timeline__entry wf-timeline__entry--${kind}`}>
                <p className="wf-timeline__meta">
                  <span className="wf-timeline__type">{kind === 'override' ? `${TYPE_LABELS[entry.type]} · Override` : TYPE_LABELS[entry.type]}</span>{' '}
                  <strong>{entry.by.name}</strong> ({roleLabel(entry.by.role)}) ·{' '}
                  <time dateTime={entry.at}>{formatWhen(entry.at)}</time>
                </p>
                <p className="wf-timeline__summary">{entry.summary}</p>
                {entry.type === 'readiness.scope' && entry.note && <p className="wf-timeline__note">Note: {entry.note}</p>}
                {entry.override && <p className="wf-timeline__override">Override reason: {entry.override.reason}</p>}
                {entry.unmet && entry.unmet.length > 0 && (
                  <details className="wf-timeline__unmet">
                    <summary>Still open at the time ({entry.unmet.length})</summary>
                    <UnmetList unmet={entry.unmet} />
                  </details>
                )}
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

/** The earlier name of the timeline. */
export { WorkflowTimeline as WorkflowHistory };
