/**
 * The figures beside an indicator's curve (latest value, change from the
 * baseline and from the previous period, percent of target, the trend) and
 * the curve itself (and the story behind it) is the chart's.
 */
import { indicatorFigures, type Point, type Trend } from '../../machines/measures/index.ts';
import { formatValue } from '../../machines/measures/units.ts';
import { periodLabel } from '../../machines/measures/periods.ts';
import type { DatedValue } from '../contract/measureAccess.ts';
import { TrendArrow } from './charts/lazy.tsx';
import { signed, type IndicatorInfo } from './indicators.ts';

interface Props {
  indicator: Pick<IndicatorInfo, 'unit' | 'direction' | 'frequency'>;
  points: readonly Point[];
  baseline: DatedValue | null;
  target: DatedValue | null;
  trend: Trend | null;
}

export function Figures({ indicator, points, baseline, target, trend }: Props) {
  const figures = indicatorFigures(points, baseline?.value ?? null, target?.value ?? null);
  const { unit, frequency } = indicator;
  return (
    <dl className="figures">
      <div>
        <dt>Latest</dt>
        <dd>
          {figures.latest
            ? `${formatValue(figures.latest.value, unit)} (${periodLabel(figures.latest.date, frequency)})`
            : 'No value yet'}
        </dd>
      </div>
      <div>
        <dt>From the baseline</dt>
        <dd>{figures.fromBaseline === null ? '–' : signed(figures.fromBaseline)}</dd>
      </div>
      <div>
        <dt>From the previous period</dt>
        <dd>{figures.fromPrevious === null ? '–' : signed(figures.fromPrevious)}</dd>
      </div>
      <div>
        <dt>Of the target</dt>
        <dd>{figures.percentOfTarget === null ? '–' : `${Math.round(figures.percentOfTarget)} %`}</dd>
      </div>
      {trend && (
        <div>
          <dt>Trend</dt>
          <dd>
            <TrendArrow trend={trend} direction={indicator.direction} />
          </dd>
        </div>
      )}
    </dl>
  );
}
