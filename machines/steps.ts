/**
 * The step catalogue: every cell of DOMAIN.md's table "Components for success
 * across the phases", broken into concrete steps. Plain data and pure functions:
 * the statechart in ./workflow.ts uses them as guards, the server explains its
 * refusals with them, and the UI calls `evaluatePhase` with the live model to
 * show what is missing without a round trip.
 *
 * A step completes in one of two ways:
 * - `check`: a pure function of what the group has built (the InitiativeModel)
 *   and the initiative's thresholds, answering the messages of what is missing
 *   (empty when met);
 * - `confirm`: a judgement (community outreach, public will, a learning review…)
 *   that a lead or facilitator confirms with a note (event `step.confirm`).
 */
import {
  COMPONENT_GOALS,
  COMPONENT_LABELS,
  COMPONENTS,
  PHASES,
  SECTOR_LABELS,
  type Component,
  type Phase,
  type Sector,
} from './domain.ts';
import {
  BACKBONE_FUNCTION_LABELS,
  BACKBONE_FUNCTIONS,
  BOARDS,
  ENTITY_KINDS,
  type BackboneEntity,
  type GroupEntity,
  type InitiativeModel,
  type StakeholderEntity,
} from './entities.ts';
import type { Person, Unmet } from './readiness.ts';
import type { Thresholds } from './thresholds.ts';

export type StepCheck = (model: InitiativeModel, thresholds: Thresholds) => string[];

interface StepBase {
  /** `<phase>.<component>.<name>`: also the step's path in the statechart. */
  id: string;
  phase: Phase;
  component: Component;
  title: string;
  /** What the group does, in the literature's words. */
  guidance: string;
}

export type StepDef =
  (StepBase & { check: StepCheck; confirm?: undefined }) | (StepBase & { confirm: true; check?: undefined });

/** A judgement step's confirmation: who confirmed it, when, and their note. */
export interface Confirmation {
  note: string;
  by: Person;
  at: string;
}

export type Confirmations = Record<string, Confirmation>;

/**
 * A model with nothing built yet, shaped like `readModel` of a fresh document
 * (the three singletons present, their text empty). What guards see when no
 * document is at hand.
 */
export function blankModel(): InitiativeModel {
  const entities = Object.fromEntries(ENTITY_KINDS.map((k) => [k, []])) as unknown as InitiativeModel['entities'];
  entities.problem = [{ kind: 'problem', id: 'problem', description: '' }];
  entities.goal = [{ kind: 'goal', id: 'goal', statement: '' }];
  entities.evaluation = [{ kind: 'evaluation', id: 'evaluation', approach: '' }];
  const placements = Object.fromEntries(BOARDS.map((b) => [b, {}])) as InitiativeModel['placements'];
  return { entities, placements };
}

// ---------------------------------------------------------------- words

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

// ---------------------------------------------------------------- checks

const checkChampion: StepCheck = (model) =>
  model.entities.stakeholder.some((s) => s.role === 'champion')
    ? []
    : [
        'Add at least one champion to the stakeholder map (none yet): someone respected enough to bring cross-sector leaders together and keep them engaged.',
      ];

const checkCrossSectorGroup: StepCheck = (model, t) => {
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
  const name = best.group.name;
  const messages: string[] = [];
  const n = best.sectors.length;
  if (n === 0) {
    messages.push(
      `The steering committee "${name}" has no members yet: add members from at least ${t.minGroupSectors} ${plural(t.minGroupSectors, 'sector')}.`,
    );
  } else if (n < t.minGroupSectors) {
    const more = t.minGroupSectors - n;
    messages.push(
      `The steering committee "${name}" spans ${n} ${plural(n, 'sector')} (${sectorList(best.sectors)}): add members from at least ${more} more ${plural(more, 'sector')} so it is cross-sector.`,
    );
  }
  if (!best.champion) {
    messages.push(
      `Add a champion to the steering committee "${name}": the initial governance structure includes strong, credible champions.`,
    );
  }
  return messages;
};

const checkLandscape: StepCheck = (model, t) => {
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

const checkCaseForChange: StepCheck = (model) => {
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

const checkBaseline: StepCheck = (model, t) => {
  const items = model.entities.baseline;
  const messages: string[] = [];
  const complete = items.filter((b) => !blank(b.source) && !blank(b.date));
  if (complete.length < t.minBaselineItems) {
    messages.push(
      `Record at least ${t.minBaselineItems} baseline data ${plural(t.minBaselineItems, 'item')} on the problem, each with its source and date (${complete.length === 0 ? 'none yet' : `${complete.length} so far`}).`,
    );
  }
  for (const item of items) {
    if (blank(item.source))
      messages.push(`Baseline data "${item.statement}" has no source: say where the figure comes from.`);
    if (blank(item.date)) messages.push(`Baseline data "${item.statement}" has no date: say when it was measured.`);
  }
  return messages;
};

const checkBackboneStructure: StepCheck = (model) => {
  const backbone = initiativeBackbone(model);
  if (!backbone) return ["Create the initiative's backbone on the governance board (none yet)."];
  if (backbone.structure === null) {
    return [
      `Choose a structure for the backbone "${backbone.name}": a funder, a new or an existing nonprofit, an intermediary, a government agency, functions shared across organisations, or a steering-committee-driven model.`,
    ];
  }
  return [];
};

const checkBackboneFunctions: StepCheck = (model) => {
  const backbone = initiativeBackbone(model);
  if (!backbone) return ["Create the initiative's backbone first, then say who carries each of its six functions."];
  return BACKBONE_FUNCTIONS.filter((fn) => backbone.functions[fn].length === 0).map(
    (fn) => `Nobody carries the backbone function "${BACKBONE_FUNCTION_LABELS[fn]}" yet: assign a stakeholder to it.`,
  );
};

const checkBoundaries: StepCheck = (model) => {
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

const checkFramework: StepCheck = (model, t) => {
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

const checkSharedMeasures: StepCheck = (model, t) => {
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
        `Define the indicator "${indicator.name}" so every partner measures it the same way (no definition yet).`,
      );
    }
  }
  return messages;
};

const checkWorkingGroups: StepCheck = (model) => {
  const strategies = model.entities.strategy;
  if (strategies.length === 0) {
    return ['Add the key strategies to the framework first: working groups form around each of them (none yet).'];
  }
  const workingGroups = model.entities.group.filter((g) => g.groupKind === 'working-group');
  const messages: string[] = [];
  for (const strategy of strategies) {
    if (!workingGroups.some((g) => g.strategyIds.includes(strategy.id))) {
      messages.push(`Form a working group for the strategy "${strategy.name}" (none yet).`);
    }
  }
  for (const group of workingGroups) {
    if (group.indicatorIds.length === 0) {
      messages.push(`Link the working group "${group.name}" to at least one shared measure it works to move.`);
    }
  }
  return messages;
};

const checkAlignment: StepCheck = (model) => {
  const strategies = model.entities.strategy;
  if (strategies.length === 0) return ['Add the key strategies to the framework first (none yet).'];
  return strategies
    .filter((s) => !model.entities.activity.some((a) => a.strategyId === s.id && a.ownerIds.length > 0))
    .map(
      (s) =>
        `Add an activity with an owner for the strategy "${s.name}": each participant does what it is best at, coordinated through one plan of action (none yet).`,
    );
};

const checkMeasurements: StepCheck = (model, t) => {
  const indicators = model.entities.indicator;
  if (indicators.length === 0) return ['Add the shared measures first: there is nothing to collect data on yet.'];
  return indicators
    .filter((i) => i.measurements.length < t.minMeasurements)
    .map((i) =>
      t.minMeasurements === 1
        ? `Record a measurement for the indicator "${i.name}" (none yet).`
        : `Record at least ${t.minMeasurements} measurements for the indicator "${i.name}" (${i.measurements.length === 0 ? 'none yet' : `${i.measurements.length} so far`}).`,
    );
};

// ---------------------------------------------------------------- catalogue

export const STEPS: readonly StepDef[] = [
  // Phase I: Initiate Action
  {
    id: 'initiate.governance.champion',
    phase: 'initiate',
    component: 'governance',
    title: 'Identify champions',
    guidance:
      'A champion, or a small group of champions, respected enough to bring CEO-level, cross-sector leaders together and keep them engaged, who lets participants find the answers.',
    check: checkChampion,
  },
  {
    id: 'initiate.governance.group',
    phase: 'initiate',
    component: 'governance',
    title: 'Form a cross-sector group',
    guidance:
      'An initial governance structure: a steering committee whose members come from several sectors and include strong, credible champions.',
    check: checkCrossSectorGroup,
  },
  {
    id: 'initiate.planning.landscape',
    phase: 'initiate',
    component: 'planning',
    title: 'Map the landscape',
    guidance:
      'Get the system in the room: the key players across sectors, with the people most affected by the issue, and the work already under way, so the initiative builds on existing collaborative efforts.',
    check: checkLandscape,
  },
  {
    id: 'initiate.planning.case',
    phase: 'initiate',
    component: 'planning',
    title: 'Use data to make the case for change',
    guidance: 'Describe the problem and back it with research that shows how severe it is.',
    check: checkCaseForChange,
  },
  {
    id: 'initiate.community.outreach',
    phase: 'initiate',
    component: 'community',
    title: 'Facilitate community outreach',
    guidance:
      'Reach beyond the usual suspects: meet residents and the people most affected by the issue, listen, and invite them in. Confirm with a note on who was reached and how.',
    confirm: true,
  },
  {
    id: 'initiate.evaluation.baseline',
    phase: 'initiate',
    component: 'evaluation',
    title: 'Gather baseline data',
    guidance: 'Baseline data on the problem, each figure with its source and date, to make the case for change.',
    check: checkBaseline,
  },
  {
    id: 'initiate.evaluation.gaps',
    phase: 'initiate',
    component: 'evaluation',
    title: 'Identify key issues and gaps',
    guidance:
      'Analyse the baseline data together to identify the key issues and the gaps. Confirm with a note on what the analysis showed.',
    confirm: true,
  },

  // Phase II: Organize for Impact
  {
    id: 'organize.governance.backbone',
    phase: 'organize',
    component: 'governance',
    title: 'Choose a backbone structure',
    guidance:
      'A separate organisation with dedicated staff coordinates everyone. Choose its structure by perceived neutrality, ability to secure funding and ability to mobilise stakeholders.',
    check: checkBackboneStructure,
  },
  {
    id: 'organize.governance.functions',
    phase: 'organize',
    component: 'governance',
    title: 'Assign the six backbone functions',
    guidance:
      'Strategic direction, dialogue between partners, data collection and analysis, communications, community outreach and funding: say who carries each.',
    check: checkBackboneFunctions,
  },
  {
    id: 'organize.governance.processes',
    phase: 'organize',
    component: 'governance',
    title: 'Agree how the group meets and decides',
    guidance:
      'Continuous communication: regular, structured meetings of all stakeholders, no uninformed delegates, and a clear way to decide. Confirm with a note on the rhythm and the rules agreed.',
    confirm: true,
  },
  {
    id: 'organize.planning.boundaries',
    phase: 'organize',
    component: 'planning',
    title: 'Set the boundaries',
    guidance:
      'Decide which issues, root causes, populations and geographies are inside the effort and which are left outside. Boundaries are loose and change over time.',
    check: checkBoundaries,
  },
  {
    id: 'organize.planning.framework',
    phase: 'organize',
    component: 'planning',
    title: 'Write the strategic action framework',
    guidance:
      'One page: the problem, a clear goal, a portfolio of strategies mixing short-term wins and long-term systemic change, guiding principles, and an approach to evaluation.',
    check: checkFramework,
  },
  {
    id: 'organize.community.engage',
    phase: 'organize',
    component: 'community',
    title: 'Engage the community',
    guidance:
      'Involve residents and the people most affected in setting the common agenda. Confirm with a note on how they took part.',
    confirm: true,
  },
  {
    id: 'organize.community.publicWill',
    phase: 'organize',
    component: 'community',
    title: 'Build public will',
    guidance: 'Make the problem and the common agenda known beyond the room. Confirm with a note on what was done.',
    confirm: true,
  },
  {
    id: 'organize.evaluation.measures',
    phase: 'organize',
    component: 'evaluation',
    title: 'Agree a short list of shared measures',
    guidance:
      'A small but comprehensive set of indicators, each defined the same way for every participant, so partners stay aligned and learn from each other.',
    check: checkSharedMeasures,
  },
  {
    id: 'organize.evaluation.dataSharing',
    phase: 'organize',
    component: 'evaluation',
    title: 'Agree how data is collected and shared',
    guidance:
      'Clear expectations about confidentiality and transparency: who collects what, who sees which data, and how the backbone reviews its accuracy. Confirm with a note on what was agreed.',
    confirm: true,
  },

  // Phase III: Sustain Action and Impact
  {
    id: 'sustain.governance.workingGroups',
    phase: 'sustain',
    component: 'governance',
    title: 'Form a working group for each strategy',
    guidance:
      'Working groups form around each primary strategy and plan how to move the needle on specific shared measures.',
    check: checkWorkingGroups,
  },
  {
    id: 'sustain.governance.oversight',
    phase: 'sustain',
    component: 'governance',
    title: "Review the groups' progress with the oversight group",
    guidance:
      "The backbone assesses the working groups' progress and synthesises it for the steering committee, which refines the structure as strategies change. Confirm with a note on the review.",
    confirm: true,
  },
  {
    id: 'sustain.planning.alignment',
    phase: 'sustain',
    component: 'planning',
    title: 'Align activities to the strategies',
    guidance:
      'Mutually reinforcing activities: each participant does what it is best at, and every strategy has activities with owners.',
    check: checkAlignment,
  },
  {
    id: 'sustain.community.engagement',
    phase: 'sustain',
    component: 'community',
    title: 'Continue community engagement',
    guidance: 'Keep residents and the people most affected involved as the work goes on. Confirm with a note.',
    confirm: true,
  },
  {
    id: 'sustain.community.advocacy',
    phase: 'sustain',
    component: 'community',
    title: 'Conduct advocacy',
    guidance: 'Advance the policies the common agenda needs. Confirm with a note on what was done.',
    confirm: true,
  },
  {
    id: 'sustain.evaluation.measurements',
    phase: 'sustain',
    component: 'evaluation',
    title: 'Collect data on the shared measures',
    guidance: 'Collect data systematically: measurements recorded for every indicator, so progress can be tracked.',
    check: checkMeasurements,
  },
  {
    id: 'sustain.evaluation.learning',
    phase: 'sustain',
    component: 'evaluation',
    title: 'Hold a learning review',
    guidance:
      'Partners meet to share results, learn and correct course (Plan-Do-Study-Act). Confirm with a note on what was learned and what changes.',
    confirm: true,
  },
];

export const STEP_IDS = STEPS.map((s) => s.id);

const BY_ID = new Map(STEPS.map((s) => [s.id, s]));

export function stepById(id: string): StepDef | undefined {
  return BY_ID.get(id);
}

export function stepsOf(phase: Phase, component?: Component): StepDef[] {
  return STEPS.filter((s) => s.phase === phase && (component === undefined || s.component === component));
}

/** The step's name inside its component region of the statechart: the last part of its id. */
export function stepKey(step: StepDef): string {
  return step.id.split('.')[2];
}

// ---------------------------------------------------------------- evaluation

export type StepStatusValue = 'met' | 'unmet';

export interface StepStatus {
  id: string;
  title: string;
  guidance: string;
  /** `confirm` for a judgement a lead or facilitator confirms with a note. */
  kind: 'check' | 'confirm';
  status: StepStatusValue;
  /** What is missing, in words (empty when met). */
  messages: string[];
  /** For a confirmed judgement step. */
  confirmation?: Confirmation;
}

export interface ComponentStatus {
  label: string;
  /** The table's cell for this phase and component. */
  goal: string;
  complete: boolean;
  steps: StepStatus[];
}

export type PhaseEvaluation = Record<Component, ComponentStatus>;

export interface EvaluationContext {
  thresholds: Thresholds;
  confirmations: Confirmations;
}

export function confirmationMessage(step: StepDef): string {
  return `Not confirmed yet: a lead or facilitator confirms "${step.title}" with a note saying what was done.`;
}

/** One step's status against the model and the initiative's confirmations and thresholds. */
export function evaluateStep(step: StepDef, model: InitiativeModel, context: EvaluationContext): StepStatus {
  const base = { id: step.id, title: step.title, guidance: step.guidance };
  if (step.confirm) {
    const confirmation = context.confirmations[step.id];
    return confirmation
      ? { ...base, kind: 'confirm', status: 'met', messages: [], confirmation }
      : { ...base, kind: 'confirm', status: 'unmet', messages: [confirmationMessage(step)] };
  }
  const messages = step.check(model, context.thresholds);
  return { ...base, kind: 'check', status: messages.length === 0 ? 'met' : 'unmet', messages };
}

export function stepIsMet(step: StepDef, model: InitiativeModel, context: EvaluationContext): boolean {
  return evaluateStep(step, model, context).status === 'met';
}

/** Per component, per step: met or unmet, with the messages of what is missing. */
export function evaluatePhase(phase: Phase, model: InitiativeModel, context: EvaluationContext): PhaseEvaluation {
  const result = {} as PhaseEvaluation;
  for (const component of COMPONENTS) {
    const steps = stepsOf(phase, component).map((step) => evaluateStep(step, model, context));
    result[component] = {
      label: COMPONENT_LABELS[component],
      goal: COMPONENT_GOALS[phase][component],
      complete: steps.every((s) => s.status === 'met'),
      steps,
    };
  }
  return result;
}

/** Every missing condition of a phase, flat, in catalogue order: what stops `phase.advance`. */
export function phaseUnmet(phase: Phase, model: InitiativeModel, context: EvaluationContext): Unmet[] {
  const evaluation = evaluatePhase(phase, model, context);
  return COMPONENTS.flatMap((component) =>
    evaluation[component].steps.flatMap((step) =>
      step.messages.map((message) => ({ component, step: step.id, message })),
    ),
  );
}

export function phaseComplete(phase: Phase, model: InitiativeModel, context: EvaluationContext): boolean {
  return phaseUnmet(phase, model, context).length === 0;
}

/** Every phase, every component, every step. */
export function evaluatePhases(model: InitiativeModel, context: EvaluationContext): Record<Phase, PhaseEvaluation> {
  return Object.fromEntries(PHASES.map((phase) => [phase, evaluatePhase(phase, model, context)])) as Record<
    Phase,
    PhaseEvaluation
  >;
}
