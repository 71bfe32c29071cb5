/**
 * The entry grid of one indicator: periods down (newest first), "Total" and
 * each subgroup across. A cell shows its value and review status; whoever may
 * enter types a value and presses Enter (or leaves the cell) to send it. A
 * value for a period that already has one asks first ("Replace 41.2 with
 * 43?"); a refused value shows the server's sentence by its cell. Arrow keys
 * move between cells. Reviewers approve or reject (with a reason) in the cell;
 * a steward not their own values. A total's "Story" opens the story form
 * (StoryForm.tsx); a value with a story shows an icon carrying its text.
 * (A little over 400 lines: a cell's typing, replacing and reviewing share its
 * state; the story form and the history are their own files.)
 */
import { useState, type KeyboardEvent } from 'react';
import { periodLabel, periodOf, periodsBetween, today } from '../../machines/measures/periods.ts';
import { formatValue, readNumber, valueProblem } from '../../machines/measures/units.ts';
import {
  reviewsOwnValue,
  type MeasureRights,
  type MeasurementRow,
  type MeasureViewer,
} from '../contract/measureAccess.ts';
import { api, ApiError } from '../kit/api.ts';
import { formatMoment } from '../kit/when.ts';
import { CellHistory } from './CellHistory.tsx';
import { rowMessage, type IndicatorInfo } from './indicators.ts';
import { StoryForm } from './StoryForm.tsx';
import { messageOf } from './ReportLinks.tsx';

interface Props {
  initiativeId: string;
  indicator: IndicatorInfo;
  rights: MeasureRights;
  /** Who is looking: a steward reviews no value they entered. */
  viewer: MeasureViewer;
  /** The indicator's current values (rejected ones included). */
  rows: readonly MeasurementRow[];
  baselineDate: string | null;
  onChanged: () => void;
}

/** A cell: a period, and a subgroup or null for the total. */
interface CellKey {
  period: string;
  subgroup: string | null;
}

const keyOf = (cell: CellKey) => `${cell.period}|${cell.subgroup ?? ''}`;

export function EntryGrid({ initiativeId, indicator, rights, viewer, rows, baselineDate, onChanged }: Props) {
  const [earlierYears, setEarlierYears] = useState(0);
  const [history, setHistory] = useState<CellKey | null>(null);
  // The period whose story (the whole population's value with a note) is being written.
  const [story, setStory] = useState<string | null>(null);
  // Today, as the page opened: the newest row of the grid.
  const [now] = useState(() => today(Date.now()));
  const first =
    [baselineDate, ...rows.map((r) => r.period)].filter((d): d is string => !!d && d <= now).sort()[0] ?? now;
  const from = `${Number(first.slice(0, 4)) - earlierYears}${first.slice(4)}`;
  const periods = periodsBetween(from, now, indicator.frequency).reverse();
  const columns: (string | null)[] = [null, ...indicator.subgroups];
  const byCell = new Map(
    rows
      .filter((r) => r.current)
      .map((r) => [keyOf({ period: periodOf(r.period, indicator.frequency), subgroup: r.subgroup }), r]),
  );

  return (
    <div className="entry-grid">
      <div className="entry-grid__scroll" role="region" aria-label={`Values of ${indicator.name}`} tabIndex={-1}>
        <table className="entry-grid__table">
          <thead>
            <tr>
              <th scope="col" className="entry-grid__period">
                Period
              </th>
              {columns.map((subgroup) => (
                <th key={subgroup ?? ''} scope="col">
                  {subgroup ?? 'Total'}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {periods.map((period, row) => (
              <tr key={period}>
                <th scope="row" className="entry-grid__period">
                  {periodLabel(period, indicator.frequency)}
                </th>
                {columns.map((subgroup, column) => {
                  const cell = { period, subgroup };
                  return (
                    <Cell
                      key={keyOf(cell)}
                      initiativeId={initiativeId}
                      indicator={indicator}
                      rights={rights}
                      viewer={viewer}
                      cell={cell}
                      current={byCell.get(keyOf(cell)) ?? null}
                      row={row}
                      column={column}
                      onChanged={onChanged}
                      onHistory={() => setHistory(cell)}
                      onStory={subgroup === null ? () => setStory(period) : null}
                    />
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="button button--small" onClick={() => setEarlierYears((n) => n + 1)}>
        Show an earlier year
      </button>
      {story && rights.enter && (
        <StoryForm
          key={story}
          initiativeId={initiativeId}
          indicator={indicator}
          period={story}
          current={byCell.get(keyOf({ period: story, subgroup: null })) ?? null}
          onSaved={onChanged}
          onClose={() => setStory(null)}
        />
      )}
      {history && (
        <CellHistory
          initiativeId={initiativeId}
          indicator={indicator}
          period={history.period}
          subgroup={history.subgroup}
          onClose={() => setHistory(null)}
        />
      )}
    </div>
  );
}

interface CellProps {
  initiativeId: string;
  indicator: IndicatorInfo;
  rights: MeasureRights;
  viewer: MeasureViewer;
  cell: CellKey;
  current: MeasurementRow | null;
  row: number;
  column: number;
  onChanged: () => void;
  onHistory: () => void;
  /** Opens the story form of this cell's period: the total's cells only. */
  onStory: (() => void) | null;
}

type Ask = { kind: 'replace'; value: number } | { kind: 'reject' } | null;

function Cell({ initiativeId, indicator, rights, viewer, cell, current, row, column, onChanged, onHistory, onStory }: CellProps) {
  // What is typed, until the value it was typed over changes (the sent value came back, or someone else's).
  const [draft, setDraft] = useState<{ text: string; over: string | null; sent?: boolean } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [ask, setAsk] = useState<Ask>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const shown = current ? String(current.value) : '';
  const text = draft && draft.over === (current?.id ?? null) ? draft.text : shown;
  const where = `${cell.subgroup ?? 'Total'}, ${periodLabel(cell.period, indicator.frequency)}`;
  const messageId = `cell-${row}-${column}-message`;
  // A steward reviews others' values, not their own (the server refuses it too).
  const ownValue = !!current && rights.review && reviewsOwnValue(viewer, current.enteredById);
  const mayReview = rights.review && !ownValue;

  async function send(value: number, replace: boolean) {
    setBusy(true);
    try {
      const entry = {
        indicator: indicator.id,
        date: cell.period,
        value,
        ...(cell.subgroup ? { subgroup: cell.subgroup } : {}),
        // A corrected value keeps the period's story (the story form changes the story).
        ...(current?.note ? { note: current.note } : {}),
      };
      await api.addMeasurements(initiativeId, [entry], { replace });
      // Shown as sent until the new value comes back on the list (then the draft, typed over the old one, is dropped).
      setDraft({ text: String(value), over: current?.id ?? null, sent: true });
      setMessage(null);
      setAsk(null);
      onChanged();
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 409) setAsk({ kind: 'replace', value });
      else setMessage(rowMessage(problem));
    } finally {
      setBusy(false);
    }
  }

  function commit() {
    if (busy || ask || (draft?.sent && draft.over === (current?.id ?? null))) return;
    if (text === shown) {
      setMessage(null);
      return;
    }
    if (text.trim() === '') {
      setMessage(current ? 'A value cannot be removed; type the right value to replace it.' : null);
      return;
    }
    // The rule a CSV file's values follow too, in the same words.
    const read = readNumber(text);
    if ('problem' in read) {
      setMessage(read.problem);
      return;
    }
    const { value } = read;
    const problem = valueProblem(value, indicator.unit);
    if (problem) {
      setMessage(problem);
      return;
    }
    if (current && current.value === value) return;
    void send(value, false);
  }

  async function review(status: 'approved' | 'rejected') {
    if (!current) return;
    setBusy(true);
    try {
      await api.reviewMeasurement(
        initiativeId,
        current.id,
        status === 'rejected' ? { status, reason: reason.trim() } : { status },
      );
      setAsk(null);
      setReason('');
      setMessage(null);
      onChanged();
    } catch (problem) {
      setMessage(messageOf(problem));
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    if (event.key === 'Enter') {
      event.preventDefault();
      commit();
      return;
    }
    if (event.key === 'Escape') {
      setDraft(null);
      setMessage(null);
      return;
    }
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    const move =
      event.key === 'ArrowUp'
        ? [row - 1, column]
        : event.key === 'ArrowDown'
          ? [row + 1, column]
          : event.key === 'ArrowLeft' && atStart
            ? [row, column - 1]
            : event.key === 'ArrowRight' && atEnd
              ? [row, column + 1]
              : null;
    if (!move) return;
    const target = input.closest('table')?.querySelector<HTMLInputElement>(`input[data-cell="${move[0]}:${move[1]}"]`);
    if (target) {
      event.preventDefault();
      target.focus();
      target.select();
    }
  }

  return (
    <td className={`entry-cell${current ? ` entry-cell--${current.status}` : ''}`}>
      {rights.enter ? (
        <input
          className="entry-cell__input"
          data-cell={`${row}:${column}`}
          inputMode="decimal"
          aria-label={where}
          aria-describedby={message || ask ? messageId : undefined}
          aria-invalid={message ? true : undefined}
          value={text}
          readOnly={busy}
          onChange={(event) => setDraft({ text: event.target.value, over: current?.id ?? null })}
          onBlur={commit}
          onKeyDown={onKeyDown}
        />
      ) : (
        <span className="entry-cell__value" aria-label={where}>
          {current ? formatValue(current.value, indicator.unit) : '–'}
        </span>
      )}
      {current?.note && (
        <span className="entry-cell__story" role="img" aria-label={`Story: ${current.note}`} title={current.note}>
          <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d="M2 2.5h12v8.5H6l-3.5 3v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
          </svg>
        </span>
      )}
      {current && (
        <span className="entry-cell__status">
          {current.status === 'submitted' && `Submitted by ${current.enteredBy}`}
          {current.status === 'approved' && `Approved${current.review ? ` by ${current.review.by}` : ''}`}
          {current.status === 'rejected' && `Rejected: ${current.review?.reason ?? 'no reason given'}`}
        </span>
      )}
      {message && (
        <span id={messageId} className="field-error entry-cell__message" role="alert">
          {message}
        </span>
      )}
      {ask?.kind === 'replace' && (
        <span id={messageId} className="entry-cell__ask" role="alert">
          Replace {current ? formatValue(current.value, indicator.unit) : 'the value entered'} with{' '}
          {formatValue(ask.value, indicator.unit)}?{' '}
          <button
            type="button"
            className="button button--small button--primary"
            disabled={busy}
            onClick={() => void send(ask.value, true)}
          >
            Replace
          </button>{' '}
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              setAsk(null);
              setDraft(null);
            }}
          >
            Keep {current ? formatValue(current.value, indicator.unit) : 'it'}
          </button>
        </span>
      )}
      {ask?.kind === 'reject' && current && (
        <span className="entry-cell__ask">
          <label>
            Why is {formatValue(current.value, indicator.unit)} rejected?
            <input value={reason} maxLength={500} onChange={(event) => setReason(event.target.value)} />
          </label>
          <button
            type="button"
            className="button button--small button--danger"
            disabled={busy || !reason.trim()}
            onClick={() => void review('rejected')}
          >
            Reject
          </button>{' '}
          <button type="button" className="button button--small" onClick={() => setAsk(null)}>
            Cancel
          </button>
        </span>
      )}
      {(current || (onStory && rights.enter)) && (
        <span className="entry-cell__actions">
          {mayReview && current && current.status !== 'approved' && (
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={busy}
              aria-label={`Approve ${where}`}
              onClick={() => void review('approved')}
            >
              Approve
            </button>
          )}
          {mayReview && current && current.status !== 'rejected' && ask?.kind !== 'reject' && (
            <button
              type="button"
              className="button button--ghost button--small"
              disabled={busy}
              aria-label={`Reject ${where}`}
              onClick={() => setAsk({ kind: 'reject' })}
            >
              Reject
            </button>
          )}
          {ownValue && current?.status === 'submitted' && (
            <span className="entry-cell__own">You entered it: the lead or another steward reviews it.</span>
          )}
          {onStory && rights.enter && (
            <button
              type="button"
              className="button button--ghost button--small"
              aria-label={`Story of ${periodLabel(cell.period, indicator.frequency)}`}
              onClick={onStory}
            >
              Story
            </button>
          )}
          {current && (
            <button
              type="button"
              className="button button--ghost button--small"
              aria-label={`History of ${where}`}
              title={`Entered ${formatMoment(current.enteredAt)}`}
              onClick={onHistory}
            >
              History
            </button>
          )}
        </span>
      )}
    </td>
  );
}
