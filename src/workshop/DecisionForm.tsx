/**
 * A `decide` item's form: what was decided, the vote it came from, and the
 * judgement step it confirms (through the workflow's own `step.confirm`, with
 * the decision as its note). The decisions recorded so far are listed under it.
 */
import { useId, useState, type FormEvent } from 'react';
import { STEPS } from '../../machines/catalogue.ts';
import { NOTE_MAX_LENGTH } from '../../machines/events.ts';
import type { AgendaItem } from '../../machines/workshop/agenda.ts';
import type { WorkshopCommand, WorkshopView } from '../contract/workshop.ts';

interface Props {
  view: WorkshopView;
  item: AgendaItem;
  busy: boolean;
  send(command: WorkshopCommand): Promise<boolean>;
}

/** Only judgement steps can be confirmed by a decision. */
const JUDGEMENT_STEPS = STEPS.filter((s) => s.confirm);

export function DecisionForm({ view, item, busy, send }: Props) {
  const id = useId();
  const closedVotes = view.votes.filter((v) => v.status === 'closed');
  const [text, setText] = useState('');
  const [voteId, setVoteId] = useState(closedVotes.at(-1)?.id ?? '');
  const itemStep = JUDGEMENT_STEPS.some((s) => s.id === item.step) ? item.step! : '';
  const [step, setStep] = useState(itemStep);

  async function record(event: FormEvent) {
    event.preventDefault();
    const command: WorkshopCommand = { type: 'decision.record', text: text.trim() };
    if (voteId) command.voteId = voteId;
    if (step) command.step = step;
    if (await send(command)) setText('');
  }

  return (
    <section className="live-tool live-tool--decide" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="live-tool__title">
        Record a decision
      </h3>
      <form className="decision-form" onSubmit={(e) => void record(e)}>
        <label htmlFor={`${id}-text`}>What was decided</label>
        <textarea
          id={`${id}-text`}
          rows={2}
          maxLength={NOTE_MAX_LENGTH}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <div className="decision-form__row">
          <label>
            From the vote
            <select value={voteId} onChange={(e) => setVoteId(e.target.value)}>
              <option value="">None</option>
              {closedVotes.map((v, i) => (
                <option key={v.id} value={v.id}>
                  Vote {i + 1}
                </option>
              ))}
            </select>
          </label>
          <label>
            Confirms the step
            <select value={step} onChange={(e) => setStep(e.target.value)}>
              <option value="">None</option>
              {JUDGEMENT_STEPS.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="button button--primary button--small" disabled={busy || !text.trim()}>
            Record the decision
          </button>
        </div>
      </form>
      {view.decisions.length > 0 && (
        <ul className="decision-list" aria-label="Decisions so far">
          {view.decisions.map((d) => (
            <li key={d.id}>{d.text}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
