/**
 * The portfolio dashboard's rows as it shows them (docs/portfolio.md): in tree
 * order (parents above their sub-initiatives) or sorted by a column, filtered,
 * with the roll-up of every parent. Pure: the table, the phone's cards and the
 * CSV export all show what `shownRows` answers.
 */
import { rollUps, treeOrder, type RollUp } from '../../machines/portfolio.ts';
import { STAGES, type Stage } from '../../machines/stages.ts';
import type { PortfolioRow } from '../contract/portfolio.ts';
import { compareNames } from './names.ts';

export const SORT_KEYS = [
  'tree',
  'name',
  'stage',
  'progress',
  'inStage',
  'share',
  'unmet',
  'lastWorkshop',
  'lastActivity',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface Sort {
  key: SortKey;
  descending: boolean;
}

export interface Filters {
  /** A stage, or '' for every stage. */
  stage: Stage | '';
  /** Words the name (or the last workshop's title) contains, any case. */
  text: string;
  /** Only initiatives with at least one unmet condition. */
  unmetOnly: boolean;
  /** An initiative id: it and every initiative below it; '' for all. */
  subtree: string;
}

export const NO_FILTERS: Filters = { stage: '', text: '', unmetOnly: false, subtree: '' };
export const TREE_ORDER: Sort = { key: 'tree', descending: false };

export interface ShownRow {
  row: PortfolioRow;
  /** Depth in the tree (0 for an initiative whose parent the caller does not see). */
  depth: number;
  /** The parent's name, when the caller sees the parent. */
  parentName: string | null;
  /** The roll-up over every initiative below, for a parent; null for a leaf. */
  rollUp: RollUp | null;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** An average month, for "months in the current stage" against the estimate in months. */
const MONTH_MS = (365.25 / 12) * DAY_MS;

/** Whole months since `since` (rounded down), never negative. */
export function monthsSince(since: string, now: number): number {
  const at = Date.parse(since);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((now - at) / MONTH_MS));
}

/** Whole days since `since`, never negative. */
export function daysSince(since: string, now: number): number {
  const at = Date.parse(since);
  return Number.isNaN(at) ? 0 : Math.max(0, Math.floor((now - at) / DAY_MS));
}

/** Whether the readiness estimate (Phases I and II together) applies to the stage: not in Phase III. */
export function estimateApplies(row: PortfolioRow): boolean {
  return row.stage !== 'sustain' && row.estimate.answered;
}

/** Past the estimate's longest span: in Phase I or II (or readiness) for longer than `maxMonths`. */
export function beyondEstimate(row: PortfolioRow, now: number): boolean {
  return estimateApplies(row) && monthsSince(row.stageSince, now) > row.estimate.maxMonths;
}

const progressShare = (row: PortfolioRow) => (row.progress.total === 0 ? 0 : row.progress.met / row.progress.total);
const time = (iso: string | null | undefined) => (iso ? Date.parse(iso) || 0 : 0);

/** The value a column sorts by (ascending); rows without one (no report card, no workshop) sort last either way. */
function sortValue(row: PortfolioRow, key: Exclude<SortKey, 'tree'>): number | string | null {
  switch (key) {
    case 'name':
      return row.name;
    case 'stage':
      return STAGES.indexOf(row.stage) + progressShare(row) / 2;
    case 'progress':
      return progressShare(row);
    case 'inStage':
      // Longest in its stage first when descending: the earlier it entered, the larger.
      return -time(row.stageSince);
    case 'share':
      return row.reportCard ? row.reportCard.share : null;
    case 'unmet':
      return row.unmet;
    case 'lastWorkshop':
      return row.lastWorkshop ? time(row.lastWorkshop.date ?? null) : null;
    case 'lastActivity':
      return time(row.lastActivityAt);
  }
}

function compare(a: PortfolioRow, b: PortfolioRow, sort: Sort): number {
  if (sort.key === 'tree') return 0;
  const x = sortValue(a, sort.key);
  const y = sortValue(b, sort.key);
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  const order = typeof x === 'string' ? compareNames(x, y as string) : x - (y as number);
  return sort.descending ? -order : order;
}

/** The tree order of a list, worked out once per list (the table and the subtree filter's choices both need it). */
const orders = new WeakMap<readonly PortfolioRow[], { row: PortfolioRow; depth: number }[]>();
function ordered(rows: readonly PortfolioRow[]): { row: PortfolioRow; depth: number }[] {
  let order = orders.get(rows);
  if (!order) orders.set(rows, (order = treeOrder(rows, compareNames)));
  return order;
}

/** The ids of `root` and every initiative below it among `rows`. */
export function subtreeIds(rows: readonly PortfolioRow[], root: string): Set<string> {
  const ids = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const row of rows) {
      if (row.parentId && ids.has(row.parentId) && !ids.has(row.id)) {
        ids.add(row.id);
        grew = true;
      }
    }
  }
  return ids;
}

function matches(row: PortfolioRow, filters: Filters, inSubtree: Set<string> | null): boolean {
  if (filters.stage && row.stage !== filters.stage) return false;
  if (filters.unmetOnly && row.unmet === 0) return false;
  if (inSubtree && !inSubtree.has(row.id)) return false;
  const words = filters.text.trim().toLocaleLowerCase();
  if (words) {
    const haystack = `${row.name} ${row.lastWorkshop?.title ?? ''}`.toLocaleLowerCase();
    if (!words.split(/\s+/).every((word) => haystack.includes(word))) return false;
  }
  return true;
}

/**
 * The rows to show, in order: tree order keeps each sub-initiative under its
 * parent (with its depth); any other sort is flat, ties kept in tree order.
 * Roll-ups are over every row the caller sees, whatever the filters.
 */
export function shownRows(rows: readonly PortfolioRow[], filters: Filters, sort: Sort): ShownRow[] {
  const ups = rollUps(rows);
  const names = new Map(rows.map((row) => [row.id, row.name]));
  const inSubtree = filters.subtree ? subtreeIds(rows, filters.subtree) : null;
  const shown = ordered(rows)
    .filter(({ row }) => matches(row, filters, inSubtree))
    .map(({ row, depth }) => ({
      row,
      depth,
      parentName: row.parentId ? (names.get(row.parentId) ?? null) : null,
      rollUp: ups.get(row.id) ?? null,
    }));
  if (sort.key === 'tree') return shown;
  // Array.prototype.sort is stable: equal rows stay in tree order.
  return shown.sort((a, b) => compare(a.row, b.row, sort));
}

/** The initiatives that have sub-initiatives the caller sees, in tree order: the subtree filter's choices. */
export function parents(rows: readonly PortfolioRow[]): { row: PortfolioRow; depth: number }[] {
  const withChildren = new Set(rows.map((row) => row.parentId).filter((id): id is string => id !== null));
  return ordered(rows).filter(({ row }) => withChildren.has(row.id));
}

/** Rows replaced by id from a `portfolio` event, ids in `removed` dropped, new ones added. */
export function applyEvent(
  rows: readonly PortfolioRow[],
  changed: readonly PortfolioRow[],
  removed: readonly string[],
): PortfolioRow[] {
  const gone = new Set(removed);
  const byId = new Map(changed.map((row) => [row.id, row]));
  const next = rows.filter((row) => !gone.has(row.id)).map((row) => byId.get(row.id) ?? row);
  const known = new Set(next.map((row) => row.id));
  for (const row of changed) if (!known.has(row.id) && !gone.has(row.id)) next.push(row);
  return next;
}

/** A full list read again: rows whose figures did not change keep their objects, so the table redraws only what changed. */
export function keepUnchanged(before: readonly PortfolioRow[] | null, after: PortfolioRow[]): PortfolioRow[] {
  if (!before) return after;
  const old = new Map(before.map((row) => [row.id, row]));
  return after.map((row) => {
    const was = old.get(row.id);
    return was && JSON.stringify(was) === JSON.stringify(row) ? was : row;
  });
}
