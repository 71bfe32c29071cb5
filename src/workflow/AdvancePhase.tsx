import { useId } from 'react';
import { NEXT_PHASE, PHASE_LABELS, type Phase, type Unmet } from '../../machines/index.ts';
import { NoteForm } from './NoteForm.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  phase: Phase;
  /** What stops the advance, from the live document. */
  unmet: Unmet[];
  busy: boolean;
  onAdvance: (override?: { reason: string }) => Promise<Outcome>;
}

/** Into the next phase: enabled once all four components are complete; otherwise only with an override and a reason. */
export function AdvancePhase({ phase, unmet, busy, onAdvance }: Props) {
  const id = useId();
  const next = NEXT_PHASE[phase];
  if (!next) {
    return (
      <section className="wf-advance" aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`} className="section-title">
          Next phase
        </h3>
        <p className="muted">{PHASE_LABELS[phase]} is the last phase: it can last a decade or more.</p>
      </section>
    );
  }
  const blocked = unmet.length > 0;
  return (
    <section className="wf-advance" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="section-title">
        Next phase
      </h3>
      <p id={`${id}-why`} className="wf-advance__why">
        {blocked
          ? `${unmet.length} ${unmet.length === 1 ? 'condition is' : 'conditions are'} still open (listed under "What is missing"): the phase advances once all four components are complete, or with an override.`
          : `All four components for success are complete: the group can move into ${PHASE_LABELS[next]}.`}
      </p>
      <button
        type="button"
        className="button button--primary"
        disabled={blocked || busy}
        aria-describedby={`${id}-why`}
        onClick={() => void onAdvance()}
      >
        Advance to {PHASE_LABELS[next]}
      </button>
      {blocked && (
        <details className="disclosure">
          <summary>Advance with override</summary>
          <NoteForm
            name="Advance with override"
            label="Reason for the override"
            hint="Moving on with conditions still open is recorded in the history, with your reason and what was missing."
            submitLabel="Advance with override"
            tone="warning"
            busy={busy}
            onSubmit={(reason) => onAdvance({ reason })}
          />
        </details>
      )}
    </section>
  );
}
