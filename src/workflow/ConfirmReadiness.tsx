import { useId, useRef, useState, type FormEvent } from 'react';
import type { Unmet } from '../../machines/readiness.ts';
import { closeDisclosure, NoteField } from './NoteField.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  unmet: Unmet[];
  busy: boolean;
  onConfirm: (override?: { reason: string }) => Promise<Outcome>;
}

/** Confirm readiness (moves into Phase I), or launch anyway with a recorded reason. */
export function ConfirmReadiness({ unmet, busy, onConfirm }: Props) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const blocked = unmet.length > 0;

  async function override(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const outcome = await onConfirm({ reason });
    if (outcome.ok) setReason('');
    setError(outcome.ok ? null : outcome.error);
  }

  function cancel() {
    setReason('');
    setError(null);
    closeDisclosure(form.current);
  }

  return (
    <section className="confirm-readiness" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Launch</h4>
      {blocked ? (
        <div id={`${id}-unmet`} className="confirm-readiness__unmet">
          <p>Readiness can be confirmed once all three preconditions are met:</p>
          <ul>
            {unmet.map((item, index) => (
              <li key={`${item.precondition ?? 'step'}-${index}`}>{item.message}</li>
            ))}
          </ul>
        </div>
      ) : (
        <p>All three preconditions are met. Confirming moves the initiative into Phase I: Initiate Action.</p>
      )}
      <button
        type="button"
        className="button button--primary"
        disabled={blocked || busy}
        aria-describedby={blocked ? `${id}-unmet` : undefined}
        onClick={() => void onConfirm()}
      >
        Confirm readiness
      </button>
      {blocked && (
        <details className="disclosure">
          <summary>Override and launch</summary>
          <form ref={form} className="override-form" onSubmit={override}>
            <p className="muted">
              Launching without every precondition met is recorded in the history with your reason.
            </p>
            <NoteField
              id={`${id}-reason`}
              label="Reason for the override"
              value={reason}
              error={error}
              onChange={(value) => {
                setReason(value);
                setError(null);
              }}
            />
            <div className="wf-form-actions">
              <button type="submit" className="button button--warning" disabled={busy || !reason.trim()}>
                Override and launch
              </button>
              <button type="button" className="button button--small" onClick={cancel}>
                Cancel
              </button>
            </div>
          </form>
        </details>
      )}
    </section>
  );
}
