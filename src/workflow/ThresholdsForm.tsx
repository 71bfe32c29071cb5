import { useId, useState, type FormEvent } from 'react';
import {
  DEFAULT_THRESHOLDS,
  THRESHOLD_INFO,
  THRESHOLD_NAMES,
  type ThresholdName,
  type Thresholds,
} from '../../machines/index.ts';
import type { Outcome } from './useCommands.ts';

interface Props {
  thresholds: Thresholds;
  /** Absent for people who may only read them. */
  onSave?: (change: Partial<Thresholds>) => Promise<Outcome>;
  busy: boolean;
}

/** The numbers the phase steps compare with: shown to everyone, changed by a lead or facilitator. */
export function ThresholdsForm({ thresholds, onSave, busy }: Props) {
  return (
    <details className="disclosure wf-thresholds">
      <summary>Thresholds</summary>
      {onSave ? (
        // Remount when someone else saves, so the fields show the new values.
        <ThresholdFields key={JSON.stringify(thresholds)} thresholds={thresholds} onSave={onSave} busy={busy} />
      ) : (
        <dl className="wf-thresholds__list">
          {THRESHOLD_NAMES.map((name) => (
            <div key={name}>
              <dt>{THRESHOLD_INFO[name].label}</dt>
              <dd>{thresholds[name]}</dd>
            </div>
          ))}
        </dl>
      )}
    </details>
  );
}

function ThresholdFields({ thresholds, onSave, busy }: Required<Props>) {
  const id = useId();
  const [values, setValues] = useState<Record<ThresholdName, string>>(
    () => Object.fromEntries(THRESHOLD_NAMES.map((n) => [n, String(thresholds[n])])) as Record<ThresholdName, string>,
  );
  const [note, setNote] = useState<string | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const change: Partial<Thresholds> = {};
    for (const name of THRESHOLD_NAMES) {
      const value = Number(values[name]);
      if (values[name].trim() !== '' && value !== thresholds[name]) change[name] = value;
    }
    if (Object.keys(change).length === 0) {
      setNote('Nothing changed.');
      return;
    }
    setNote(null);
    const outcome = await onSave(change);
    if (!outcome.ok) setNote(outcome.error);
  }

  return (
    <form aria-label="Change thresholds" onSubmit={submit} className="wf-thresholds__form">
      <p className="wf-hint">
        The numbers the phase steps compare with. Every change is recorded in the history.
      </p>
      {THRESHOLD_NAMES.map((name) => {
        const { label, min, max } = THRESHOLD_INFO[name];
        return (
          <div className="field wf-thresholds__field" key={name}>
            <label htmlFor={`${id}-${name}`}>{label}</label>
            <input
              id={`${id}-${name}`}
              type="number"
              inputMode="numeric"
              min={min}
              max={max}
              step={1}
              required
              value={values[name]}
              aria-describedby={`${id}-${name}-hint`}
              onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
            />
            <span id={`${id}-${name}-hint`} className="wf-hint">
              Default {DEFAULT_THRESHOLDS[name]}; from {min} to {max}.
            </span>
          </div>
        );
      })}
      <button type="submit" className="button button--small button--primary" disabled={busy}>
        Save thresholds
      </button>
      <p role="status" className="wf-hint">
        {note}
      </p>
    </form>
  );
}
