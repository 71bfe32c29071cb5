/**
 * A measure's trend as an arrow (↑ ↓ →) with words: the arrow shows which way
 * the value moved, the words (shown beside it, or to screen readers only when
 * `compact`) say whether that is the right way, so it never rests on colour.
 * Its trend is the report card's (TREND_RULE), not the last two points.
 */
import './charts.css';
import type { Direction, Trend } from '../../../machines/measures/trend.ts';
import { trendMark } from './chartData.ts';

export function TrendArrow({ trend, direction, compact = false }: { trend: Trend; direction: Direction; compact?: boolean }) {
  const mark = trendMark(trend, direction);
  return (
    <span className={`trend-arrow trend-arrow--${mark.tone}`} title={compact ? mark.words : undefined}>
      <span className="trend-arrow__symbol" aria-hidden="true">
        {mark.symbol}
      </span>
      <span className={compact ? 'visually-hidden' : 'trend-arrow__words'}>{mark.words}</span>
    </span>
  );
}
