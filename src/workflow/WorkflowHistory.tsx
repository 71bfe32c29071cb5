import type { HistoryEntry } from '../../machines/workflow.ts';
import { formatWhen } from './format.ts';

/** Every accepted workflow step, oldest first: who, when, what, and any override reason. */
export function WorkflowHistory({ history }: { history: HistoryEntry[] }) {
  return (
    <section className="workflow-history" aria-labelledby="workflow-history-title">
      <h4 id="workflow-history-title">History</h4>
      {history.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <ol>
          {history.map((entry, index) => (
            <li key={`${entry.at}-${index}`}>
              <p className="workflow-history__meta">
                <strong>{entry.by.name}</strong> · <time dateTime={entry.at}>{formatWhen(entry.at)}</time>
              </p>
              <p>{entry.summary}</p>
              {entry.override && <p className="workflow-history__override">Override reason: {entry.override.reason}</p>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
