import { useId, useRef, useState, type FormEvent } from 'react';
import { closeDisclosure, NoteField } from './NoteField.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  /** The form's accessible name. */
  name: string;
  /** The text field's label. */
  label: string;
  hint?: string;
  submitLabel: string;
  tone?: 'primary' | 'warning';
  busy: boolean;
  /**
   * A question asked before sending, when set (for example before replacing a
   * note someone confirmed): the form sends only once the person answers yes.
   */
  ask?: { question: string; yes: string; no: string };
  /** Accepted: the note is cleared and the form closes. Refused: the note stays, with the server's words. */
  onSubmit: (note: string) => Promise<Outcome>;
}

/** A required note and one button: used to confirm a step, record a revision, override an advance. */
export function NoteForm({ name, label, hint, submitLabel, tone = 'primary', busy, ask, onSubmit }: Props) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) return;
    if (ask && !asking) return setAsking(true);
    setAsking(false);
    const outcome = await onSubmit(note.trim());
    if (!outcome.ok) return setError(outcome.error);
    setNote('');
    setError(null);
    closeDisclosure(form.current);
  }

  function cancel() {
    setAsking(false);
    setNote('');
    setError(null);
    closeDisclosure(form.current);
  }

  return (
    <form ref={form} className="wf-note-form" aria-label={name} onSubmit={submit}>
      <NoteField
        id={`${id}-note`}
        label={label}
        hint={hint}
        value={note}
        error={error}
        onChange={(value) => {
          setNote(value);
          setError(null);
          setAsking(false);
        }}
      />
      {ask && asking ? (
        <div className="wf-replace-note" role="group" aria-labelledby={`${id}-ask`}>
          <p id={`${id}-ask`} role="status">
            {ask.question}
          </p>
          <div className="wf-form-actions">
            <button type="submit" className="button button--small button--warning" disabled={busy}>
              {ask.yes}
            </button>
            <button type="button" className="button button--small" onClick={() => setAsking(false)}>
              {ask.no}
            </button>
          </div>
        </div>
      ) : (
        <div className="wf-form-actions">
          <button type="submit" className={`button button--small button--${tone}`} disabled={busy || !note.trim()}>
            {submitLabel}
          </button>
          <button type="button" className="button button--small" onClick={cancel}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}
