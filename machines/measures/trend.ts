/**
 * The trend rule and the report card (docs/measures.md). Pure: the server
 * computes the report card with these, the browser the figures beside a chart.
 *
 * A series is one indicator's values for the whole population (no subgroup),
 * one per period, rejected values left out by the caller.
 */
export type Direction = 'increase' | 'decrease';

/** One value of a series: the period's first day and the value. */
export interface Point {
  date: string;
  value: number;
}

/**
 * The points of one series: the values of `subgroup` (null: the whole
 * population) among `rows` that `counts` keeps, as points dated by their
 * period, oldest first. The browser and the server read values into series
 * with this one function.
 */
export function pointsOf<R extends { subgroup: string | null; period: string; value: number }>(
  rows: readonly R[],
  subgroup: string | null,
  counts: (row: R) => boolean,
): Point[] {
  return rows
    .filter((row) => row.subgroup === subgroup && counts(row))
    .map((row) => ({ date: row.period, value: row.value }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

/** How a measure moved in a year: `missing` when that year or the year before has no value. */
export const TRENDS = ['right', 'wrong', 'unchanged', 'missing'] as const;
export type Trend = (typeof TRENDS)[number];

export const TREND_WORDS: Record<Trend, string> = {
  right: 'Trending the right way',
  wrong: 'Trending the wrong way',
  unchanged: 'Unchanged',
  missing: 'Not enough data',
};

/** The rule, in the words the report card shows (and the API answers as `rule`). */
export const TREND_RULE =
  'A measure trends the right way in a year when its last value of that year improves on its last value of the previous year, in its direction of improvement. An unchanged or missing value does not count as the right way.';

/** Values closer than this are equal (floating point from CSV and sums). */
const EPSILON = 1e-9;

/** Each year's last value (by date), oldest year first. */
export function lastOfYear(points: readonly Point[]): Map<number, number> {
  const last = new Map<number, { date: string; value: number }>();
  for (const p of points) {
    const year = Number(p.date.slice(0, 4));
    const seen = last.get(year);
    if (!seen || p.date >= seen.date) last.set(year, p);
  }
  return new Map([...last.entries()].sort((a, b) => a[0] - b[0]).map(([y, p]) => [y, p.value]));
}

/** The trend of a measure in `year`, by TREND_RULE. */
export function trendIn(year: number, byYear: ReadonlyMap<number, number>, direction: Direction): Trend {
  const now = byYear.get(year);
  const before = byYear.get(year - 1);
  if (now === undefined || before === undefined) return 'missing';
  if (Math.abs(now - before) < EPSILON) return 'unchanged';
  return (direction === 'increase' ? now > before : now < before) ? 'right' : 'wrong';
}

/** What the report card reads of one indicator. */
export interface MeasureSeries {
  id: string;
  name: string;
  direction: Direction;
  points: readonly Point[];
}

export interface ReportCardYear {
  year: number;
  /** Every measure of the initiative. */
  measures: number;
  trendingRight: number;
  /** trendingRight / measures, from 0 to 1 (0 with no measures). */
  share: number;
}

export interface ReportCardIndicator {
  id: string;
  name: string;
  direction: Direction;
  /** The last value, or null with none (or when the caller may not see the indicator's values). */
  latest: Point | null;
  /** Its trend in the report card's last year; null when the caller may not see it. */
  trend: Trend | null;
}

export interface ReportCard {
  rule: string;
  years: ReportCardYear[];
  indicators: ReportCardIndicator[];
}

/**
 * The report card of `series`: for each year in which any measure has a
 * value, how many of all the measures trend the right way; and each measure
 * with its last value and its trend in the last of those years.
 */
export function reportCard(series: readonly MeasureSeries[]): ReportCard {
  const byYear = series.map((s) => lastOfYear(s.points));
  const years = [...new Set(byYear.flatMap((m) => [...m.keys()]))].sort((a, b) => a - b);
  const measures = series.length;
  const rows = years.map((year) => {
    const trendingRight = series.filter((s, i) => trendIn(year, byYear[i], s.direction) === 'right').length;
    return { year, measures, trendingRight, share: measures === 0 ? 0 : trendingRight / measures };
  });
  const lastYear = years.at(-1);
  return {
    rule: TREND_RULE,
    years: rows,
    indicators: series.map((s, i) => ({
      id: s.id,
      name: s.name,
      direction: s.direction,
      latest: latestOf(s.points),
      trend: lastYear === undefined ? 'missing' : trendIn(lastYear, byYear[i], s.direction),
    })),
  };
}

/** The share as people read it: 0.4117 → "41.2 %". */
export function formatShare(share: number): string {
  return `${(Math.round(share * 1000) / 10).toFixed(1)} %`;
}

function latestOf(points: readonly Point[]): Point | null {
  let latest: Point | null = null;
  for (const p of points) if (!latest || p.date >= latest.date) latest = p;
  return latest ? { date: latest.date, value: latest.value } : null;
}

/** The figures beside an indicator's chart. */
export interface IndicatorFigures {
  latest: Point | null;
  /** The value before the latest. */
  previous: Point | null;
  /** latest − baseline, when both exist. */
  fromBaseline: number | null;
  /** latest − previous. */
  fromPrevious: number | null;
  /**
   * How far the latest value has come from the baseline to the target, in
   * percent (0 at the baseline, 100 at the target, past 100 beyond it); with no
   * baseline, latest / target × 100. Null without a target, or when baseline
   * and target are equal.
   */
  percentOfTarget: number | null;
}

export function indicatorFigures(
  points: readonly Point[],
  baseline: number | null,
  target: number | null,
): IndicatorFigures {
  const sorted = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const latest = sorted.at(-1) ?? null;
  const previous = sorted.at(-2) ?? null;
  let percentOfTarget: number | null = null;
  if (latest && target !== null) {
    if (baseline !== null) percentOfTarget = Math.abs(target - baseline) < EPSILON ? null : ((latest.value - baseline) / (target - baseline)) * 100;
    else percentOfTarget = Math.abs(target) < EPSILON ? null : (latest.value / target) * 100;
  }
  return {
    latest,
    previous,
    fromBaseline: latest && baseline !== null ? latest.value - baseline : null,
    fromPrevious: latest && previous ? latest.value - previous.value : null,
    percentOfTarget,
  };
}
