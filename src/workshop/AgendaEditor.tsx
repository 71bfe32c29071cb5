/**
 * Planning a workshop (issue #11, point 1): its title, when it starts, and an
 * agenda of items (title, minutes, activity, board, prompt, the step it
 * serves). Start times follow from the durations. Items are reordered by
 * dragging their handle, or from the keyboard: Alt+Up/Down on an item, or its
 * Move up / Move down buttons. "Suggest an agenda" proposes one item per open
 * step of the current phase, in the step catalogue's words.
 */
import { useRef, useState, type DragEvent, type FormEvent, type KeyboardEvent } from 'react';
import { STEPS } from '../../machines/catalogue.ts';
import type { Board } from '../../machines/entities.ts';
import { BoardOptions } from './BoardOptions.tsx';
import type { Unmet } from '../../machines/readiness.ts';
import {
  ACTIVITIES,
  ACTIVITY_LABELS,
  AGENDA_LIMITS,
  moveItem,
  plannedTimes,
  suggestAgenda,
  totalMinutes,
  type Activity,
  type AgendaItem,
} from '../../machines/workshop/agenda.ts';
import type { NewWorkshop } from '../contract/workshop.ts';
import { afterStart, clockTime, localToIso, minutesWords } from './format.ts';

interface Draft extends AgendaItem {
  key: number;
}

interface Props {
  /** The workflow's open steps (its view's `unmet`), for "Suggest an agenda"; null while loading. */
  unmet: readonly Unmet[] | null;
  busy: boolean;
  problem: string | null;
  onCreate(body: NewWorkshop): void;
  onCancel(): void;
}

let keys = 0;
const blank = (): Draft => ({ key: ++keys, title: '', minutes: 15, activity: 'discuss' });

export function AgendaEditor({ unmet, busy, problem, onCreate, onCancel }: Props) {
  const [title, setTitle] = useState('');
  const [date, setDate] = useState('');
  const [items, setItems] = useState<Draft[]>(() => [blank()]);
  const [announce, setAnnounce] = useState('');
  const [dragging, setDragging] = useState<number | null>(null);
  const rows = useRef(new Map<number, HTMLLIElement>());
  const suggestion = unmet ? suggestAgenda(unmet) : [];

  const startIso = localToIso(date);
  const start = startIso ? Date.parse(startIso) : null;
  const times = plannedTimes(items, start ?? 0);

  const change = (key: number, patch: Partial<AgendaItem>) =>
    setItems((list) => list.map((item) => (item.key === key ? { ...item, ...patch } : item)));

  function move(from: number, to: number, focus: 'row' | 'up' | 'down' = 'row') {
    if (to < 0 || to >= items.length || from === to) return;
    const moved = items[from];
    setItems(moveItem(items, from, to));
    setAnnounce(`“${moved.title || 'Untitled item'}” moved to place ${to + 1} of ${items.length}.`);
    // The moved item keeps the focus, so a second Alt+Arrow moves it further.
    requestAnimationFrame(() => {
      const row = rows.current.get(moved.key);
      const target =
        focus === 'row' ? row : (row?.querySelector<HTMLButtonElement>(`[data-move="${focus}"]:not(:disabled)`) ?? row);
      target?.focus();
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>, index: number) {
    if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    move(index, event.key === 'ArrowUp' ? index - 1 : index + 1);
  }

  function onDrop(event: DragEvent, index: number) {
    event.preventDefault();
    if (dragging !== null) move(dragging, index);
    setDragging(null);
  }

  function suggest() {
    const keep = items.filter((item) => item.title.trim() !== '');
    const added = suggestion.map((item) => ({ ...item, key: ++keys }));
    setItems([...keep, ...added].slice(0, AGENDA_LIMITS.itemsMax));
    setAnnounce(`${added.length} items suggested for the open steps.`);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const agenda = items.map(({ key: _key, ...item }) => {
      const clean: AgendaItem = { title: item.title.trim(), minutes: item.minutes, activity: item.activity };
      if (item.board) clean.board = item.board;
      if (item.prompt?.trim()) clean.prompt = item.prompt.trim();
      if (item.step) clean.step = item.step;
      return clean;
    });
    const body: NewWorkshop = { title: title.trim(), agenda };
    if (startIso) body.date = startIso;
    onCreate(body);
  }

  return (
    <form className="agenda-editor" onSubmit={submit} aria-label="Plan a workshop">
      <div className="agenda-editor__head">
        <label className="field">
          <span>Workshop title</span>
          <input value={title} required maxLength={AGENDA_LIMITS.titleMax} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label className="field">
          <span>Starts</span>
          <input type="datetime-local" value={date} onChange={(e) => setDate(e.target.value)} />
        </label>
        <p className="agenda-editor__total">
          {items.length} {items.length === 1 ? 'item' : 'items'}, {minutesWords(totalMinutes(items))}
          {start !== null && items.length > 0 ? `, ends ${clockTime(times.at(-1)!.endsAt)}` : ''}
        </p>
      </div>
      <div className="agenda-editor__suggest">
        <button
          type="button"
          className="button button--small"
          onClick={suggest}
          disabled={suggestion.length === 0}
          title={
            unmet === null
              ? 'Loading the workflow…'
              : suggestion.length === 0
                ? 'No open steps in this phase.'
                : undefined
          }
        >
          Suggest an agenda
        </button>
        <span className="agenda-editor__hint">
          {unmet !== null && suggestion.length === 0
            ? 'Nothing to suggest: suggestions follow the open steps of a phase, and this initiative has none open now.'
            : 'One item for each open step of the current phase.'}{' '}
          Reorder by dragging ⠿, or with Alt+↑ / Alt+↓.
        </span>
      </div>
      <ol className="agenda-items" aria-label="Agenda">
        {items.map((item, index) => (
          <li
            key={item.key}
            ref={(el) => {
              if (el) rows.current.set(item.key, el);
              else rows.current.delete(item.key);
            }}
            className={`agenda-item${dragging === index ? ' agenda-item--dragging' : ''}`}
            tabIndex={-1}
            aria-label={`Item ${index + 1}: ${item.title || 'untitled'}`}
            onKeyDown={(e) => onKeyDown(e, index)}
            onDragOver={(e) => e.preventDefault()}
            onDrop={(e) => onDrop(e, index)}
          >
            <div className="agenda-item__side">
              <span
                className="agenda-item__handle"
                draggable
                onDragStart={(e) => {
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', String(index));
                  setDragging(index);
                }}
                onDragEnd={() => setDragging(null)}
                title="Drag to reorder"
                aria-hidden="true"
              >
                ⠿
              </span>
              <span className="agenda-item__time" data-testid="item-start">
                {start !== null ? clockTime(times[index].startsAt) : afterStart(times[index].startsAt)}
              </span>
            </div>
            <div className="agenda-item__fields">
              <label className="field agenda-item__title">
                <span>Item {index + 1}: title</span>
                <input
                  value={item.title}
                  required
                  maxLength={AGENDA_LIMITS.titleMax}
                  placeholder="What the room works on"
                  onChange={(e) => change(item.key, { title: e.target.value })}
                />
              </label>
              <label className="field agenda-item__minutes">
                <span>Minutes</span>
                <input
                  type="number"
                  min={AGENDA_LIMITS.minutesMin}
                  max={AGENDA_LIMITS.minutesMax}
                  value={item.minutes}
                  onChange={(e) => change(item.key, { minutes: Number(e.target.value) })}
                />
              </label>
              <label className="field">
                <span>Activity</span>
                <select
                  value={item.activity}
                  onChange={(e) => change(item.key, { activity: e.target.value as Activity })}
                >
                  {ACTIVITIES.map((a) => (
                    <option key={a} value={a}>
                      {ACTIVITY_LABELS[a]}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field">
                <span>Board</span>
                <select
                  value={item.board ?? ''}
                  onChange={(e) => change(item.key, { board: (e.target.value || undefined) as Board | undefined })}
                >
                  <option value="">No board</option>
                  <BoardOptions />
                </select>
              </label>
              <label className="field">
                <span>Step it serves</span>
                <select
                  value={item.step ?? ''}
                  onChange={(e) => change(item.key, { step: e.target.value || undefined })}
                >
                  <option value="">None</option>
                  {STEPS.map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.title}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field agenda-item__prompt">
                <span>Prompt</span>
                <textarea
                  rows={1}
                  maxLength={AGENDA_LIMITS.promptMax}
                  value={item.prompt ?? ''}
                  placeholder="The question put to the room"
                  onChange={(e) => change(item.key, { prompt: e.target.value })}
                />
              </label>
            </div>
            <div className="agenda-item__actions">
              <button
                type="button"
                className="button button--ghost button--small"
                data-move="up"
                aria-label={`Move item ${index + 1} up`}
                disabled={index === 0}
                onClick={() => move(index, index - 1, 'up')}
              >
                ↑
              </button>
              <button
                type="button"
                className="button button--ghost button--small"
                data-move="down"
                aria-label={`Move item ${index + 1} down`}
                disabled={index === items.length - 1}
                onClick={() => move(index, index + 1, 'down')}
              >
                ↓
              </button>
              <button
                type="button"
                className="button button--ghost button--small"
                aria-label={`Remove item ${index + 1}`}
                disabled={items.length === 1}
                onClick={() => setItems(items.filter((i) => i.key !== item.key))}
              >
                ✕
              </button>
            </div>
          </li>
        ))}
      </ol>
      <p className="visually-hidden" aria-live="polite">
        {announce}
      </p>
      <div className="agenda-editor__actions">
        <button
          type="button"
          className="button button--small"
          disabled={items.length >= AGENDA_LIMITS.itemsMax}
          onClick={() => setItems([...items, blank()])}
        >
          Add an item
        </button>
        <span className="agenda-editor__spacer" />
        {problem && (
          <p className="agenda-editor__problem" role="alert">
            {problem}
          </p>
        )}
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          Create the workshop
        </button>
      </div>
    </form>
  );
}
