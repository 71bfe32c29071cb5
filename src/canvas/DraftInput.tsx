import { useId, useState } from 'react';

/**
 * A plain input edited as a draft and written on blur or Enter, so a remote
 * change never jumps under the cursor. A draft the schema refuses stays in the
 * field with its error until it is fixed, or cancelled with Escape.
 */
export function DraftInput({
  label,
  type,
  value,
  maxLength,
  onCommit,
  onCancel,
  error,
}: {
  label: string;
  type: 'text' | 'number';
  value: string;
  maxLength?: number;
  /** Answers false when the value was refused. */
  onCommit: (next: string) => boolean;
  onCancel: () => void;
  error: string | null;
}) {
  const id = useId();
  const [draft, setDraft] = useState<string | null>(null);
  const commit = () => {
    if (draft === null) return;
    if (draft === value || onCommit(draft)) setDraft(null);
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        step={type === 'number' ? 'any' : undefined}
        maxLength={maxLength}
        value={draft ?? value}
        onChange={(e) => setDraft(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            setDraft(null);
            onCancel();
          }
        }}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
