/**
 * Dot votes in the live bar: the facilitator opens one on a board's cards
 * (all, or a selection) with a budget and a maximum per card; people place and
 * take back their dots; while open only "N of M finished" shows; once closed,
 * the tally per card with its breakdown by sector and by role.
 */
import { useId, useMemo, useState, type FormEvent } from 'react';
import { BOARD_LABELS, type Board, type InitiativeModel } from '../../machines/entities.ts';
import { BoardOptions } from './BoardOptions.tsx';
import type { VoteView, WorkshopCommand, WorkshopView } from '../contract/workshop.ts';
import { can } from '../contract/permissions.ts';
import { cardsOnBoard, cardTitles } from './cards.ts';
import { VoteResults } from './VoteResults.tsx';

interface Props {
  view: WorkshopView;
  model: InitiativeModel;
  board: Board | undefined;
  runs: boolean;
  takesPart: boolean;
  busy: boolean;
  send(command: WorkshopCommand): Promise<boolean>;
}

export function Votes({ view, model, board, runs, takesPart, busy, send }: Props) {
  const titles = useMemo(() => cardTitles(model), [model]);
  const open = view.votes.find((v) => v.status === 'open') ?? null;
  const closed = [...view.votes].reverse().find((v) => v.status === 'closed') ?? null;
  const [opening, setOpening] = useState(false);
  const voters = view.attendance.people.filter((p) => p.present && can(p.role, 'takePartInWorkshop')).length;

  return (
    <section className="live-tool live-tool--vote" aria-label="Dot vote">
      {open ? (
        <OpenVote
          vote={open}
          titles={titles}
          voters={voters}
          runs={runs}
          takesPart={takesPart}
          busy={busy}
          send={send}
        />
      ) : closed ? (
        <VoteResults vote={closed} titles={titles} heading="Vote results" />
      ) : null}
      {runs && !open && !opening && (
        <button type="button" className="button button--small" onClick={() => setOpening(true)}>
          Open a vote
        </button>
      )}
      {runs && !open && opening && (
        <OpenVoteForm
          model={model}
          board={board}
          busy={busy}
          onCancel={() => setOpening(false)}
          onOpen={async (command) => {
            if (await send(command)) setOpening(false);
          }}
        />
      )}
    </section>
  );
}

interface OpenVoteProps {
  vote: VoteView;
  titles: Map<string, string>;
  voters: number;
  runs: boolean;
  takesPart: boolean;
  busy: boolean;
  send(command: WorkshopCommand): Promise<boolean>;
}

function OpenVote({ vote, titles, voters, runs, takesPart, busy, send }: OpenVoteProps) {
  const mine = vote.mine ?? {};
  const used = Object.values(mine).reduce((sum, n) => sum + n, 0);
  const left = vote.budget - used;
  return (
    <div className="vote">
      <h3 className="live-tool__title">
        Dot vote open{vote.board ? ` on the ${BOARD_LABELS[vote.board].toLowerCase()}` : ''}
      </h3>
      <p className="live-tool__meta">
        {vote.budget} dots each, at most {vote.maxPerCard} per card{vote.anonymous ? ', anonymous' : ', names kept'}.{' '}
        <strong data-testid="vote-finished">
          {vote.finished} of {Math.max(voters, vote.finished)} finished
        </strong>
        . Tallies show when the vote closes.
      </p>
      {takesPart && (
        <p className="vote__left" aria-live="polite">
          {left === 0 ? 'You have placed all your dots.' : `You have ${left} of ${vote.budget} dots left.`}
        </p>
      )}
      <ul className="vote__cards" aria-label="Cards in this vote">
        {vote.cards.map((card) => {
          const title = titles.get(card) ?? 'A card no longer on the board';
          const dots = mine[card] ?? 0;
          return (
            <li key={card} className="vote__card">
              <span className="vote__card-title">{title}</span>
              {takesPart && (
                <span className="vote__dots">
                  <span className="vote__dot-row" aria-label={`Your dots: ${dots}`}>
                    {Array.from({ length: vote.maxPerCard }, (_, i) => (
                      <span key={i} className={`vote__dot${i < dots ? ' vote__dot--on' : ''}`} aria-hidden="true" />
                    ))}
                  </span>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Take back a dot from ${title}`}
                    disabled={busy || dots === 0}
                    onClick={() => void send({ type: 'vote.retract', voteId: vote.id, card })}
                  >
                    −
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={`Place a dot on ${title}`}
                    disabled={busy || left === 0 || dots >= vote.maxPerCard}
                    onClick={() => void send({ type: 'vote.cast', voteId: vote.id, card })}
                  >
                    +
                  </button>
                </span>
              )}
            </li>
          );
        })}
      </ul>
      {runs && (
        <button
          type="button"
          className="button button--primary button--small"
          disabled={busy}
          onClick={() => void send({ type: 'vote.close', voteId: vote.id })}
        >
          Close the vote
        </button>
      )}
    </div>
  );
}

interface FormProps {
  model: InitiativeModel;
  board: Board | undefined;
  busy: boolean;
  onCancel(): void;
  onOpen(command: WorkshopCommand): Promise<void>;
}

function OpenVoteForm({ model, board: itemBoard, busy, onCancel, onOpen }: FormProps) {
  const id = useId();
  const [board, setBoard] = useState<Board>(itemBoard ?? 'framework');
  const [which, setWhich] = useState<'all' | 'some'>('all');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [budget, setBudget] = useState(3);
  const [maxPerCard, setMax] = useState(2);
  const [anonymous, setAnonymous] = useState(true);
  const cards = useMemo(() => cardsOnBoard(model, board), [model, board]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const base = { type: 'vote.open' as const, budget, maxPerCard, anonymous };
    // The list is always sent: the vote is on the cards this person sees on the board.
    const ids = (which === 'all' ? cards : cards.filter((c) => chosen.has(c.id))).map((c) => c.id);
    void onOpen({ ...base, board, cards: ids });
  }

  return (
    <form className="vote-form" onSubmit={submit} aria-label="Open a vote">
      <label>
        Board
        <select value={board} onChange={(e) => setBoard(e.target.value as Board)}>
          <BoardOptions />
        </select>
      </label>
      <fieldset className="vote-form__which">
        <legend>Cards</legend>
        <label>
          <input type="radio" name={`${id}-which`} checked={which === 'all'} onChange={() => setWhich('all')} />
          All {cards.length} on the board
        </label>
        <label>
          <input type="radio" name={`${id}-which`} checked={which === 'some'} onChange={() => setWhich('some')} />A
          selection
        </label>
      </fieldset>
      {which === 'some' && (
        <ul className="vote-form__cards" aria-label="Choose the cards">
          {cards.map((card) => (
            <li key={card.id}>
              <label>
                <input
                  type="checkbox"
                  checked={chosen.has(card.id)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.target.checked) next.add(card.id);
                    else next.delete(card.id);
                    setChosen(next);
                  }}
                />
                {card.title}
              </label>
            </li>
          ))}
        </ul>
      )}
      <label>
        Dots per person
        <input type="number" min={1} max={100} value={budget} onChange={(e) => setBudget(Number(e.target.value))} />
      </label>
      <label>
        At most per card
        <input type="number" min={1} max={budget} value={maxPerCard} onChange={(e) => setMax(Number(e.target.value))} />
      </label>
      <label className="live-bar__toggle">
        <input type="checkbox" checked={anonymous} onChange={(e) => setAnonymous(e.target.checked)} />
        Anonymous (nobody sees who placed which dot)
      </label>
      <div className="vote-form__actions">
        <button type="button" className="button button--ghost button--small" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary button--small" disabled={busy}>
          Open the vote
        </button>
      </div>
    </form>
  );
}
