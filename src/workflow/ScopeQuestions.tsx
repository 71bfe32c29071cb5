import { useId, useState, type FormEvent } from 'react';
import {
  SCOPE_ANSWERS,
  SCOPE_QUESTION_INFO,
  SCOPE_QUESTIONS,
  type ScopeAnswers,
  type ScopeRecord,
} from '../../machines/index.ts';
import { formatWhen } from './format.ts';
import { NoteField } from './NoteField.tsx';
import type { Outcome } from './useCommands.ts';

interface Props {
  scope: ScopeRecord | null;
  /** Absent for people who may only read the answers. */
  onSave?: (answers: ScopeAnswers, note?: string) => Promise<Outcome>;
  busy: boolean;
}

type Draft = Partial<ScopeAnswers>;

/**
 * The three questions behind the time estimate: scope of the problem, existing
 * collaboration, breadth of community engagement (event `readiness.scope`).
 */
export function ScopeQuestions({ scope, onSave, busy }: Props) {
  if (!onSave) {
    return (
      <dl className="wf-scope__answers">
        {SCOPE_QUESTIONS.map((q) => (
          <div key={q}>
            <dt>{SCOPE_QUESTION_INFO[q].label}</dt>
            <dd>{scope ? SCOPE_QUESTION_INFO[q].answers[scope[q]]?.label : 'Not answered yet'}</dd>
          </div>
        ))}
      </dl>
    );
  }
  return <ScopeForm key={scope?.at ?? 'unanswered'} scope={scope} onSave={onSave} busy={busy} />;
}

function ScopeForm({ scope, onSave, busy }: Required<Props>) {
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() =>
    scope ? { problem: scope.problem, collaboration: scope.collaboration, engagement: scope.engagement } : {},
  );
  const [note, setNote] = useState(scope?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  const complete = SCOPE_QUESTIONS.every((q) => draft[q] !== undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!complete) return;
    const outcome = await onSave(draft as ScopeAnswers, note.trim() || undefined);
    setError(outcome.ok ? null : outcome.error);
  }

  return (
    <form className="wf-scope" aria-label="Scope questions" onSubmit={submit}>
      {SCOPE_QUESTIONS.map((q) => {
        const info = SCOPE_QUESTION_INFO[q];
        return (
          <fieldset key={q} className="wf-scope__question">
            <legend>
              <span className="wf-scope__label">{info.label}</span>
              <span className="wf-scope__question-text">{info.question}</span>
            </legend>
            {SCOPE_ANSWERS[q].map((answer) => (
              <label key={answer} className="wf-scope__option">
                <input
                  type="radio"
                  name={`${id}-${q}`}
                  value={answer}
                  checked={draft[q] === answer}
                  onChange={() => setDraft((d) => ({ ...d, [q]: answer }))}
                />
                {info.answers[answer].label}
              </label>
            ))}
          </fieldset>
        );
      })}
      <NoteField
        id={`${id}-note`}
        label="Note (optional)"
        rows={2}
        required={false}
        value={note}
        error={error}
        onChange={(value) => {
          setNote(value);
          setError(null);
        }}
      />
      <button type="submit" className="button button--small button--primary" disabled={busy || !complete}>
        Save answers
      </button>
      {scope && (
        <p className="wf-hint">
          Last answered by {scope.by.name} on <time dateTime={scope.at}>{formatWhen(scope.at)}</time>.
        </p>
      )}
    </form>
  );
}
