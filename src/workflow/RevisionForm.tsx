import { useId, useState, type FormEvent } from 'react';
import type { RevisionPart } from '../../machines/index.ts';

const PART_LABELS: Record<RevisionPart | 'both', string> = {
  boundaries: 'The boundaries',
  framework: 'The strategic action framework',
  both: 'Both, or not one in particular',
};

interface Props {
  busy: boolean;
  onRevise: (note: string, part?: RevisionPart) => Promise<boolean>;
}

/**
 * Boundaries and frameworks are working hypotheses, revised as the group learns:
 * a revision is recorded in the history without leaving the phase.
 */
export function RevisionForm({ busy, onRevise }: Props) {
  const id = useId();
  const [part, setPart] = useState<RevisionPart | 'both'>('framework');
  const [note, setNote] = useState('');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) return;
    if (await onRevise(note.trim(), part === 'both' ? undefined : part)) setNote('');
  }

  return (
    <details className="disclosure wf-revision">
      <summary>Record a revision</summary>
      <form aria-label="Record a revision" onSubmit={submit}>
        <p className="wf-hint">
          Boundaries and frameworks change over time: record what changed and why, without going back a phase.
        </p>
        <div className="field">
          <label htmlFor={`${id}-part`}>What was revised</label>
          <select id={`${id}-part`} value={part} onChange={(e) => setPart(e.target.value as RevisionPart | 'both')}>
            {(Object.keys(PART_LABELS) as (RevisionPart | 'both')[]).map((value) => (
              <option key={value} value={value}>
                {PART_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>What changed and why</label>
          <textarea id={`${id}-note`} rows={3} required value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
        <button type="submit" className="button button--small button--primary" disabled={busy || !note.trim()}>
          Record revision
        </button>
      </form>
    </details>
  );
}
