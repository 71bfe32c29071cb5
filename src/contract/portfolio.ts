/**
 * The backbone's view (docs/portfolio.md): linked initiatives, the portfolio
 * dashboard and the framework's saved versions, as the server answers them.
 * No zod: the browser takes values and types from here.
 */
import type { FrameworkDiff, FrameworkSnapshot } from '../../machines/framework/types.ts';
import type { Stage } from '../../machines/stages.ts';
import type { WorkshopStatus } from '../../machines/workshop/index.ts';
import type { ViewerRole } from './roles.ts';

export type { FrameworkDiff, FrameworkSnapshot };

/** The latest year of an initiative's report card, and the year before's share (null when it has no data). */
export interface PortfolioReportCard {
  year: number;
  /** Measures trending the right way in `year`, out of `measures` (0 to 1). */
  share: number;
  previousShare: number | null;
  measures: number;
  trendingRight: number;
}

/** The last workshop (by date, else by creation): its title, date, status and how many attended. */
export interface PortfolioWorkshop {
  id: string;
  title: string;
  date: string | null;
  status: WorkshopStatus;
  /** People recorded present (facilitator's word over presence). */
  attended: number;
}

/**
 * One initiative of `GET /api/portfolio`, as the caller may see it. `progress`
 * counts the current phase's steps met of all its steps (during readiness: the
 * three preconditions met), from the same evaluation as the navigator;
 * `unmet` is the number of conditions that stop the next move.
 */
export interface PortfolioRow {
  id: string;
  name: string;
  parentId: string | null;
  stage: Stage;
  progress: { met: number; total: number };
  /** When the initiative entered its current stage (its creation, during readiness). */
  stageSince: string;
  /** The readiness estimate of Phase I and Phase II together, in months. */
  estimate: { minMonths: number; maxMonths: number; answered: boolean };
  reportCard: PortfolioReportCard | null;
  unmet: number;
  lastWorkshop: PortfolioWorkshop | null;
  /** The last change anyone made: to the boards, the workflow, the measures or a workshop. */
  lastActivityAt: string;
  /** The caller's role in it; null when they see it as the lead of an initiative above it (they cannot open it). */
  role: ViewerRole | null;
}

/** The `portfolio` event of `GET /api/portfolio/stream`: rows that changed (as the caller may see them), ids no longer visible or gone. */
export interface PortfolioEvent {
  rows: PortfolioRow[];
  removed: string[];
}

/** A sub-initiative as its parent's governance card shows it. */
export interface LinkedInitiative {
  id: string;
  name: string;
  stage: Stage;
  /** The report card's latest year, or null. */
  reportCard: PortfolioReportCard | null;
  /** Whether the caller may open it (a member there, or the admin). */
  canOpen: boolean;
}

/**
 * `GET /api/initiatives/:id/links`: the parent (strategies listed only to those
 * who may see the parent's boards) and the sub-initiatives. Also the `links`
 * event of the initiative's stream, whenever one of them changes.
 */
export interface InitiativeLinks {
  parent: { id: string; name: string; canOpen: boolean; strategies: { id: string; name: string }[] | null } | null;
  children: LinkedInitiative[];
}

export const VERSION_KINDS = ['saved', 'before-restore'] as const;
/** `saved`: a lead or facilitator saved it; `before-restore`: the server kept the framework as it was before a restore. */
export type VersionKind = (typeof VERSION_KINDS)[number];

/** `GET …/framework/versions` (newest first). */
export interface FrameworkVersionSummary {
  id: string;
  number: number;
  name: string;
  /** What was learned (the revision's note), or why a restore happened. */
  note: string;
  kind: VersionKind;
  by: { id: string | null; name: string };
  at: string;
  /** How many cards of each kind it holds. */
  counts: Record<string, number>;
}

/** `GET …/framework/versions/:vid`. */
export interface FrameworkVersion extends FrameworkVersionSummary {
  content: FrameworkSnapshot;
}

/** What a diff side is: a version id, or `current` (the framework on the board now). */
export const CURRENT_FRAMEWORK = 'current';

/** Sentences the portfolio and version routes answer with. */
export const PORTFOLIO_REFUSALS = {
  noParent: 'No initiative with that id to put this one under.',
  cycle: 'An initiative cannot sit under itself or under one of its own sub-initiatives.',
  parentLead: 'Only the administrator or a backbone lead of the initiative above can put an initiative under it.',
  noVersion: 'No saved version of this framework has that id.',
} as const;
