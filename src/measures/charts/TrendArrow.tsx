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

/** A padlock (drawn: not every system has an emoji font), beside the word "Restricted". */
export function LockIcon() {
  return (
    <svg className="lock-icon" viewBox="0 0 16 16" width="1em" height="1em" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="8" rx="1.5" fill="currentColor" />
      <path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" strokeWidth="1.8" />
    </svg>
  );
}
