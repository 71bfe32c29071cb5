/**
 * Private brainstorming in the live bar: each participant writes cards only
 * they see (the server keeps them out of the shared document and sends them to
 * nobody else); the facilitator reveals them onto the item's board, with or
 * without names, grouped by author or by sector.
 */
import { useId, useState, type FormEvent } from 'react';
import type { Board } from '../../machines/entities.ts';
import { BoardOptions } from './BoardOptions.tsx';
import type { AgendaItem } from '../../machines/workshop/agenda.ts';
import { NOTE_LIMITS } from '../../machines/workshop/notes.ts';
import type { WorkshopCommand, WorkshopView } from '../contract/workshop.ts';

interface Props {
  view: WorkshopView;
  item: AgendaItem;
  runs: boolean;
  takesPart: boolean;
  busy: boolean;
  send(command: WorkshopCommand): Promise<boolean>;
}

export function Brainstorm({ view, item, runs, takesPart, busy, send }: Props) {
  const id = useId();
  const [text, setText] = useState('');
  const [board, setBoard] = useState<Board>(item.board ?? 'stakeholders');
  const [names, setNames] = useState(true);
  const [groupBy, setGroupBy] = useState<'author' | 'sector'>('author');
  const writing = takesPart && item.activity === 'brainstorm';
  const mine = view.privateCards;

  async function add(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    const ok = await send({ type: 'private.add', text: text.trim(), board: item.board ?? board });
    if (ok) setText('');
  }

  return (
    <section className="live-tool live-tool--brainstorm" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="live-tool__title">
        Private cards
      </h3>
      {writing && (
        <form className="private-form" onSubmit={(e) => void add(e)}>
          <label htmlFor={`${id}-text`} className="visually-hidden">
            Your private card
          </label>
          <textarea
            id={`${id}-text`}
            rows={2}
            maxLength={NOTE_LIMITS.textMax}
            placeholder="Write an idea: only you see it until the facilitator reveals"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) void add(e);
            }}
          />
          {!item.board && (
            <label className="private-form__board">
              Board
              <select value={board} onChange={(e) => setBoard(e.target.value as Board)}>
                <BoardOptions />
              </select>
            </label>
          )}
          <button type="submit" className="button button--small" disabled={busy || !text.trim()}>
            Add card
          </button>
        </form>
      )}
      {mine.length > 0 && (
        <div className="private-cards">
          <p className="private-cards__hint">Only you see these until the facilitator reveals:</p>
          <ul aria-label="Your private cards">
            {mine.map((card) => (
              <li key={card.id} className="private-card">
                {card.text}
              </li>
            ))}
          </ul>
        </div>
      )}
      <p className="live-tool__meta" data-testid="private-held">
        {view.privateHeld === 1 ? '1 private card' : `${view.privateHeld} private cards`} written so far
        {view.revealed > 0 ? ` · ${view.revealed} revealed` : ''}
      </p>
      {runs && (
        <div className="reveal" role="group" aria-label="Reveal the private cards">
          <label className="live-bar__toggle">
            <input type="checkbox" checked={names} onChange={(e) => setNames(e.target.checked)} />
            Show who wrote each
          </label>
          <label>
            Group by{' '}
            <select value={groupBy} onChange={(e) => setGroupBy(e.target.value as 'author' | 'sector')}>
              <option value="author">author</option>
              <option value="sector">sector</option>
            </select>
          </label>
          <button
            type="button"
            className="button button--primary button--small"
            disabled={busy || view.privateHeld === 0}
            onClick={() => void send({ type: 'private.reveal', anonymous: !names, groupBy })}
          >
            Reveal {view.privateHeld === 1 ? '1 card' : `${view.privateHeld} cards`}
          </button>
        </div>
      )}
    </section>
  );
}
