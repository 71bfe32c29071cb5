/**
 * An initiative's portfolio figures from what it is now (docs/portfolio.md,
 * "The figures"): pure, so the service computes them from the workflow view,
 * the report card's years and the workshops, and tests build them by hand.
 */
import { PRECONDITIONS } from '../../machines/readiness.ts';
import type { ReportCardYear } from '../../machines/measures/trend.ts';
import type { PortfolioReportCard, PortfolioWorkshop, WorkflowView } from '../../src/contract/index.ts';
import type { InitiativeFigures } from './types.ts';

/** A workshop as the figures need it: its summary, when it was created and last changed, and who attended. */
export interface WorkshopFacts extends PortfolioWorkshop {
  createdAt: string;
  updatedAt: string;
}

export interface FigureSources {
  createdAt: string;
  view: Pick<WorkflowView, 'stage' | 'readiness' | 'components' | 'unmet' | 'estimate' | 'history'>;
  /** The report card's years over every indicator (restricted ones too), oldest first. */
  years: readonly ReportCardYear[];
  workshops: readonly WorkshopFacts[];
  /** The latest change heard of that leaves no trace here (a document edit, a measure): null when none. */
  activity: string | null;
}

/** Steps met of all the current phase's steps; during readiness, the three preconditions assessed met. */
export function progressOf(view: FigureSources['view']): { met: number; total: number } {
  if (view.stage === 'readiness') {
    return { met: PRECONDITIONS.filter((p) => view.readiness[p]?.status === 'met').length, total: PRECONDITIONS.length };
  }
  const steps = Object.values(view.components[view.stage]).flatMap((component) => component.steps);
  return { met: steps.filter((s) => s.status === 'met').length, total: steps.length };
}

/** When the current stage was entered: the history entry that moved into it, else the initiative's creation. */
export function stageSinceOf(view: FigureSources['view'], createdAt: string): string {
  const entered = view.history.findLast(
    (e) => (e.type === 'phase.advance' && e.to === view.stage) || (view.stage === 'initiate' && e.type === 'readiness.confirm'),
  );
  return entered?.at ?? createdAt;
}

/** The latest year with data, and the share of the year before it (null when that year has none). */
export function reportCardOf(years: readonly ReportCardYear[]): PortfolioReportCard | null {
  const latest = years.at(-1);
  if (!latest) return null;
  const before = years.find((y) => y.year === latest.year - 1);
  return { year: latest.year, share: latest.share, previousShare: before?.share ?? null, measures: latest.measures, trendingRight: latest.trendingRight };
}

/** The last workshop by date (by creation when it has none). */
export function lastWorkshopOf(workshops: readonly WorkshopFacts[]): PortfolioWorkshop | null {
  // A date carries its own offset: compared as instants.
  const key = (w: WorkshopFacts) => Date.parse(w.date ?? w.createdAt);
  let last: WorkshopFacts | null = null;
  for (const w of workshops) {
    if (!last || key(w) > key(last) || (key(w) === key(last) && w.createdAt > last.createdAt)) last = w;
  }
  return last && { id: last.id, title: last.title, date: last.date, status: last.status, attended: last.attended };
}

const latest = (times: readonly (string | null | undefined)[]): string =>
  times.filter((t): t is string => !!t).reduce((a, b) => (b > a ? b : a));

export function figuresOf(sources: FigureSources): InitiativeFigures {
  const { view, createdAt } = sources;
  return {
    stage: view.stage,
    progress: progressOf(view),
    stageSince: stageSinceOf(view, createdAt),
    estimate: { minMonths: view.estimate.minMonths, maxMonths: view.estimate.maxMonths, answered: view.estimate.answered },
    reportCard: reportCardOf(sources.years),
    unmet: view.unmet.length,
    lastWorkshop: lastWorkshopOf(sources.workshops),
    lastActivityAt: latest([createdAt, sources.activity, view.history.at(-1)?.at, ...sources.workshops.map((w) => w.updatedAt)]),
  };
}
