/**
 * Where to fix an unmet condition: the board to open and what to select on it,
 * or the add form to open with its fields preset. Pure: computed from the step,
 * the message the check gave (one step can say several things) and the live
 * model, so the ids to select are the ones the message is about.
 *
 * The messages come from machines/checks.ts; test/workflow/fixTargets.test.ts
 * runs every message the checks give over a range of models and checks each
 * finds its target.
 */
import {
  BOARD_LABELS,
  initiativeBackbone,
  named,
  SECTORS,
  stepById,
  type Board,
  type EntityKind,
  type InitiativeModel,
} from '../../machines/index.ts';
import type { FixTarget } from '../kit/focus.ts';

/** An unmet condition as the navigator lists it. */
export interface FixableItem {
  step?: string;
  message: string;
}

const add = (board: Board, kind: EntityKind, preset?: Record<string, unknown>): FixTarget =>
  preset ? { board, add: { kind, preset } } : { board, add: { kind } };

const select = (board: Board, ids: string[]): FixTarget => ({ board, select: ids });

/** The entities whose name, as the checks quote it (`strategy "Parent nights"`), the message mentions. */
function mentioned<T extends { id: string }>(
  message: string,
  list: readonly T[],
  noun: string,
  nameOf: (entity: T) => string,
  blank?: string,
): string[] {
  return list.filter((entity) => message.includes(named(noun, nameOf(entity), blank))).map((entity) => entity.id);
}

/** The first sector nobody on the map comes from: the one the add form offers. */
function missingSector(model: InitiativeModel): string | undefined {
  const seen = new Set(model.entities.stakeholder.map((s) => s.sector));
  return SECTORS.find((sector) => !seen.has(sector));
}

type Rule = (message: string, model: InitiativeModel) => FixTarget | null;

const RULES: Record<string, Rule> = {
  'initiate.governance.champion': () => add('stakeholders', 'stakeholder', { role: 'champion' }),
  'initiate.governance.group': (message, model) => {
    const committees = model.entities.group.filter((g) => g.groupKind === 'steering-committee');
    const ids = mentioned(message, committees, 'steering committee', (g) => g.name);
    return ids.length > 0
      ? select('governance', ids)
      : add('governance', 'group', { groupKind: 'steering-committee' });
  },
  'initiate.planning.landscape': (message, model) => {
    if (message.includes('affected by the issue')) return add('stakeholders', 'stakeholder', { role: 'affected' });
    if (message.includes('existing effort')) return add('stakeholders', 'effort');
    if (message.includes('sector')) {
      const sector = missingSector(model);
      return add('stakeholders', 'stakeholder', sector ? { sector } : undefined);
    }
    return add('stakeholders', 'stakeholder');
  },
  'initiate.planning.case': (message) =>
    message.includes('research source') ? add('framework', 'source') : select('framework', ['problem']),
  'initiate.evaluation.baseline': (message, model) => {
    const ids = mentioned(message, model.entities.baseline, 'Baseline data', (b) => b.statement, 'without a statement');
    return ids.length > 0 ? select('framework', ids) : add('framework', 'baseline');
  },
  'organize.governance.backbone': (_message, model) => {
    const backbone = initiativeBackbone(model);
    return backbone ? select('governance', [backbone.id]) : add('governance', 'backbone');
  },
  'organize.governance.functions': (_message, model) => {
    const backbone = initiativeBackbone(model);
    return backbone ? select('governance', [backbone.id]) : add('governance', 'backbone');
  },
  'organize.planning.boundaries': (message) =>
    add('boundaries', 'boundary', { side: message.includes('outside') ? 'outside' : 'inside' }),
  'organize.planning.framework': (message) => {
    if (message.startsWith('Describe the problem')) return select('framework', ['problem']);
    if (message.startsWith('State a clear goal')) return select('framework', ['goal']);
    if (message.startsWith('Describe the approach to evaluation')) return select('framework', ['evaluation']);
    if (message.includes('principle')) return add('framework', 'principle');
    if (message.includes('short-term')) return add('framework', 'strategy', { horizon: 'short-term' });
    if (message.includes('long-term')) return add('framework', 'strategy', { horizon: 'long-term' });
    return add('framework', 'strategy');
  },
  'organize.evaluation.measures': (message, model) => {
    const indicators = model.entities.indicator;
    const ids = mentioned(message, indicators, 'indicator', (i) => i.name);
    if (ids.length > 0) return select('framework', ids);
    if (indicators.length > 0) return select('framework', indicators.map((i) => i.id));
    return add('framework', 'indicator');
  },
  'sustain.governance.workingGroups': (message, model) => {
    const groups = model.entities.group.filter((g) => g.groupKind === 'working-group');
    const linkless = mentioned(message, groups, 'working group', (g) => g.name);
    if (linkless.length > 0) return select('governance', linkless);
    const strategies = mentioned(message, model.entities.strategy, 'strategy', (s) => s.name);
    if (strategies.length > 0) return add('governance', 'group', { groupKind: 'working-group', strategyIds: strategies.slice(0, 1) });
    return add('framework', 'strategy');
  },
  'sustain.planning.alignment': (message, model) => {
    const strategies = mentioned(message, model.entities.strategy, 'strategy', (s) => s.name);
    return strategies.length > 0
      ? add('framework', 'activity', { strategyId: strategies[0] })
      : add('framework', 'strategy');
  },
  'sustain.evaluation.measurements': (message, model) => {
    const ids = mentioned(message, model.entities.indicator, 'indicator', (i) => i.name);
    return ids.length > 0 ? select('framework', ids) : add('framework', 'indicator');
  },
};

/**
 * Where a person fixes `item`: null for what is not fixed on a board (a
 * judgement a lead confirms with a note, a readiness precondition).
 */
export function fixTarget(item: FixableItem, model: InitiativeModel): FixTarget | null {
  if (!item.step) return null;
  const step = stepById(item.step);
  if (!step || step.confirm) return null;
  return RULES[step.id]?.(item.message, model) ?? null;
}

/** What following the link does, in words: "Add to Stakeholder map", "Open Governance". */
/**
 * What a person may follow: someone who cannot edit the boards (an observer) is
 * taken to the board to look, never to an add form they could not send.
 */
export function followableBy(target: FixTarget | null, mayEdit: boolean): FixTarget | null {
  if (!target || mayEdit || !target.add) return target;
  return { board: target.board };
}

export function fixLabel(target: FixTarget): string {
  return `${target.add ? 'Add to' : 'Open'} ${BOARD_LABELS[target.board]}`;
}
