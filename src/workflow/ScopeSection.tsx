import type { ScopeAnswers, ScopeRecord, TimeEstimate as Estimate } from '../../machines/index.ts';
import { ScopeQuestions } from './ScopeQuestions.tsx';
import { TimeEstimate } from './TimeEstimate.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  scope: ScopeRecord | null;
  estimate: Estimate;
  onSave?: (answers: ScopeAnswers, note?: string) => Promise<Outcome>;
  busy: boolean;
}

/** The time estimate for the first two phases and the three questions it rests on. */
export function ScopeSection({ scope, estimate, onSave, busy }: Props) {
  return (
    <section className="wf-scope-section" aria-labelledby="wf-scope-title">
      <h3 id="wf-scope-title" className="section-title">
        Time estimate for Phase I and Phase II
      </h3>
      <TimeEstimate estimate={estimate} />
      <details className="disclosure" open={!scope && !!onSave}>
        <summary>{scope ? 'Scope questions' : 'Answer the scope questions'}</summary>
        <ScopeQuestions scope={scope} onSave={onSave} busy={busy} />
      </details>
    </section>
  );
}
