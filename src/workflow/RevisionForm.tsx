import { useId, useRef, useState, type FormEvent } from 'react';
import type { RevisionPart } from '../../machines/index.ts';
import { closeDisclosure, NoteField } from './NoteField.tsx';
import type { Outcome } from './useCommands.ts';

const PART_LABELS: Record<RevisionPart | 'both', string> = {
  boundaries: 'The boundaries',
  framework: 'The strategic action framework',
  both: 'Both, or not one in particular',
};

interface Props {
  busy: boolean;
  onRevise: (note: string, part?: RevisionPart) => Promise<Outcome>;
}

/**
 * Boundaries and frameworks are working hypotheses, revised as the group learns:
 * a revision is recorded in the history without leaving the phase.
 */
export function RevisionForm({ busy, onRevise }: Props) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [part, setPart] = useState<RevisionPart | 'both'>('framework');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) return;
    const outcome = await onRevise(note.trim(), part === 'both' ? undefined : part);
    if (!outcome.ok) return setError(outcome.error);
    setNote('');
    setError(null);
    closeDisclosure(form.current);
  }

  function cancel() {
    setNote('');
    setError(null);
    closeDisclosure(form.current);
  }

  return (
    <details className="disclosure wf-revision">
      <summary>Record a revision</summary>
      <form ref={form} aria-label="Record a revision" onSubmit={submit}>
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
        <NoteField
          id={`${id}-note`}
          label="What changed and why"
          value={note}
          error={error}
          onChange={(value) => {
            setNote(value);
            setError(null);
          }}
        />
        <div className="wf-form-actions">
          <button type="submit" className="button button--small button--primary" disabled={busy || !note.trim()}>
            Record revision
          </button>
          <button type="button" className="button button--small" onClick={cancel}>
            Cancel
          </button>
        </div>
      </form>
    </details>
  );
}
