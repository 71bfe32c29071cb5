import type { AuditEntry } from '../contract/answers.ts';
import { formatMoment } from '../kit/when.ts';
import { auditSentence } from './auditWords.ts';

/** The membership record, newest first, in sentences with their time. */
export function AuditList({ entries }: { entries: AuditEntry[] }) {
  if (entries.length === 0) return <p className="muted">No membership changes yet.</p>;
  return (
    <ol className="people-record">
      {entries.map((entry) => (
        <li key={entry.id}>
          <span>{auditSentence(entry)}</span>
          <span className="people-record__time">
            {' · '}
            <time dateTime={entry.at}>{formatMoment(entry.at)}</time>
          </span>
        </li>
      ))}
    </ol>
  );
}
