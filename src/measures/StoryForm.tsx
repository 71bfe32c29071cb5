/**
 * The story behind the curve, written in the entry grid: the whole
 * population's value of one period with a note on what happened then (shown
 * beside the indicator's chart). Whoever may enter values writes it. With a
 * value already there it is a replacement, confirmed first as any other
 * (the old value and its note stay in the cell's history); the new value is
 * reviewed again. The note is plain text: React writes it as text, never HTML.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { periodLabel } from '../../machines/measures/periods.ts';
import { formatValue, readNumber, unitLabel, valueProblem } from '../../machines/measures/units.ts';
import { MEASURE_LIMITS, type MeasurementRow } from '../contract/measureAccess.ts';
import { api, ApiError } from '../kit/api.ts';
import { rowIssuesOf, rowMessage, type IndicatorInfo } from './indicators.ts';

interface Props {
  initiativeId: string;
  indicator: IndicatorInfo;
  /** The first day of the period. */
  period: string;
  /** The period's current whole-population value, if any. */
  current: MeasurementRow | null;
  onSaved: () => void;
  onClose: () => void;
}

export function StoryForm({ initiativeId, indicator, period, current, onSaved, onClose }: Props) {
  const id = useId();
  const [value, setValue] = useState(current ? String(current.value) : '');
  const [note, setNote] = useState(current?.note ?? '');
  const [error, setError] = useState<string | null>(null);
  // The server's words for the value this would replace, asked before replacing it.
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Opened from the grid, the form takes the keyboard to the story.
  const noteField = useRef<HTMLTextAreaElement>(null);
  useEffect(() => noteField.current?.focus(), []);
  const when = periodLabel(period, indicator.frequency);
  const title = `The story of ${when}`;

  async function save(replace: boolean) {
    const entry = readStory(value, note, current, indicator.unit);
    if (typeof entry === 'string') {
      setError(entry);
      setConfirm(null);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.addMeasurements(
        initiativeId,
        [{ indicator: indicator.id, date: period, value: entry.value, ...(entry.note ? { note: entry.note } : {}) }],
        { replace },
      );
      onSaved();
      onClose();
    } catch (problem) {
      if (problem instanceof ApiError && problem.status === 409) {
        setConfirm(rowIssuesOf(problem)[0]?.message ?? problem.message);
      } else {
        setError(rowMessage(problem));
      }
    } finally {
      setBusy(false);
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    void save(false);
  }

  return (
    <form className="story-form" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate>
      <h3 id={`${id}-title`}>{title}</h3>
      <p className="muted">
        What happened in {when}, told beside the curve, with the period’s value for the whole population.
        {current &&
          ` Saving replaces ${formatValue(current.value, indicator.unit)} and its story (both stay in the history); the value is reviewed again.`}
      </p>
      <div className="field">
        <label htmlFor={`${id}-value`}>{indicator.unit ? `Value (${unitLabel(indicator.unit)})` : 'Value'}</label>
        <input
          id={`${id}-value`}
          inputMode="decimal"
          value={value}
          readOnly={busy}
          aria-invalid={error ? true : undefined}
          onChange={(event) => {
            setValue(event.target.value);
            setConfirm(null);
          }}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-note`}>The story</label>
        <textarea
          id={`${id}-note`}
          ref={noteField}
          rows={3}
          maxLength={MEASURE_LIMITS.noteMax}
          value={note}
          readOnly={busy}
          onChange={(event) => {
            setNote(event.target.value);
            setConfirm(null);
          }}
        />
        {current?.note && <span className="muted">Leave it empty to remove the story.</span>}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      {confirm ? (
        <div className="story-form__ask" role="alert">
          <p>{confirm}</p>
          <button type="button" className="button button--primary" disabled={busy} onClick={() => void save(true)}>
            Replace it
          </button>{' '}
          <button type="button" className="button" onClick={() => setConfirm(null)}>
            Keep {current ? formatValue(current.value, indicator.unit) : 'it'}
          </button>
        </div>
      ) : (
        <div className="story-form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            Save the story
          </button>{' '}
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      )}
    </form>
  );
}

/**
 * The story's value and note as typed, or the sentence saying what is wrong:
 * a story goes with its period's value (read by the rule of the grid and the
 * CSV, within the unit's range), says something, and changes something.
 */
export function readStory(
  value: string,
  note: string,
  current: Pick<MeasurementRow, 'value' | 'note'> | null,
  unit: string,
): { value: number; note: string } | string {
  if (value.trim() === '') return 'The story goes with the period’s value: enter the value too.';
  const typed = readNumber(value);
  if ('problem' in typed) return typed.problem;
  const problem = valueProblem(typed.value, unit);
  if (problem) return problem;
  const story = note.trim();
  if (story === '' && !current?.note) return 'Write what happened in this period, or cancel.';
  if (current && current.value === typed.value && (current.note ?? '') === story) {
    return 'Nothing changed: change the value or the story, or cancel.';
  }
  return { value: typed.value, note: story };
}
