/**
 * Shared measurement at the browser–server boundary (docs/measures.md,
 * docs/api.md "Shared measurement"): access levels and who may see, enter and
 * review an indicator's values, the refusals, and the answers. No zod here, so
 * the browser may import its values; the request schemas are in measures.ts.
 *
 * Measurements, and an indicator's baseline, target, access level and data
 * stewards, live on the server (server/measures/), never in the shared
 * document: the server sends each person only the values they may see.
 * The indicator's name, definition, unit, direction, frequency and subgroups
 * stay on the framework board (src/schema/fields.ts).
 */
import type { Direction, Point, ReportCard, ReportCardIndicator, Trend } from '../../machines/measures/index.ts';
import type { Frequency } from '../../machines/measures/periods.ts';
import { can } from './permissions.ts';
import type { ViewerRole } from './roles.ts';

/** A baseline or target: a value and, when known, the date it holds for (YYYY-MM-DD). */
export interface DatedValue {
  value: number;
  date: string | null;
}

/** Who an indicator's values reach: everyone with the public report link, every member, or the lead, its stewards and the admin. */
export const ACCESS_LEVELS = ['public', 'members', 'restricted'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export const ACCESS_LEVEL_LABELS: Record<AccessLevel, string> = {
  public: 'Public: members, and the public report',
  members: 'Members of this initiative',
  restricted: 'Restricted: the backbone lead and the data stewards',
};
/** A new indicator's level, and every indicator's before its lead chooses. */
export const DEFAULT_ACCESS: AccessLevel = 'members';

export const REVIEW_STATUSES = ['submitted', 'approved', 'rejected'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

export const MEASURE_LIMITS = {
  noteMax: 1000,
  subgroupMax: 60,
  subgroupsMax: 20,
  reasonMax: 500,
  /** Rows in one POST (JSON or CSV). */
  rowsMax: 50_000,
  /** Bytes of one POST body. */
  bodyBytes: 10 * 1024 * 1024,
  stewardsMax: 50,
} as const;

/** The columns of a CSV import, in this order, with this header line. */
export const CSV_COLUMNS = ['indicator', 'date', 'value', 'subgroup', 'note'] as const;

// ---------------------------------------------------------------- who may do what

/** Who is asking: their role in the initiative and, for a member, their member id (the admin has none). */
export interface MeasureViewer {
  role: ViewerRole;
  memberId: string | null;
}

/** What decides who may touch one indicator's values. */
export interface IndicatorAccess {
  access: AccessLevel;
  /** Member ids of its data stewards. */
  stewards: readonly string[];
}

export interface MeasureRights {
  /** Its values, baseline and target, each measurement's details. */
  see: boolean;
  /** Enter values and set the baseline and target. */
  enter: boolean;
  /** Approve or reject a submitted value. */
  review: boolean;
  /** Choose the access level and the data stewards. */
  configure: boolean;
}

/**
 * The one rule of who may do what with an indicator's values:
 * - `see`: any member for `public` and `members`; for `restricted`, the
 *   admin, the lead and the indicator's stewards (`seeRestrictedMeasures`).
 * - `enter`: the admin, the lead, a facilitator (`enterMeasures`) or a steward,
 *   provided they see it (a facilitator enters a restricted indicator's values
 *   only as its steward) and may edit at all (an observer never enters).
 * - `review`: the admin, the lead (`reviewMeasures`) or a steward who may edit
 *   (a steward, not a value they entered themselves: reviewsOwnValue).
 * - `configure`: the admin or the lead (`configureMeasures`).
 */
export function measureRights(viewer: MeasureViewer, indicator: IndicatorAccess): MeasureRights {
  const steward = viewer.memberId !== null && indicator.stewards.includes(viewer.memberId) && can(viewer.role, 'editCanvas');
  const see =
    indicator.access === 'restricted'
      ? can(viewer.role, 'seeRestrictedMeasures') || steward
      : can(viewer.role, 'viewInitiative');
  return {
    see,
    enter: see && (can(viewer.role, 'enterMeasures') || steward),
    review: see && (can(viewer.role, 'reviewMeasures') || steward),
    configure: can(viewer.role, 'configureMeasures'),
  };
}

/**
 * Whether the viewer would be reviewing their own value as a data steward:
 * a steward does not approve or reject a value they entered (the lead and
 * the admin, the backbone, review any value, their own included). The server
 * refuses it (MEASURE_REFUSALS.ownValue); the grid offers no buttons for it.
 */
export function reviewsOwnValue(viewer: MeasureViewer, enteredById: string | null): boolean {
  return !can(viewer.role, 'reviewMeasures') && viewer.memberId !== null && viewer.memberId === enteredById;
}

/** Refusals, in the words the API answers with. */
export const MEASURE_REFUSALS = {
  enter: (indicator: string) =>
    `Only the backbone lead, a facilitator or a data steward of “${indicator}” can enter its values.`,
  enterRestricted: (indicator: string) =>
    `“${indicator}” is restricted: only the backbone lead and its data stewards can enter its values.`,
  review: (indicator: string) => `Only the backbone lead or a data steward of “${indicator}” can review its values.`,
  ownValue: (indicator: string) =>
    `You entered this value of “${indicator}”: a data steward does not review their own values. The backbone lead or another data steward of “${indicator}” reviews it.`,
  observerSteward: (name: string) => `${name} is an observer: an observer cannot report data. Change their role first.`,
  notAMember: 'A data steward must be a member of this initiative.',
  noIndicator: (indicator: string) => `There is no indicator “${indicator}” on the framework board.`,
  replace: (count: number) =>
    `${count === 1 ? 'A value' : `${count} values`} would replace ${count === 1 ? 'one' : 'ones'} already entered: confirm to replace ${count === 1 ? 'it' : 'them'}.`,
  unpublished: 'This report is no longer published. Ask the initiative’s backbone lead for a new link.',
  alreadyReviewed: 'This value has been replaced by a newer one; review the newer value.',
} as const;

// ---------------------------------------------------------------- answers

/** One failing row of a refused batch or CSV: `row` is the CSV line (the header is line 1) or the JSON index + 1. */
export interface RowIssue {
  row: number;
  field: (typeof CSV_COLUMNS)[number] | 'row' | 'file';
  message: string;
}

/** `400` (bad rows, nothing written) or `409` (values would be replaced: resend with `?replace=1`). */
export interface BatchRefusal {
  error: string;
  issues: RowIssue[];
}

/** `200` to a batch: every row was written in one transaction. */
export interface BatchAccepted {
  accepted: number;
  /** How many replaced a value already entered (kept in the history). */
  replaced: number;
}

/** One measurement, as `GET /api/initiatives/:id/measurements` answers. */
export interface MeasurementRow {
  id: string;
  indicator: string;
  /** As entered, YYYY-MM-DD. */
  date: string;
  /** The first day of the period it reports on, by the indicator's frequency when entered. */
  period: string;
  value: number;
  subgroup: string | null;
  note: string | null;
  /** The name of whoever entered it. */
  enteredBy: string;
  /** Their member id; null for the admin or an importer's rows. */
  enteredById: string | null;
  enteredAt: string;
  status: ReviewStatus;
  review: { by: string; at: string; reason: string | null } | null;
  /** False once replaced by a newer value of the same period and subgroup (listed only with `?history=1`). */
  current: boolean;
}

/** `GET /api/initiatives/:id/indicators`: each indicator on the board, with what the caller may see of its settings. */
export interface IndicatorSettingsView {
  indicator: string;
  access: AccessLevel;
  stewards: { id: string; name: string }[];
  /** Null when unset, or when the caller may not see the values. */
  baseline: DatedValue | null;
  target: DatedValue | null;
  rights: MeasureRights;
}

/** `GET /api/initiatives/:id/report-card`: indicators the caller may not see have `latest` and `trend` null and `restricted` true; their trends still count in `years`. */
export interface ReportCardAnswer extends Omit<ReportCard, 'indicators'> {
  indicators: (ReportCardIndicator & { restricted: boolean })[];
}

/** A published report link, as the lead sees it. */
export interface ReportLink {
  id: string;
  token: string;
  url: string;
  createdAt: string;
  createdBy: string;
}

/** One public indicator on the public report (approved values only). */
export interface PublicIndicator {
  id: string;
  name: string;
  definition: string;
  unit: string;
  direction: Direction;
  frequency: Frequency;
  baseline: DatedValue | null;
  target: DatedValue | null;
  /** The whole population's values, one per period. */
  points: Point[];
  /** Each subgroup's values. */
  subgroups: Record<string, Point[]>;
  /** The story behind the curve: the note of each period that has one. */
  stories: { period: string; note: string }[];
  trend: Trend;
}

/** `GET /api/report/:token`: what the public report shows. No sign-in; only `public` indicators, approved values. */
export interface PublicReport {
  initiative: { name: string; issue: string };
  goal: string;
  strategies: { id: string; name: string; description: string; indicatorIds: string[] }[];
  indicators: PublicIndicator[];
  reportCard: ReportCard;
  /** When the answer was made. */
  at: string;
}

/**
 * The `measures` event of the initiative's event stream: the indicators whose
 * values or settings changed, among those the receiver may see (plus any whose
 * access just changed); the page asks again for what it shows. Never values.
 */
export interface MeasuresEvent {
  indicators: string[];
}
