/**
 * The history of one cell of the entry grid: every value entered for that
 * period and subgroup, the current one and those it replaced, with who entered
 * each and when, and its review.
 */
import { useEffect, useState } from 'react';
import { periodLabel, periodOf } from '../../machines/measures/periods.ts';
import { formatValue } from '../../machines/measures/units.ts';
import type { MeasurementRow } from '../contract/measureAccess.ts';
import { api } from '../kit/api.ts';
import { formatMoment } from '../kit/when.ts';
import type { IndicatorInfo } from './indicators.ts';

interface Props {
  initiativeId: string;
  indicator: IndicatorInfo;
  period: string;
  subgroup: string | null;
  onClose: () => void;
}

export function CellHistory({ initiativeId, indicator, period, subgroup, onClose }: Props) {
  const [rows, setRows] = useState<MeasurementRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.listMeasurements(initiativeId, { indicator: indicator.id, history: true }).then(
      (all) => {
        if (!live) return;
        setRows(
          all
            .filter((r) => r.subgroup === subgroup && periodOf(r.period, indicator.frequency) === period)
            .sort((a, b) => (a.enteredAt < b.enteredAt ? 1 : -1)),
        );
      },
      (problem: unknown) => live && setError(problem instanceof Error ? problem.message : String(problem)),
    );
    return () => {
      live = false;
    };
  }, [initiativeId, indicator.id, indicator.frequency, period, subgroup]);
  const title = `History of ${subgroup ?? 'Total'}, ${periodLabel(period, indicator.frequency)}`;
  return (
    <section className="cell-history" aria-label={title}>
      <h3>{title}</h3>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {rows && (
        <ol className="cell-history__list">
          {rows.map((r) => (
            <li key={r.id}>
              <strong>{formatValue(r.value, indicator.unit)}</strong> {r.current ? '(current)' : '(replaced)'}, dated{' '}
              {r.date}, entered by {r.enteredBy} {formatMoment(r.enteredAt)}
              {r.status === 'approved' && `; approved${r.review ? ` by ${r.review.by}` : ''}`}
              {r.status === 'rejected' &&
                `; rejected${r.review ? ` by ${r.review.by}` : ''}: ${r.review?.reason ?? ''}`}
              {r.note && <span className="cell-history__note">Note: {r.note}</span>}
            </li>
          ))}
        </ol>
      )}
      <button type="button" className="button button--small" onClick={onClose}>
        Close the history
      </button>
    </section>
  );
}
