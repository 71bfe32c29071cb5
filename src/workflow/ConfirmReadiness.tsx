import { useId } from 'react';
import type { Unmet } from '../../machines/readiness.ts';
import { NoteForm } from './NoteForm.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  unmet: Unmet[];
  busy: boolean;
  onConfirm: (override?: { reason: string }) => Promise<Outcome>;
}

/** Confirm readiness (moves into Phase I), or launch anyway with a recorded reason. */
export function ConfirmReadiness({ unmet, busy, onConfirm }: Props) {
  const id = useId();
  const blocked = unmet.length > 0;

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
          <NoteForm
            name="Override and launch"
            label="Reason for the override"
            hint="Launching without every precondition met is recorded in the history with your reason."
            submitLabel="Override and launch"
            tone="warning"
            busy={busy}
            onSubmit={(reason) => onConfirm({ reason })}
          />
        </details>
      )}
    </section>
  );
}
