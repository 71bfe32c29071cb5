/**
 * The checks of the step catalogue (./catalogue.ts): pure functions of what the
 * group has built (the InitiativeModel) and the initiative's thresholds. Each
 * answers what is missing, in a facilitator's words (empty when met): what to
 * do, and how far along the group is.
 */
import { SECTOR_LABELS, type Sector } from './domain.ts';
import {
  BACKBONE_FUNCTION_LABELS,
  BACKBONE_FUNCTIONS,
  type BackboneEntity,
  type GroupEntity,
  type InitiativeModel,
  type StakeholderEntity,
} from './entities.ts';
import type { Thresholds } from './thresholds.ts';

export type StepCheck = (model: InitiativeModel, thresholds: Thresholds) => string[];

const plural = (n: number, one: string, many = `${one}s`) => (n === 1 ? one : many);

/** "A", "A and B", "A, B and C". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function sectorsOf(stakeholders: readonly StakeholderEntity[]): Sector[] {
  const seen = new Set(stakeholders.map((s) => s.sector));
  return (Object.keys(SECTOR_LABELS) as Sector[]).filter((s) => seen.has(s));
}

/**
 * `steering committee "Council"`: what the group called something, quoted, as
 * part of a sentence. A trailing full stop, comma or colon the group typed is
 * left out (so the sentence never doubles its punctuation), and a blank name
 * reads as `steering committee without a name`.
 */
export function named(noun: string, name: string, blank = 'without a name'): string {
  const clean = name.trim().replace(/[.,;:!?]+$/, '').trim();
  return clean ? `${noun} "${clean}"` : `${noun} ${blank}`;
}

const sectorList = (sectors: readonly Sector[]) => joinWords(sectors.map((s) => SECTOR_LABELS[s]));
const blank = (text: string) => text.trim().length === 0;
const first = <T extends { id: string }>(list: readonly T[], kind: string): T | undefined =>
  list.find((e) => e.id === kind);

/** The members and leads of a group, as stakeholders. */
function peopleOf(model: InitiativeModel, group: GroupEntity): StakeholderEntity[] {
  const ids = new Set([...group.memberIds, ...group.leadIds]);
  return model.entities.stakeholder.filter((s) => ids.has(s.id));
}

/** The initiative-wide backbone (scopeId null) the guards read: the one furthest along. */
export function initiativeBackbone(model: InitiativeModel): BackboneEntity | undefined {
  const candidates = model.entities.backbone.filter((b) => b.scopeId === null);
  const assigned = (b: BackboneEntity) => BACKBONE_FUNCTIONS.filter((fn) => b.functions[fn].length > 0).length;
  const score = (b: BackboneEntity) => (b.structure ? 10 : 0) + assigned(b);
  return [...candidates].sort((a, b) => score(b) - score(a))[0];
}

export const checkChampion: StepCheck = (model) =>
  model.entities.stakeholder.some((s) => s.role === 'champion')
    ? []
    : [
        'Add at least one champion to the stakeholder map (none yet): someone respected enough to bring cross-sector leaders together and keep them engaged.',
      ];

export const checkCrossSectorGroup: StepCheck = (model, t) => {
  const committees = model.entities.group.filter((g) => g.groupKind === 'steering-committee');
  if (committees.length === 0) {
    return ['Form a cross-sector group: add a steering committee on the governance board (none yet).'];
  }
  const judged = committees.map((group) => {
    const people = peopleOf(model, group);
    return { group, sectors: sectorsOf(people), champion: people.some((p) => p.role === 'champion') };
  });
  if (judged.some((j) => j.sectors.length >= t.minGroupSectors && j.champion)) return [];
  // Explain with the committee that is furthest along.
  const best = [...judged].sort(
    (a, b) => Number(b.champion) + b.sectors.length * 2 - (Number(a.champion) + a.sectors.length * 2),
  )[0];
  const committee = named('steering committee', best.group.name);
  const messages: string[] = [];
  const n = best.sectors.length;
  if (n === 0) {
    messages.push(
      `The ${committee} has no members yet: add members from at least ${t.minGroupSectors} ${plural(t.minGroupSectors, 'sector')}.`,
    );
  } else if (n < t.minGroupSectors) {
    const more = t.minGroupSectors - n;
    messages.push(
      `The ${committee} spans ${n} ${plural(n, 'sector')} (${sectorList(best.sectors)}): add members from at least ${more} more ${plural(more, 'sector')} so it is cross-sector.`,
    );
  }
  if (!best.champion) {
    messages.push(
      `Add a champion to the ${committee}: the initial governance structure includes strong, credible champions.`,
    );
  }
  return messages;
};

export const checkLandscape: StepCheck = (model, t) => {
  const { stakeholder: stakeholders, effort: efforts } = model.entities;
  const messages: string[] = [];
  if (stakeholders.length < t.minStakeholders) {
    messages.push(
      `Add at least ${t.minStakeholders} ${plural(t.minStakeholders, 'stakeholder')} to the stakeholder map (${stakeholders.length === 0 ? 'none yet' : `${stakeholders.length} so far`}).`,
    );
  }
  const sectors = sectorsOf(stakeholders);
  if (sectors.length < t.minSectors) {
    messages.push(
      `Get the system in the room: bring in stakeholders from at least ${t.minSectors} ${plural(t.minSectors, 'sector')} (${sectors.length === 0 ? 'none yet' : `${sectors.length} so far: ${sectorList(sectors)}`}).`,
    );
  }
  const affected = stakeholders.filter((s) => s.role === 'affected').length;
  if (affected < t.minAffected) {
    messages.push(
      t.minAffected === 1
        ? 'Add at least one person affected by the issue to the stakeholder map (none yet).'
        : `Add at least ${t.minAffected} people affected by the issue to the stakeholder map (${affected === 0 ? 'none yet' : `${affected} so far`}).`,
    );
  }
  if (efforts.length < t.minEfforts) {
    messages.push(
      `Record the work already under way: at least ${t.minEfforts} existing ${plural(t.minEfforts, 'effort')} to build on, rather than starting from scratch (${efforts.length === 0 ? 'none yet' : `${efforts.length} so far`}).`,
    );
  }
  return messages;
};

export const checkCaseForChange: StepCheck = (model) => {
  const messages: string[] = [];
  const problem = first(model.entities.problem, 'problem');
  if (!problem || blank(problem.description)) {
    messages.push('Describe the problem on the strategic action framework board (not written yet).');
  }
  if (model.entities.source.length === 0) {
    messages.push('Add at least one research source that shows how severe the problem is (none yet).');
  }
  return messages;
};

export const checkBaseline: StepCheck = (model, t) => {
  const items = model.entities.baseline;
  const messages: string[] = [];
  const complete = items.filter((b) => !blank(b.source) && !blank(b.date));
  if (complete.length < t.minBaselineItems) {
    messages.push(
      `Record at least ${t.minBaselineItems} baseline data ${plural(t.minBaselineItems, 'item')} on the problem, each with its source and date (${complete.length === 0 ? 'none yet' : `${complete.length} so far`}).`,
    );
  }
  for (const item of items) {
    const data = named('Baseline data', item.statement, 'without a statement');
    if (blank(item.source)) messages.push(`${data} has no source: say where the figure comes from.`);
    if (blank(item.date)) messages.push(`${data} has no date: say when it was measured.`);
  }
  return messages;
};

export const checkBackboneStructure: StepCheck = (model) => {
  const backbone = initiativeBackbone(model);
  if (!backbone) return ["Create the initiative's backbone on the governance board (none yet)."];
  if (backbone.structure === null) {
    return [
      `Choose a structure for the ${named('backbone', backbone.name)}: a funder, a new or an existing nonprofit, an intermediary, a government agency, functions shared across organisations, or a steering-committee-driven model.`,
    ];
  }
  return [];
};

export const checkBackboneFunctions: StepCheck = (model) => {
  const backbone = initiativeBackbone(model);
  if (!backbone) return ["Create the initiative's backbone first, then say who carries each of its six functions."];
  return BACKBONE_FUNCTIONS.filter((fn) => backbone.functions[fn].length === 0).map(
    (fn) => `Nobody carries the backbone function "${BACKBONE_FUNCTION_LABELS[fn]}" yet: assign a stakeholder to it.`,
  );
};

export const checkBoundaries: StepCheck = (model) => {
  const messages: string[] = [];
  const items = model.entities.boundary;
  if (!items.some((b) => b.side === 'inside')) {
    messages.push('Put at least one issue, population or geography inside the boundaries (none yet).');
  }
  if (!items.some((b) => b.side === 'outside')) {
    messages.push(
      'Name at least one issue, population or geography left outside the boundaries (none yet): deciding what stays out is part of the judgment.',
    );
  }
  return messages;
};

export const checkFramework: StepCheck = (model, t) => {
  const { strategy: strategies, principle: principles } = model.entities;
  const messages: string[] = [];
  const problem = first(model.entities.problem, 'problem');
  if (!problem || blank(problem.description))
    messages.push('Describe the problem, informed by solid research (not written yet).');
  const goal = first(model.entities.goal, 'goal');
  if (!goal || blank(goal.statement)) messages.push('State a clear goal for the desired change (not written yet).');
  if (strategies.length < t.minStrategies) {
    messages.push(
      `Add at least ${t.minStrategies} key strategies to the portfolio (${strategies.length === 0 ? 'none yet' : `${strategies.length} so far`}).`,
    );
  }
  if (!strategies.some((s) => s.horizon === 'short-term')) {
    messages.push('Include at least one easy, short-term win among the strategies (none yet).');
  }
  if (!strategies.some((s) => s.horizon === 'long-term')) {
    messages.push('Include at least one ambitious, long-term systemic strategy (none yet).');
  }
  if (principles.length === 0)
    messages.push("Agree at least one principle that guides the group's behaviour (none yet).");
  const evaluation = first(model.entities.evaluation, 'evaluation');
  if (!evaluation || blank(evaluation.approach)) {
    messages.push(
      'Describe the approach to evaluation: how the initiative gets and judges feedback (not written yet).',
    );
  }
  return messages;
};

export const checkSharedMeasures: StepCheck = (model, t) => {
  const indicators = model.entities.indicator;
  if (indicators.length === 0) {
    return ['Add the shared measures: a short list of indicators, each with a clear definition (none yet).'];
  }
  const messages: string[] = [];
  if (indicators.length > t.maxIndicators) {
    messages.push(
      `Keep the shared measures to a short list: at most ${t.maxIndicators} ${plural(t.maxIndicators, 'indicator')} (${indicators.length} now).`,
    );
  }
  for (const indicator of indicators) {
    if (blank(indicator.definition)) {
      messages.push(
        `Define the ${named('indicator', indicator.name)} so every partner measures it the same way (no definition yet).`,
      );
    }
  }
  return messages;
};

export const checkWorkingGroups: StepCheck = (model) => {
  const strategies = model.entities.strategy;
  if (strategies.length === 0) {
    return ['Add the key strategies to the framework first: working groups form around each of them (none yet).'];
  }
  const workingGroups = model.entities.group.filter((g) => g.groupKind === 'working-group');
  const messages: string[] = [];
  for (const strategy of strategies) {
    if (!workingGroups.some((g) => g.strategyIds.includes(strategy.id))) {
      messages.push(`Form a working group for the ${named('strategy', strategy.name)} (none yet).`);
    }
  }
  for (const group of workingGroups) {
    if (group.indicatorIds.length === 0) {
      messages.push(`Link the ${named('working group', group.name)} to at least one shared measure it works to move.`);
    }
  }
  return messages;
};

export const checkAlignment: StepCheck = (model) => {
  const strategies = model.entities.strategy;
  if (strategies.length === 0) return ['Add the key strategies to the framework first (none yet).'];
  return strategies
    .filter((s) => !model.entities.activity.some((a) => a.strategyId === s.id && a.ownerIds.length > 0))
    .map(
      (s) =>
        `Add an activity with an owner for the ${named('strategy', s.name)}: each participant does what it is best at, coordinated through one plan of action (none yet).`,
    );
};

export const checkMeasurements: StepCheck = (model, t) => {
  const indicators = model.entities.indicator;
  if (indicators.length === 0) return ['Add the shared measures first: there is nothing to collect data on yet.'];
  // The values live on the server: `measured` counts each indicator's current, non-rejected ones.
  const count = (id: string) => model.measured[id] ?? 0;
  return indicators
    .filter((i) => count(i.id) < t.minMeasurements)
    .map((i) =>
      t.minMeasurements === 1
        ? `Record a measurement for the ${named('indicator', i.name)} (none yet).`
        : `Record at least ${t.minMeasurements} measurements for the ${named('indicator', i.name)} (${count(i.id) === 0 ? 'none yet' : `${count(i.id)} so far`}).`,
    );
};
