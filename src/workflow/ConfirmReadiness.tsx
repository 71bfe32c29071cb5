import { useId, useState, type FormEvent } from 'react';
import type { Unmet } from '../../machines/readiness.ts';

interface Props {
  unmet: Unmet[];
  busy: boolean;
  onConfirm: (override?: { reason: string }) => Promise<boolean>;
}

/** Confirm readiness (moves into Phase I), or launch anyway with a recorded reason. */
export function ConfirmReadiness({ unmet, busy, onConfirm }: Props) {
  const id = useId();
  const [reason, setReason] = useState('');
  const blocked = unmet.length > 0;

  async function override(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (await onConfirm({ reason })) setReason('');
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
          <form className="override-form" onSubmit={override}>
            <p className="muted">
              Launching without every precondition met is recorded in the history with your reason.
            </p>
            <div className="field">
              <label htmlFor={`${id}-reason`}>Reason for the override</label>
              <textarea
                id={`${id}-reason`}
                rows={3}
                required
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            </div>
            <button type="submit" className="button button--warning" disabled={busy || !reason.trim()}>
              Override and launch
            </button>
          </form>
        </details>
      )}
    </section>
  );
}
