/** How the dashboard writes each figure of a portfolio row, in the domain's words (docs/domain.md). */
import { formatShare } from '../../machines/measures/trend.ts';
import { STAGE_LABELS, type Stage } from '../../machines/stages.ts';
import type { PortfolioRow } from '../contract/portfolio.ts';
import type { RollUp } from '../../machines/portfolio.ts';
import { daysSince, monthsSince } from './rows.ts';
import { formatDay } from '../kit/when.ts';

/** Short stage names for the narrow places (roll-ups, phone cards). */
export const STAGE_SHORT: Record<Stage, string> = {
  readiness: 'Readiness',
  initiate: 'Phase I',
  organize: 'Phase II',
  sustain: 'Phase III',
};

export const stageLabel = (stage: Stage) => STAGE_LABELS[stage];


/** "4 of 7 steps" (readiness: "2 of 3 preconditions"). */
export function progressText(row: PortfolioRow): string {
  const what = row.stage === 'readiness' ? 'preconditions' : 'steps';
  return `${row.progress.met} of ${row.progress.total} ${what}`;
}

/** "3 months", "12 days", "today". */
export function durationText(since: string, now: number): string {
  const months = monthsSince(since, now);
  if (months >= 2) return `${months} months`;
  const days = daysSince(since, now);
  if (days === 0) return 'under a day';
  return days === 1 ? '1 day' : `${days} days`;
}

/** The readiness estimate of Phases I and II: "estimate 6–18 months", or why none applies. */
export function estimateText(row: PortfolioRow): string {
  if (row.stage === 'sustain') return 'Phase III: no estimate';
  if (!row.estimate.answered) return 'no estimate yet';
  return `estimate ${row.estimate.minMonths}–${row.estimate.maxMonths} months`;
}

/** The change of the report card's share from the year before, in percentage points: "+8 pts", "−3 pts", "no change". */
export function changeText(row: PortfolioRow): string | null {
  const card = row.reportCard;
  if (!card || card.previousShare === null) return null;
  const points = Math.round((card.share - card.previousShare) * 100);
  if (points === 0) return `no change from ${card.year - 1}`;
  return `${points > 0 ? '+' : '−'}${Math.abs(points)} pts from ${card.year - 1}`;
}

/** "58% trending right in 2025 (7 of 12 measures)". */
export function shareText(row: PortfolioRow): string {
  const card = row.reportCard;
  if (!card) return 'no data yet';
  return `${formatShare(card.share)} in ${card.year}`;
}

export function workshopText(row: PortfolioRow): string {
  const w = row.lastWorkshop;
  if (!w) return 'none yet';
  return w.date ? `${w.title}, ${formatDay(w.date)}` : w.title;
}

export function attendedText(row: PortfolioRow): string {
  const w = row.lastWorkshop;
  if (!w) return '';
  return w.attended === 1 ? '1 attended' : `${w.attended} attended`;
}

/** "5 minutes ago", "3 days ago", else the day. */
export function agoText(iso: string, now: number): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const minutes = Math.floor((now - at) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return minutes === 1 ? '1 minute ago' : `${minutes} minutes ago`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return hours === 1 ? '1 hour ago' : `${hours} hours ago`;
  const days = Math.floor(hours / 24);
  if (days < 14) return days === 1 ? 'yesterday' : `${days} days ago`;
  return formatDay(iso);
}

/** The roll-up of a parent, as a sentence: "5 below: 1 Readiness · 3 Phase I · 1 Phase II; 58% of their measures trending right". */
export function rollUpText(up: RollUp): { stages: string; share: string } {
  const stages = (Object.keys(STAGE_SHORT) as Stage[])
    .filter((stage) => up.stages[stage] > 0)
    .map((stage) => `${up.stages[stage]} ${STAGE_SHORT[stage]}`)
    .join(' · ');
  const share =
    up.share === null
      ? 'no measures below yet'
      : `${formatShare(up.share)} of their ${up.measures} measures trending the right way`;
  return { stages: `${up.below} below: ${stages}`, share };
}
