import { NOTE_MAX_LENGTH } from '../../machines/index.ts';

interface Props {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** Why the server refused this value: shown beside the field until the value changes or the form is cancelled. */
  error?: string | null;
  hint?: string;
  rows?: number;
  required?: boolean;
  placeholder?: string;
}

/** Show how much room is left once a note is this close to the limit. */
const COUNT_FROM = NOTE_MAX_LENGTH - 400;

/**
 * The text field of every workflow form (evidence, notes, reasons): it stops at
 * the length the API accepts, says how much room is left near the end, and keeps
 * the server's refusal next to what the person typed.
 */
export function NoteField({ id, label, value, onChange, error, hint, rows = 3, required = true, placeholder }: Props) {
  const described = [hint && `${id}-hint`, error && `${id}-error`, value.length >= COUNT_FROM && `${id}-count`]
    .filter(Boolean)
    .join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="wf-hint">
          {hint}
        </p>
      )}
      <textarea
        id={id}
        rows={rows}
        required={required}
        maxLength={NOTE_MAX_LENGTH}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        value={value}
        onChange={(event) => onChange(event.target.value)}
      />
      {value.length >= COUNT_FROM && (
        <p id={`${id}-count`} className="wf-hint" aria-live="polite">
          {value.length} of {NOTE_MAX_LENGTH} characters
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="wf-field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Closes the disclosure a form sits in (its Cancel button). */
export function closeDisclosure(element: HTMLElement | null): void {
  const details = element?.closest('details');
  if (details) details.open = false;
}
