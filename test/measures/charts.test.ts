/**
 * The measures' charts: the rows and axis they draw, the words a screen
 * reader hears, the trend arrow, and TrendChart's accessible markup rendered
 * by React (server rendering: the label, the hidden table, the stories,
 * nothing typed rendered as HTML).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { chartRows, describeCurve, trendMark, valueAxis } from '../../src/measures/charts/chartData.ts';
import TrendChart from '../../src/measures/charts/TrendChart.tsx';
import type { TrendChartProps } from '../../src/measures/charts/chartData.ts';
import { boardMeasures, rightWayCount, rightWayWords } from '../../src/measures/charts/boardMeasures.tsx';
import type { MeasurementRow, ReportCardAnswer } from '../../src/contract/measureAccess.ts';

const base: TrendChartProps = {
  name: 'Ready for school',
  points: [
    { date: '2022-01-01', value: 40 },
    { date: '2021-01-01', value: 38 },
    { date: '2023-01-01', value: 42.5 },
  ],
  subgroups: { North: [{ date: '2023-01-01', value: 30 }], South: [{ date: '2020-01-01', value: 50 }] },
  baseline: { value: 38, date: '2021-06-30' },
  target: { value: 60, date: '2030-01-01' },
  unit: 'percent',
  frequency: 'yearly',
  direction: 'increase',
};

describe('chartRows', () => {
  it('gives one row per period with any value, oldest first, labelled by the frequency', () => {
    const rows = chartRows(base.points, base.subgroups!, 'yearly');
    expect(rows.map((r) => r.label)).toEqual(['2020', '2021', '2022', '2023']);
    expect(rows[0]).toMatchObject({ value: null, 'sub:South': 50, 'sub:North': null });
    expect(rows[3]).toMatchObject({ value: 42.5, 'sub:North': 30 });
  });

  it('labels quarters and months', () => {
    const q = chartRows([{ date: '2024-04-01', value: 1 }], {}, 'quarterly');
    const m = chartRows([{ date: '2024-05-01', value: 1 }], {}, 'monthly');
    expect([q[0].label, m[0].label]).toEqual(['Q2 2024', 'May 2024']);
  });
});

describe('valueAxis', () => {
  it('holds every value, baseline and target on round ticks, within 0 to 100 for a percent', () => {
    // 16 to 26, padded to 15 to 27, in steps of 5.
    expect(valueAxis([19.5, 26, 24, 16], 'percent')).toEqual({ domain: [15, 30], ticks: [15, 20, 25, 30] });
    // 38 to 97, padded to 32.1 and (capped) 100, in steps of 20.
    expect(valueAxis([38, 42.5, 60, 97], 'percent')).toEqual({ domain: [20, 100], ticks: [20, 40, 60, 80, 100] });
  });

  it('does not dip under zero for values that are all 0 or more, but follows negative values', () => {
    expect(valueAxis([0, 3], 'count').domain[0]).toBe(0);
    expect(valueAxis([-12, 4], 'score').domain[0]).toBeLessThanOrEqual(-12);
  });

  it('gives a range around a single value, and decimal steps for small ones', () => {
    const { domain } = valueAxis([500], 'count');
    expect(domain[0]).toBeLessThan(500);
    expect(domain[1]).toBeGreaterThan(500);
    expect(valueAxis([0.12, 0.18], 'rate').ticks).toEqual([0.1, 0.12, 0.14, 0.16, 0.18, 0.2]);
  });
});

describe('trendMark', () => {
  it('points the way the value moved and says whether it is the right way', () => {
    expect(trendMark('right', 'increase')).toMatchObject({ symbol: '↑', words: 'Rising, the right way' });
    expect(trendMark('right', 'decrease')).toMatchObject({ symbol: '↓', words: 'Falling, the right way' });
    expect(trendMark('wrong', 'increase')).toMatchObject({ symbol: '↓', words: 'Falling, the wrong way' });
    expect(trendMark('wrong', 'decrease')).toMatchObject({ symbol: '↑', words: 'Rising, the wrong way' });
    expect(trendMark('unchanged', 'increase').symbol).toBe('→');
    expect(trendMark('missing', 'decrease').words).toBe('Not enough data');
  });
});

describe('describeCurve', () => {
  it('states the latest value, its movement and whether that is the right way', () => {
    const text = describeCurve(base);
    expect(text).toContain('Ready for school: latest value 42.5 % in 2023, up from 40 % in 2022, the right way.');
    expect(text).toContain('3 values from 2021.');
    expect(text).toContain('Baseline 38 % (2021-06-30).');
    expect(text).toContain('Target 60 % (2030-01-01).');
  });

  it('says a fall is the right way when lower is better', () => {
    const text = describeCurve({ ...base, direction: 'decrease', unit: 'rate' });
    expect(text).toContain('up from 40 per 1,000 in 2022, the wrong way');
    expect(text).toContain('Lower is better.');
  });

  it('says when there are no values', () => {
    expect(describeCurve({ ...base, points: [], baseline: null, target: null })).toBe('Ready for school: no values yet. Higher is better.');
  });
});

describe('TrendChart markup', () => {
  const html = (props: TrendChartProps) => renderToStaticMarkup(createElement(TrendChart, props));

  it('is one labelled image with every value, subgroups included, in a hidden table', () => {
    const out = html(base);
    expect(out).toContain(`role="img" aria-label="${describeCurve(base)}"`);
    expect(out).toMatch(/<table class="visually-hidden"><caption>Values of Ready for school, by period<\/caption>/);
    expect(out).toContain('<th scope="col">North</th><th scope="col">South</th>');
    expect(out).toContain('<th scope="row">2023</th><td>42.5 %</td><td>30 %</td><td>—</td>');
    expect(out).toContain('<th scope="row">2020</th><td>—</td><td>—</td><td>50 %</td>');
  });

  it('offers the subgroup switch only when a subgroup has values, starting where it is told', () => {
    expect(html(base)).toMatch(/<input type="checkbox"\/>Show each subgroup/);
    expect(html({ ...base, showSubgroups: true })).toMatch(/<input type="checkbox" checked=""\/>Show each subgroup/);
    expect(html({ ...base, subgroups: { North: [] } })).not.toContain('Show each subgroup');
  });

  it('lists the story behind the curve, newest first, as text', () => {
    const out = html({ ...base, stories: [{ period: '2022-01-01', note: 'Tutors <b>started</b>' }, { period: '2023-01-01', note: 'A second school joined' }] });
    expect(out).toContain('The story behind the curve');
    expect(out.indexOf('A second school joined')).toBeLessThan(out.indexOf('Tutors'));
    expect(out).toContain('Tutors &lt;b&gt;started&lt;/b&gt;');
  });

  it('says "No values yet" with nothing to draw', () => {
    expect(html({ ...base, points: [], subgroups: {} })).toContain('No values yet.');
  });
});

describe('the board’s measures', () => {
  const row = (indicator: string, period: string, value: number, extra: Partial<MeasurementRow> = {}): MeasurementRow => ({
    id: `${indicator}-${period}-${extra.subgroup ?? ''}`,
    indicator,
    date: period,
    period,
    value,
    subgroup: null,
    note: null,
    enteredBy: 'Ada',
    enteredById: 'm1',
    enteredAt: '2026-01-01T00:00:00Z',
    status: 'approved',
    review: null,
    current: true,
    ...extra,
  });
  const card: ReportCardAnswer = {
    rule: 'rule',
    years: [],
    indicators: [
      { id: 'a', name: 'A', direction: 'increase', latest: { date: '2024-01-01', value: 3 }, trend: 'right', restricted: false },
      { id: 'b', name: 'B', direction: 'decrease', latest: { date: '2024-01-01', value: 9 }, trend: 'wrong', restricted: false },
      { id: 'c', name: 'C', direction: 'increase', latest: null, trend: null, restricted: true },
      { id: 'd', name: 'D', direction: 'decrease', latest: { date: '2024-01-01', value: 1 }, trend: 'right', restricted: false },
    ],
  };
  const measurements = [
    row('a', '2024-01-01', 3),
    row('a', '2023-01-01', 2),
    row('a', '2022-01-01', 1, { status: 'rejected' }),
    row('a', '2021-01-01', 7, { current: false }),
    row('a', '2024-01-01', 50, { subgroup: 'North' }),
    row('b', '2024-01-01', 9),
  ];

  it('gives each visible indicator its whole-population series and trend, and a restricted one nothing but that', () => {
    const measures = boardMeasures(card, measurements)!;
    expect(measures.get('a')).toEqual({
      restricted: false,
      points: [
        { date: '2023-01-01', value: 2 },
        { date: '2024-01-01', value: 3 },
      ],
      latest: { date: '2024-01-01', value: 3 },
      trend: 'right',
      direction: 'increase',
    });
    expect(measures.get('c')).toEqual({ restricted: true });
    expect(boardMeasures(null, measurements)).toBeNull();
  });

  it('counts the measures trending the right way among those the viewer may see, once each', () => {
    const measures = boardMeasures(card, measurements)!;
    const count = rightWayCount(measures, ['a', 'b', 'c', 'd', 'a', 'unknown']);
    expect(count).toEqual({ right: 2, seen: 3, restricted: 1 });
    expect(rightWayWords(count)).toEqual({
      text: '2 of 3 measures trending the right way',
      title: 'Counts only the measures whose trend you may see: 1 restricted measure is left out.',
    });
    expect(rightWayWords(rightWayCount(measures, ['b']))!.text).toBe('0 of 1 measure trending the right way');
    expect(rightWayWords(rightWayCount(measures, ['c']))!.text).toBe('1 restricted measure');
    expect(rightWayWords(rightWayCount(measures, ['unknown']))).toBeNull();
  });
});
