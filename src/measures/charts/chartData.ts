/**
 * What the measures' charts draw and say, without the charting library: the
 * rows of a chart (one per period, the whole population and each subgroup as
 * columns), the value axis's range (so baseline and target lines are always
 * in view), the sentence a screen reader hears for a curve, and the trend
 * arrow's symbol and words. Kept apart from the recharts components so the
 * board's cards and the tests use them without loading recharts.
 */
import { formatValue } from '../../../machines/measures/units.ts';
import { periodLabel, type Frequency } from '../../../machines/measures/periods.ts';
import { TREND_WORDS, type Direction, type Point, type Trend } from '../../../machines/measures/trend.ts';
import type { DatedValue } from '../../contract/measureAccess.ts';

/** What `TrendChart` draws (and `LazyTrendChart` passes on). */
export interface TrendChartProps {
  /** The whole population's values, one per period (`seriesOf(measurements, id)`). */
  points: readonly Point[];
  /** Each subgroup's values, by subgroup label. */
  subgroups?: Readonly<Record<string, readonly Point[]>>;
  /**
   * Whether the subgroups' lines show at first. The chart owns the switch
   * ("Show each subgroup", shown when there are subgroups with values); this
   * only sets where it starts.
   */
  showSubgroups?: boolean;
  baseline: DatedValue | null;
  target: DatedValue | null;
  /** A unit kind or a custom label (machines/measures/units.ts). */
  unit: string;
  frequency: Frequency;
  direction: Direction;
  /** The indicator's name, for the chart's label. */
  name?: string;
  /** The story behind the curve: notes by period, listed beside the chart. */
  stories?: readonly { period: string; note: string }[];
  /** Height of the plot in pixels (default 260). */
  height?: number;
}

/** What `Sparkline` draws: a small line of the values, nothing else. */
export interface SparklineProps {
  points: readonly Point[];
  width?: number;
  height?: number;
}

/** One period of a chart: its label, the whole population's value and each subgroup's (keyed `sub:<label>`). */
export interface ChartRow {
  period: string;
  label: string;
  value: number | null;
  [key: `sub:${string}`]: number | null;
}

export const subgroupKey = (label: string) => `sub:${label}` as const;

/** One row per period that has any value (whole population or a subgroup), oldest first. */
export function chartRows(points: readonly Point[], subgroups: Readonly<Record<string, readonly Point[]>>, frequency: Frequency): ChartRow[] {
  const periods = new Set<string>(points.map((p) => p.date));
  for (const series of Object.values(subgroups)) for (const p of series) periods.add(p.date);
  const whole = new Map(points.map((p) => [p.date, p.value]));
  const bySubgroup = Object.entries(subgroups).map(([label, series]) => [label, new Map(series.map((p) => [p.date, p.value]))] as const);
  return [...periods].sort().map((period) => {
    const row: ChartRow = { period, label: periodLabel(period, frequency), value: whole.get(period) ?? null };
    for (const [label, values] of bySubgroup) row[subgroupKey(label)] = values.get(period) ?? null;
    return row;
  });
}

/**
 * The value axis: every drawn value, the baseline and the target in view with
 * a little room, on round ticks (steps of 1, 2, 2.5 or 5 times a power of ten,
 * four to six of them); a percent stays within 0 to 100 and values all 0 or
 * more never get an axis below zero.
 */
export function valueAxis(values: readonly number[], unit: string): { domain: [number, number]; ticks: number[] } {
  if (values.length === 0) return { domain: [0, 1], ticks: [0, 1] };
  const min = Math.min(...values);
  const max = Math.max(...values);
  const pad = max === min ? Math.max(1, Math.abs(max) * 0.1) : (max - min) * 0.1;
  let low = min - pad;
  let high = max + pad;
  if (min >= 0) low = Math.max(0, low);
  if (unit === 'percent') high = Math.min(100, high);
  const rough = (high - low) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? 10 * magnitude;
  const first = Math.floor(low / step + 1e-9) * step;
  const last = Math.ceil(high / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let i = 0; first + i * step <= last + step / 1e6; i++) ticks.push(Number((first + i * step).toPrecision(12)));
  return { domain: [ticks[0], ticks.at(-1)!], ticks };
}

/** The arrow for a trend: the way the value moved, and words that say whether that is the right way (never colour alone). */
export interface TrendMark {
  symbol: '↑' | '↓' | '→' | '·';
  /** For screen readers and the card's title: "Rising, the right way". */
  words: string;
  /** `right`, `wrong`, `unchanged`, `missing`: the mark's style. */
  tone: Trend;
}

/**
 * The arrow of a measure that trends `trend` (TREND_RULE) with `direction` of
 * improvement: the right way for "increase" is up, for "decrease" down.
 */
export function trendMark(trend: Trend, direction: Direction): TrendMark {
  if (trend === 'missing') return { symbol: '·', words: TREND_WORDS.missing, tone: trend };
  if (trend === 'unchanged') return { symbol: '→', words: 'Unchanged: not the right way', tone: trend };
  const up = (trend === 'right') === (direction === 'increase');
  const moved = up ? 'Rising' : 'Falling';
  return { symbol: up ? '↑' : '↓', words: `${moved}, ${trend === 'right' ? 'the right way' : 'the wrong way'}`, tone: trend };
}

/**
 * The sentence a screen reader hears for a curve: the latest value and its
 * period, how it moved from the period before, and the baseline and target.
 */
export function describeCurve(props: Pick<TrendChartProps, 'points' | 'baseline' | 'target' | 'unit' | 'frequency' | 'direction' | 'name'>): string {
  const { points, baseline, target, unit, frequency, direction, name } = props;
  const subject = name ? `${name}: ` : '';
  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const latest = sorted.at(-1);
  const previous = sorted.at(-2);
  const fmt = (v: number) => formatValue(v, unit);
  const parts: string[] = [];
  if (!latest) parts.push(`${subject}no values yet.`);
  else {
    parts.push(`${subject}latest value ${fmt(latest.value)} in ${periodLabel(latest.date, frequency)}`);
    if (previous) {
      const change = latest.value - previous.value;
      const better = direction === 'increase' ? change > 0 : change < 0;
      const moved = Math.abs(change) < 1e-9 ? 'unchanged from' : `${change > 0 ? 'up' : 'down'} from`;
      const way = Math.abs(change) < 1e-9 ? '' : better ? ', the right way' : ', the wrong way';
      parts[0] += `, ${moved} ${fmt(previous.value)} in ${periodLabel(previous.date, frequency)}${way}`;
    }
    parts[0] += '.';
    parts.push(`${sorted.length} ${sorted.length === 1 ? 'value' : 'values'} from ${periodLabel(sorted[0].date, frequency)}.`);
  }
  if (baseline) parts.push(`Baseline ${fmt(baseline.value)}${baseline.date ? ` (${baseline.date})` : ''}.`);
  if (target) parts.push(`Target ${fmt(target.value)}${target.date ? ` (${target.date})` : ''}.`);
  parts.push(direction === 'increase' ? 'Higher is better.' : 'Lower is better.');
  return parts.join(' ');
}
