/** The trend rule and the report card (machines/measures/trend.ts) on series built year by year. */
import { describe, expect, it } from 'vitest';
import {
  formatShare,
  indicatorFigures,
  lastOfYear,
  pointsOf,
  reportCard,
  TREND_RULE,
  trendIn,
  type Direction,
  type MeasureSeries,
  type Point,
} from '../../../machines/measures/index.ts';

/** Yearly points: `values[k]` for year `from + k`; null leaves the year without a value. */
function yearly(from: number, values: (number | null)[]): Point[] {
  return values.flatMap((value, k) => (value === null ? [] : [{ date: `${from + k}-01-01`, value }]));
}

const series = (id: string, direction: Direction, points: Point[]): MeasureSeries => ({ id, name: `Measure ${id}`, direction, points });

describe('the trend rule', () => {
  it('is stated in the words the report card shows', () => {
    expect(TREND_RULE).toContain('last value of that year improves on its last value of the previous year');
    expect(TREND_RULE).toContain('unchanged or missing value does not count');
  });

  it('a measure to increase trends the right way when it rises, the wrong way when it falls', () => {
    const byYear = lastOfYear(yearly(2020, [50, 55, 53]));
    expect(trendIn(2021, byYear, 'increase')).toBe('right');
    expect(trendIn(2022, byYear, 'increase')).toBe('wrong');
  });

  it('a measure to decrease trends the right way when it falls, the wrong way when it rises', () => {
    const byYear = lastOfYear(yearly(2020, [24, 21.5, 22]));
    expect(trendIn(2021, byYear, 'decrease')).toBe('right');
    expect(trendIn(2022, byYear, 'decrease')).toBe('wrong');
  });

  it('an unchanged value is unchanged in either direction, floating point noise included', () => {
    const byYear = lastOfYear([
      { date: '2020-01-01', value: 0.1 + 0.2 },
      { date: '2021-01-01', value: 0.3 },
    ]);
    expect(trendIn(2021, byYear, 'increase')).toBe('unchanged');
    expect(trendIn(2021, byYear, 'decrease')).toBe('unchanged');
  });

  it('a year without a value, or without one the year before, is missing; so is the first year', () => {
    const byYear = lastOfYear(yearly(2018, [10, null, 12, 13]));
    expect(trendIn(2018, byYear, 'increase')).toBe('missing');
    expect(trendIn(2019, byYear, 'increase')).toBe('missing');
    // 2020 compares with 2019, not with 2018: a gap is not bridged.
    expect(trendIn(2020, byYear, 'increase')).toBe('missing');
    expect(trendIn(2021, byYear, 'increase')).toBe('right');
    expect(trendIn(2022, byYear, 'increase')).toBe('missing');
  });

  it('with several values in a year, the last by date counts, whatever the order given', () => {
    const points: Point[] = [
      { date: '2021-10-01', value: 40 },
      { date: '2020-04-01', value: 90 },
      { date: '2021-01-01', value: 10 },
      { date: '2020-10-01', value: 30 },
      { date: '2020-01-01', value: 5 },
    ];
    expect([...lastOfYear(points)]).toEqual([
      [2020, 30],
      [2021, 40],
    ]);
    // 40 after 30: right, although 2021's first value (10) is below 2020's last.
    expect(trendIn(2021, lastOfYear(points), 'increase')).toBe('right');
  });
});

describe('the report card', () => {
  it('counts, for each year with data, the measures trending the right way out of all of them, in both directions', () => {
    const card = reportCard([
      series('grad', 'increase', yearly(2020, [80, 82, 85, 84])),
      series('alcohol', 'decrease', yearly(2020, [24, 22, 22, 20])),
      series('absence', 'decrease', yearly(2020, [12, 13, 11, 10])),
    ]);
    expect(card.rule).toBe(TREND_RULE);
    expect(card.years).toEqual([
      { year: 2020, measures: 3, trendingRight: 0, share: 0 },
      { year: 2021, measures: 3, trendingRight: 2, share: 2 / 3 },
      { year: 2022, measures: 3, trendingRight: 2, share: 2 / 3 },
      { year: 2023, measures: 3, trendingRight: 2, share: 2 / 3 },
    ]);
    expect(card.indicators).toEqual([
      { id: 'grad', name: 'Measure grad', direction: 'increase', latest: { date: '2023-01-01', value: 84 }, trend: 'wrong' },
      { id: 'alcohol', name: 'Measure alcohol', direction: 'decrease', latest: { date: '2023-01-01', value: 20 }, trend: 'right' },
      { id: 'absence', name: 'Measure absence', direction: 'decrease', latest: { date: '2023-01-01', value: 10 }, trend: 'right' },
    ]);
  });

  it('a measure missing a year still counts among the measures, not among the right ones; a tie is not right', () => {
    const card = reportCard([
      series('a', 'increase', yearly(2020, [1, 2, null, 4])),
      series('b', 'increase', yearly(2020, [5, 5, 5, 5])),
      series('c', 'decrease', yearly(2021, [9, 8])),
      series('d', 'increase', []),
    ]);
    expect(card.years.map((y) => [y.year, y.measures, y.trendingRight])).toEqual([
      [2020, 4, 0],
      [2021, 4, 1],
      [2022, 4, 1],
      [2023, 4, 0],
    ]);
    expect(card.indicators.map((i) => [i.id, i.trend, i.latest])).toEqual([
      ['a', 'missing', { date: '2023-01-01', value: 4 }],
      ['b', 'unchanged', { date: '2023-01-01', value: 5 }],
      // Its data stop in 2022: in the card's last year it has none.
      ['c', 'missing', { date: '2022-01-01', value: 8 }],
      ['d', 'missing', null],
    ]);
  });

  it('lists only the years some measure has a value in, oldest first', () => {
    const card = reportCard([series('a', 'increase', yearly(2015, [1, null, null, null, null, 2])), series('b', 'decrease', yearly(2018, [3]))]);
    expect(card.years.map((y) => y.year)).toEqual([2015, 2018, 2020]);
    expect(card.years.every((y) => y.trendingRight === 0)).toBe(true);
  });

  it('quarterly values: each year’s last quarter with a value counts', () => {
    const points: Point[] = [
      { date: '2022-01-01', value: 10 },
      { date: '2022-10-01', value: 14 },
      { date: '2023-04-01', value: 9 },
      { date: '2023-07-01', value: 12 },
    ];
    const card = reportCard([series('q', 'decrease', points)]);
    expect(card.years.map((y) => [y.year, y.trendingRight])).toEqual([
      [2022, 0],
      [2023, 1],
    ]);
    expect(card.indicators[0]).toMatchObject({ latest: { date: '2023-07-01', value: 12 }, trend: 'right' });
  });

  it('with no measures, or measures without values, has no years', () => {
    expect(reportCard([])).toEqual({ rule: TREND_RULE, years: [], indicators: [] });
    const card = reportCard([series('a', 'increase', []), series('b', 'decrease', [])]);
    expect(card.years).toEqual([]);
    expect(card.indicators.map((i) => [i.latest, i.trend])).toEqual([
      [null, 'missing'],
      [null, 'missing'],
    ]);
  });

  it('the share is trending right over all measures, between 0 and 1; shown with one decimal', () => {
    // 34 measures, as the education partnership reports: 14 right in 2024.
    const all = Array.from({ length: 34 }, (_, k) => series(`m${k}`, k % 2 ? 'increase' : 'decrease', yearly(2023, k < 14 ? (k % 2 ? [1, 2] : [2, 1]) : [1, 1])));
    const [, year] = reportCard(all).years;
    expect(year).toEqual({ year: 2024, measures: 34, trendingRight: 14, share: 14 / 34 });
    expect(formatShare(year.share)).toBe('41.2 %');
    expect(formatShare(0)).toBe('0.0 %');
    expect(formatShare(1)).toBe('100.0 %');
    expect(formatShare(2 / 3)).toBe('66.7 %');
    expect(formatShare(1 / 3)).toBe('33.3 %');
  });
});

describe('the figures beside a chart', () => {
  const points = yearly(2020, [24, 22, 19]);

  it('latest, previous, the change from the baseline and from the previous period, and the share of the way to the target', () => {
    const figures = indicatorFigures([...points].reverse(), 26, 16);
    expect(figures).toMatchObject({
      latest: { date: '2022-01-01', value: 19 },
      previous: { date: '2021-01-01', value: 22 },
      fromBaseline: -7,
      fromPrevious: -3,
    });
    expect(figures.percentOfTarget).toBeCloseTo(70);
  });

  it('past the target is past 100; without a baseline the latest value over the target', () => {
    expect(indicatorFigures(points, 30, 20).percentOfTarget).toBeCloseTo(110);
    expect(indicatorFigures(points, null, 38).percentOfTarget).toBe(50);
    expect(indicatorFigures(points, null, 38).fromBaseline).toBeNull();
  });

  it('nothing to compute: no values, one value, no target, a target equal to the baseline, a zero target', () => {
    expect(indicatorFigures([], 10, 20)).toEqual({ latest: null, previous: null, fromBaseline: null, fromPrevious: null, percentOfTarget: null });
    expect(indicatorFigures(yearly(2020, [5]), 10, 20)).toMatchObject({ previous: null, fromPrevious: null, fromBaseline: -5, percentOfTarget: -50 });
    expect(indicatorFigures(points, 10, null).percentOfTarget).toBeNull();
    expect(indicatorFigures(points, 20, 20).percentOfTarget).toBeNull();
    expect(indicatorFigures(points, null, 0).percentOfTarget).toBeNull();
  });
});

describe('pointsOf: reading values into a series', () => {
  const rows = [
    { subgroup: null, period: '2024-01-01', value: 3, keep: true },
    { subgroup: 'North', period: '2022-01-01', value: 9, keep: true },
    { subgroup: null, period: '2022-01-01', value: 1, keep: true },
    { subgroup: null, period: '2023-01-01', value: 2, keep: false },
  ];

  it('keeps the counted values of one subgroup, dated by period, oldest first', () => {
    expect(pointsOf(rows, null, (r) => r.keep)).toEqual([
      { date: '2022-01-01', value: 1 },
      { date: '2024-01-01', value: 3 },
    ]);
    expect(pointsOf(rows, 'North', () => true)).toEqual([{ date: '2022-01-01', value: 9 }]);
    expect(pointsOf(rows, 'South', () => true)).toEqual([]);
  });
});
