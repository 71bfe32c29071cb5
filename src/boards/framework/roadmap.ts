import type { InitiativeModel } from '../../../machines/entities.ts';
import { regionNode } from '../../canvas/Region.tsx';
import type { BoardNode, Positions } from '../../canvas/types.ts';

/** The one-page roadmap: Problem & evidence | Goal | Strategies & activities | Indicators; principles and evaluation below. */
export const COLUMNS = {
  problem: 0,
  goal: 260,
  strategy: 520,
  activity: 760,
  indicator: 1020,
};
const WIDTH = 1240;
const GAP = 12;
const TOP = 50;
const HEIGHT: Record<string, number> = {
  problem: 150,
  source: 100,
  baseline: 104,
  goal: 120,
  strategy: 84,
  activity: 100,
  indicator: 120,
  principle: 70,
  evaluation: 120,
};

export interface Roadmap {
  positions: Positions;
  /** Where the principles and evaluation row starts, and where the roadmap ends. */
  bottom: number;
  end: number;
}

/** Where the roadmap puts every card of the framework. */
export function roadmap(model: InitiativeModel, measured: ReadonlyMap<string, number> = new Map()): Roadmap {
  const height = (id: string, kind: string) => Math.max(measured.get(id) ?? 0, HEIGHT[kind]);
  const e = model.entities;
  const p: Positions = {};
  let y = TOP;
  const stack = (ids: { id: string }[], kind: string, x: number) => {
    for (const { id } of ids) {
      p[id] = { x, y };
      y += height(id, kind) + GAP;
    }
  };
  stack(e.problem, 'problem', COLUMNS.problem);
  stack(e.source, 'source', COLUMNS.problem);
  stack(e.baseline, 'baseline', COLUMNS.problem);
  let bottom = y;
  y = TOP;
  stack(e.goal, 'goal', COLUMNS.goal);
  bottom = Math.max(bottom, y);
  y = TOP;
  for (const strategy of e.strategy) {
    const start = y;
    p[strategy.id] = { x: COLUMNS.strategy, y };
    let ay = y;
    for (const a of e.activity.filter((act) => act.strategyId === strategy.id)) {
      p[a.id] = { x: COLUMNS.activity, y: ay };
      ay += height(a.id, 'activity') + GAP;
    }
    y = Math.max(start + height(strategy.id, 'strategy') + GAP, ay);
  }
  for (const a of e.activity.filter((act) => !act.strategyId)) {
    p[a.id] = { x: COLUMNS.activity, y };
    y += height(a.id, 'activity') + GAP;
  }
  bottom = Math.max(bottom, y);
  y = TOP;
  stack(e.indicator, 'indicator', COLUMNS.indicator);
  bottom = Math.max(bottom, y) + 60;
  e.principle.forEach((principle, i) => {
    p[principle.id] = { x: (i % 4) * 250, y: bottom + Math.floor(i / 4) * (HEIGHT.principle + GAP) };
  });
  for (const ev of e.evaluation) p[ev.id] = { x: COLUMNS.indicator, y: bottom };
  const rows = Math.max(1, Math.ceil(e.principle.length / 4));
  const end = bottom + Math.max(HEIGHT.evaluation, rows * (HEIGHT.principle + GAP)) + 20;
  return { positions: p, bottom, end };
}

/** The roadmap's column headings, drawn behind the cards. */
export function roadmapBackdrop({ bottom, end }: Roadmap): BoardNode[] {
  const col = (id: string, label: string, x: number, width: number) =>
    regionNode(id, label, { x: x - 10, y: 0, width, height: bottom - 50 }, 'column');
  return [
    col('problem', 'Problem & evidence', COLUMNS.problem, 240),
    col('goal', 'Goal', COLUMNS.goal, 240),
    col('strategies', 'Strategies & activities', COLUMNS.strategy, 480),
    col('indicators', 'Indicators', COLUMNS.indicator, 240),
    regionNode('principles', 'Principles & evaluation', { x: -10, y: bottom - 40, width: WIDTH + 20, height: end - bottom + 40 }, 'column'),
  ];
}
