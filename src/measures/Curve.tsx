/**
 * An indicator's curve, where the measures screens draw one. Until the chart
 * (src/measures/charts/, helper D's TrendChart, lazily loaded) is merged this
 * shows the same data as a short accessible list, with the same props.
 */
import type { Direction, Point } from '../../machines/measures/index.ts';
import { formatValue } from '../../machines/measures/units.ts';
import { periodLabel, type Frequency } from '../../machines/measures/periods.ts';
import type { DatedValue } from '../contract/measureAccess.ts';

export interface CurveProps {
  /** Names the chart for screen readers ("Curve of Kindergarten readiness"). */
  title: string;
  unit: string;
  direction: Direction;
  frequency: Frequency;
  /** The whole population's values, one per period. */
  points: readonly Point[];
  /** Each subgroup's values, drawn on demand. */
  subgroups?: Readonly<Record<string, readonly Point[]>>;
  baseline: DatedValue | null;
  target: DatedValue | null;
  /** A small curve without axes (cards, the side panel). */
  compact?: boolean;
}

export function Curve({ title, unit, frequency, points, baseline, target, compact = false }: CurveProps) {
  if (points.length === 0) {
    return <p className="curve curve--empty muted">No values yet.</p>;
  }
  const shown = compact ? points.slice(-4) : points;
  return (
    <figure className={`curve${compact ? ' curve--compact' : ''}`} aria-label={title}>
      <ol className="curve__points">
        {shown.map((p) => (
          <li key={p.date}>
            <span>{periodLabel(p.date, frequency)}</span> <strong>{formatValue(p.value, unit)}</strong>
          </li>
        ))}
      </ol>
      {!compact && (baseline || target) && (
        <figcaption className="muted">
          {baseline && `Baseline ${formatValue(baseline.value, unit)}. `}
          {target && `Target ${formatValue(target.value, unit)}.`}
        </figcaption>
      )}
    </figure>
  );
}
