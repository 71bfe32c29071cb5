import { useId, useState, type FormEvent } from 'react';
import { addMeasurement, findEntity, removeMeasurement } from '../../schema/index.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';

/** An indicator's dated measurements: a plain list, added and removed in the panel. */
export function Measurements({ doc, model, entityId, editable }: PanelExtraProps) {
  const id = useId();
  const [date, setDate] = useState('');
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const indicator = findEntity(model, entityId);
  if (indicator?.kind !== 'indicator') return null;
  const unit = indicator.unit ? ` ${indicator.unit}` : '';

  function add(event: FormEvent) {
    event.preventDefault();
    const number = Number(value);
    if (!date || value.trim() === '' || !Number.isFinite(number)) {
      setError('A measurement needs a date and a number.');
      return;
    }
    try {
      addMeasurement(doc, entityId, { date, value: number });
      setValue('');
      setError(null);
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    }
  }

  return (
    <section className="measurements" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Measurements</h4>
      {indicator.measurements.length === 0 ? (
        <p className="measurements__empty">No measurements yet.</p>
      ) : (
        <ul className="measurements__list" aria-label="Measurements">
          {indicator.measurements.map((m, index) => (
            <li key={`${index}-${m.date}`}>
              <span>
                {m.date}: {m.value}
                {unit}
              </span>
              {editable && (
                <button
                  type="button"
                  className="button button--ghost button--small"
                  aria-label={`Remove the measurement of ${m.date}`}
                  onClick={() => removeMeasurement(doc, entityId, index)}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && (
        <form className="measurements__form" onSubmit={add} aria-label="Add a measurement">
          <div className="field">
            <label htmlFor={`${id}-date`}>Measurement date</label>
            <input id={`${id}-date`} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-value`}>Measurement value</label>
            <input id={`${id}-value`} type="number" step="any" value={value} onChange={(e) => setValue(e.target.value)} />
          </div>
          <button type="submit" className="button button--small">
            Add measurement
          </button>
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
