/**
 * Roll-ups of the portfolio (docs/portfolio.md): at each initiative, over all
 * the initiatives below it, how many are in each stage and the share of all
 * their measures trending the right way (each one's latest year). Pure, over
 * plain rows: the dashboard, its CSV and the server's tests use the same code.
 */
import { STAGES, type Stage } from './stages.ts';

export interface RollUpRow {
  id: string;
  parentId: string | null;
  stage: Stage;
  reportCard: { measures: number; trendingRight: number } | null;
}

export interface RollUp {
  /** How many initiatives below (at any depth) are in each stage. */
  stages: Record<Stage, number>;
  /** How many initiatives are below, at any depth. */
  below: number;
  measures: number;
  trendingRight: number;
  /** trendingRight / measures, or null when none of them has measures. */
  share: number | null;
}

/** The roll-up of every row that has rows below it, by id. Rows whose parent is not among `rows` are roots. */
export function rollUps(rows: readonly RollUpRow[]): Map<string, RollUp> {
  const byId = new Map(rows.map((row) => [row.id, row]));
  const result = new Map<string, RollUp>();
  for (const row of rows) {
    // Walk up from each row, adding it to every ancestor once (a cycle in bad data stops the walk).
    const seen = new Set([row.id]);
    let parent = row.parentId ? byId.get(row.parentId) : undefined;
    while (parent && !seen.has(parent.id)) {
      seen.add(parent.id);
      let up = result.get(parent.id);
      if (!up) {
        up = {
          stages: Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>,
          below: 0,
          measures: 0,
          trendingRight: 0,
          share: null,
        };
        result.set(parent.id, up);
      }
      up.stages[row.stage] += 1;
      up.below += 1;
      up.measures += row.reportCard?.measures ?? 0;
      up.trendingRight += row.reportCard?.trendingRight ?? 0;
      up.share = up.measures === 0 ? null : up.trendingRight / up.measures;
      parent = parent.parentId ? byId.get(parent.parentId) : undefined;
    }
  }
  return result;
}

/**
 * Rows in tree order (parents above their sub-initiatives, siblings by name), each with its depth. `compare`: how
 * names compare (the dashboard passes one that spares the browser its collator, src/portfolio/names.ts).
 */
export function treeOrder<R extends { id: string; parentId: string | null; name: string }>(
  rows: readonly R[],
  compare: (a: string, b: string) => number = (a, b) => a.localeCompare(b),
): { row: R; depth: number }[] {
  const ids = new Set(rows.map((r) => r.id));
  const children = new Map<string | null, R[]>();
  for (const row of rows) {
    const key = row.parentId && ids.has(row.parentId) ? row.parentId : null;
    const siblings = children.get(key);
    if (siblings) siblings.push(row);
    else children.set(key, [row]);
  }
  for (const list of children.values()) list.sort((a, b) => compare(a.name, b.name) || compare(a.id, b.id));
  const out: { row: R; depth: number }[] = [];
  const placed = new Set<string>();
  const visit = (parent: string | null, depth: number) => {
    for (const row of children.get(parent) ?? []) {
      if (placed.has(row.id)) continue;
      placed.add(row.id);
      out.push({ row, depth });
      visit(row.id, depth + 1);
    }
  };
  visit(null, 0);
  // Rows caught in a cycle of parents (bad data) still show, at the top level.
  for (const row of rows) if (!placed.has(row.id)) out.push({ row, depth: 0 });
  return out;
}
