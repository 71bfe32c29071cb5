/**
 * The figures beside an indicator's curve (latest value, change from the
 * baseline and from the previous period, percent of target, the trend) and
 * the story behind the curve: the note of each period that has one.
 */
import { indicatorFigures, type Point, type Trend } from '../../machines/measures/index.ts';
import { formatValue } from '../../machines/measures/units.ts';
import { periodLabel } from '../../machines/measures/periods.ts';
import type { DatedValue } from '../contract/measureAccess.ts';
import { signed, trendArrow, trendWords, type IndicatorInfo } from './indicators.ts';

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
        <dd>{figures.latest ? `${formatValue(figures.latest.value, unit)} (${periodLabel(figures.latest.date, frequency)})` : 'No value yet'}</dd>
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
          <dd className={`trend trend--${trend}`}>
            <span aria-hidden="true">{trendArrow(trend, indicator.direction)}</span> {trendWords(trend)}
          </dd>
        </div>
      )}
    </dl>
  );
}

export function Stories({ stories, frequency }: { stories: readonly { period: string; note: string }[]; frequency: IndicatorInfo['frequency'] }) {
  return (
    <aside className="stories" aria-label="The story behind the curve">
      <h3>The story behind the curve</h3>
      {stories.length === 0 ? (
        <p className="muted">No notes yet: a note entered with a value (in a CSV import) tells what happened in its period.</p>
      ) : (
        <ol>
          {[...stories]
            .sort((a, b) => (a.period < b.period ? 1 : -1))
            .map((story) => (
              <li key={story.period}>
                <strong>{periodLabel(story.period, frequency)}</strong>
                <p>{story.note}</p>
              </li>
            ))}
        </ol>
      )}
    </aside>
  );
}
