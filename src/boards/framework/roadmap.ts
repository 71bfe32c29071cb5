import type { Entity, InitiativeModel } from '../../../machines/entities.ts';
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
const GAP = 24;
const TOP = 50;
/** The smallest height per kind (an empty card). */
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
/** Measured in Chromium: a card's title wraps at about 20 characters a line, 19 px each; eyebrow and padding take 32 px. */
const CHARS_PER_LINE = 20;
const LINE = 19;
const CHROME = 32;

const lines = (text: string) => Math.max(1, Math.ceil(text.length / CHARS_PER_LINE));

/** How tall a card will render, from its words (the board lays cards out before they are measured). */
export function estimatedHeight(entity: Entity): number {
  const title = (text: string) => CHROME + LINE * lines(text);
  switch (entity.kind) {
    case 'problem':
      return title(entity.description.slice(0, 220));
    case 'goal':
      return title(entity.statement.slice(0, 200));
    case 'evaluation':
      return title(entity.approach.slice(0, 200));
    case 'source':
      return title(entity.title) + (entity.reference ? LINE : 0);
    case 'baseline':
      return title(entity.statement) + 2 * LINE;
    case 'strategy':
      // With indicators, two lines more: how many of them trend the right way.
      return title(entity.name) + 20 + (entity.indicatorIds.length > 0 ? 2 * LINE : 0);
    case 'activity':
      return title(entity.name) + (entity.ownerIds.length > 0 ? 18 + LINE * entity.ownerIds.length : 0);
    case 'indicator':
      // Direction and unit, the latest value with its sparkline, the trend.
      return title(entity.name) + 4 * LINE;
    case 'principle':
      return title(entity.statement);
    default:
      return HEIGHT[entity.kind] ?? 100;
  }
}

export interface Roadmap {
  positions: Positions;
  /** Where the principles and evaluation row starts, and where the roadmap ends. */
  bottom: number;
  end: number;
}

/** Where the roadmap puts every card of the framework. */
export function roadmap(model: InitiativeModel, measured: ReadonlyMap<string, number> = new Map()): Roadmap {
  const e = model.entities;
  const byId = new Map<string, Entity>();
  for (const kind of ['problem', 'source', 'baseline', 'goal', 'strategy', 'activity', 'indicator', 'principle', 'evaluation'] as const) {
    for (const entity of e[kind] as Entity[]) byId.set(entity.id, entity);
  }
  const height = (id: string, kind: string) => {
    const entity = byId.get(id);
    return Math.max(measured.get(id) ?? 0, entity ? estimatedHeight(entity) : HEIGHT[kind]);
  };
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
  // Principles in rows of four, each row as tall as its tallest card.
  let rowTop = bottom;
  for (let i = 0; i < e.principle.length; i += 4) {
    const row = e.principle.slice(i, i + 4);
    row.forEach((principle, j) => (p[principle.id] = { x: j * 250, y: rowTop }));
    rowTop += Math.max(...row.map((principle) => height(principle.id, 'principle'))) + GAP;
  }
  let evaluationEnd = bottom;
  for (const ev of e.evaluation) {
    p[ev.id] = { x: COLUMNS.indicator, y: bottom };
    evaluationEnd = bottom + height(ev.id, 'evaluation');
  }
  const end = Math.max(rowTop, evaluationEnd, bottom + HEIGHT.evaluation) + 20;
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
