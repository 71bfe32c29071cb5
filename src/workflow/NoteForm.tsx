import { useId, useState, type FormEvent } from 'react';

interface Props {
  /** The form's accessible name. */
  name: string;
  /** The text field's label. */
  label: string;
  hint?: string;
  submitLabel: string;
  tone?: 'primary' | 'warning';
  busy: boolean;
  /** Answers whether the server accepted; the note is cleared when it did. */
  onSubmit: (note: string) => Promise<boolean>;
}

/** A required note and one button: used to confirm a step, record a revision, override an advance. */
export function NoteForm({ name, label, hint, submitLabel, tone = 'primary', busy, onSubmit }: Props) {
  const id = useId();
  const [note, setNote] = useState('');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!note.trim()) return;
    if (await onSubmit(note.trim())) setNote('');
  }

  return (
    <form className="wf-note-form" aria-label={name} onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-note`}>{label}</label>
        {hint && (
          <p id={`${id}-hint`} className="wf-hint">
            {hint}
          </p>
        )}
        <textarea
          id={`${id}-note`}
          rows={3}
          required
          aria-describedby={hint ? `${id}-hint` : undefined}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
      </div>
      <button type="submit" className={`button button--small button--${tone}`} disabled={busy || !note.trim()}>
        {submitLabel}
      </button>
    </form>
  );
}
