/**
 * The report card and the public report from stored values (docs/measures.md
 * "The report card", "The public report"). Pure: the service (./service.ts)
 * reads the board and the store and says who may see what.
 *
 * A trend series is an indicator's whole-population values (no subgroup),
 * current, one per period; the report card counts submitted and approved
 * values, the public report approved ones only.
 */
import type { InitiativeModel } from '../../machines/entities.ts';
import { pointsOf, reportCard, trendIn, lastOfYear, type MeasureSeries, type Point } from '../../machines/measures/trend.ts';
import type {
  DatedValue,
  PublicIndicator,
  PublicReport,
  ReportCardAnswer,
  ReviewStatus,
} from '../../src/contract/measureAccess.ts';
import type { BoardIndicator } from './batch.ts';
import type { IndicatorSettings, StoredMeasurement } from './types.ts';

/** The values that count: submitted and approved inside the initiative, approved only in public. */
export const COUNTED: Record<'members' | 'public', readonly ReviewStatus[]> = {
  members: ['submitted', 'approved'],
  public: ['approved'],
};

/** The current rows of each indicator, in the store's order (oldest period first). */
export function byIndicator(rows: readonly StoredMeasurement[]): Map<string, StoredMeasurement[]> {
  const grouped = new Map<string, StoredMeasurement[]>();
  for (const row of rows) {
    if (!row.current) continue;
    let list = grouped.get(row.indicator);
    if (!list) grouped.set(row.indicator, (list = []));
    list.push(row);
  }
  return grouped;
}

/** One series: the values of `subgroup` (null: the whole population) whose status counts, one per period, oldest first. */
export function seriesPoints(rows: readonly StoredMeasurement[], subgroup: string | null, counted: readonly ReviewStatus[]): Point[] {
  return pointsOf(rows, subgroup, (r) => counted.includes(r.status));
}

/**
 * The report card of every indicator on the board: every trend counts in
 * `years`, but an indicator the caller may not `see` shows no latest value and
 * no trend.
 */
export function reportCardAnswer(
  indicators: readonly BoardIndicator[],
  grouped: ReadonlyMap<string, readonly StoredMeasurement[]>,
  see: (indicatorId: string) => boolean,
): ReportCardAnswer {
  const card = reportCard(indicators.map((i) => toSeries(i, grouped, COUNTED.members)));
  return {
    ...card,
    indicators: card.indicators.map((entry) =>
      see(entry.id) ? { ...entry, restricted: false } : { ...entry, latest: null, trend: null, restricted: true },
    ),
  };
}

function toSeries(indicator: BoardIndicator, grouped: ReadonlyMap<string, readonly StoredMeasurement[]>, counted: readonly ReviewStatus[]): MeasureSeries {
  return {
    id: indicator.id,
    name: indicator.name,
    direction: indicator.direction,
    points: seriesPoints(grouped.get(indicator.id) ?? [], null, counted),
  };
}

/**
 * The public report: the goal, the strategies (with the public indicators
 * they move), and each public indicator's approved values, story and trend,
 * and the report card over the public indicators alone.
 */
export function publicReport(
  initiative: { name: string; issue: string },
  model: InitiativeModel,
  indicators: readonly BoardIndicator[],
  settings: ReadonlyMap<string, IndicatorSettings>,
  grouped: ReadonlyMap<string, readonly StoredMeasurement[]>,
  at: string,
): PublicReport {
  const shown = indicators.filter((i) => settings.get(i.id)?.access === 'public');
  const ids = new Set(shown.map((i) => i.id));
  const card = reportCard(shown.map((i) => toSeries(i, grouped, COUNTED.public)));
  const lastYear = card.years.at(-1)?.year;
  return {
    initiative: { name: initiative.name, issue: initiative.issue },
    goal: model.entities.goal[0]?.statement ?? '',
    strategies: model.entities.strategy.map((s) => ({
      id: s.id,
      name: s.name,
      description: s.description,
      indicatorIds: s.indicatorIds.filter((id) => ids.has(id)),
    })),
    indicators: shown.map((indicator): PublicIndicator => {
      const rows = (grouped.get(indicator.id) ?? []).filter((r) => COUNTED.public.includes(r.status));
      const points = seriesPoints(rows, null, COUNTED.public);
      const subgroups: Record<string, Point[]> = {};
      for (const subgroup of indicator.subgroups) {
        const series = seriesPoints(rows, subgroup, COUNTED.public);
        if (series.length > 0) subgroups[subgroup] = series;
      }
      const own = settings.get(indicator.id);
      return {
        id: indicator.id,
        name: indicator.name,
        definition: indicator.definition,
        unit: indicator.unit,
        direction: indicator.direction,
        frequency: indicator.frequency,
        baseline: copy(own?.baseline ?? null),
        target: copy(own?.target ?? null),
        points,
        subgroups,
        stories: rows
          .filter((r) => r.subgroup === null && r.note)
          .map((r) => ({ period: r.period, note: r.note! }))
          .sort((a, b) => (a.period < b.period ? -1 : 1)),
        trend: lastYear === undefined ? 'missing' : trendIn(lastYear, lastOfYear(points), indicator.direction),
      };
    }),
    reportCard: card,
    at,
  };
}

function copy(value: DatedValue | null): DatedValue | null {
  return value && { value: value.value, date: value.date };
}
