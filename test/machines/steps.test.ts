import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BACKBONE_FUNCTION_LABELS,
  BACKBONE_FUNCTIONS,
  blankModel,
  COMPONENT_GOALS,
  COMPONENT_LABELS,
  COMPONENTS,
  DEFAULT_THRESHOLDS,
  evaluatePhase,
  evaluateStep,
  joinWords,
  PHASES,
  phaseComplete,
  phaseUnmet,
  STEP_IDS,
  stepById,
  STEPS,
  stepsOf,
  THRESHOLD_INFO,
  THRESHOLD_NAMES,
  type InitiativeModel,
  type Thresholds,
} from '../../machines/index.ts';
import { facilitator } from './fixtures.ts';
import { allBuilt, ModelBuilder, phaseOneBuilt, phaseTwoBuilt } from './models.ts';

function check(id: string, model: InitiativeModel, thresholds: Partial<Thresholds> = {}): string[] {
  const step = stepById(id);
  if (!step?.check) throw new Error(`${id} is not a checked step`);
  return step.check(model, { ...DEFAULT_THRESHOLDS, ...thresholds });
}

const NOTHING = { thresholds: DEFAULT_THRESHOLDS, confirmations: {} };

describe('the step catalogue', () => {
  it('covers every cell of the table: each phase has all four components, each with at least one step', () => {
    for (const phase of PHASES) {
      for (const component of COMPONENTS) {
        expect({ phase, component, steps: stepsOf(phase, component).length > 0 }).toEqual({
          phase,
          component,
          steps: true,
        });
      }
    }
  });

  it('names every step <phase>.<component>.<name>, uniquely, with a title and guidance', () => {
    expect(new Set(STEP_IDS).size).toBe(STEPS.length);
    for (const step of STEPS) {
      expect(step.id).toMatch(new RegExp(`^${step.phase}\\.${step.component}\\.[a-zA-Z]+$`));
      expect(step.title.length).toBeGreaterThan(5);
      expect(step.guidance.length).toBeGreaterThan(40);
      expect(!!step.check !== !!step.confirm).toBe(true);
    }
  });

  it('completes the judgement steps by confirmation, the rest by checks of the canvas', () => {
    expect(STEPS.filter((s) => s.confirm).map((s) => s.id)).toEqual([
      'initiate.community.outreach',
      'initiate.evaluation.gaps',
      'organize.governance.processes',
      'organize.community.engage',
      'organize.community.publicWill',
      'organize.evaluation.dataSharing',
      'sustain.governance.oversight',
      'sustain.community.engagement',
      'sustain.community.advocacy',
      'sustain.evaluation.learning',
    ]);
  });

  it('has the documented defaults', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({
      minStakeholders: 8,
      minSectors: 3,
      minAffected: 1,
      minEfforts: 1,
      minGroupSectors: 3,
      minBaselineItems: 2,
      minStrategies: 2,
      maxIndicators: 12,
      minMeasurements: 1,
    });
  });

  it('is documented in docs/workflow.md: every step id, every threshold with its default and range', () => {
    const doc = readFileSync(new URL('../../docs/workflow.md', import.meta.url), 'utf8');
    for (const step of STEPS) expect(doc).toContain(`| \`${step.id}\` | ${step.title} |`);
    for (const name of THRESHOLD_NAMES) {
      const { min, max } = THRESHOLD_INFO[name];
      expect(doc).toContain(`| \`${name}\` | ${DEFAULT_THRESHOLDS[name]} | ${min}–${max} |`);
    }
  });

  it('joins words the way a sentence does', () => {
    expect(joinWords([])).toBe('');
    expect(joinWords(['Health'])).toBe('Health');
    expect(joinWords(['Health', 'Faith group'])).toBe('Health and Faith group');
    expect(joinWords(['A', 'B', 'C'])).toBe('A, B and C');
  });
});

describe('Phase I, governance: identify champions', () => {
  it('asks for a champion when there is none', () => {
    const b = new ModelBuilder();
    b.stakeholder('Anchor', 'philanthropy', 'anchor-funder');
    expect(check('initiate.governance.champion', b.model)).toEqual([
      'Add at least one champion to the stakeholder map (none yet): someone respected enough to bring cross-sector leaders together and keep them engaged.',
    ]);
  });

  it('is met by one stakeholder with the champion role', () => {
    const b = new ModelBuilder();
    b.stakeholder('Maria', 'government', 'champion');
    expect(check('initiate.governance.champion', b.model)).toEqual([]);
  });
});

describe('Phase I, governance: form a cross-sector group', () => {
  const id = 'initiate.governance.group';

  it('asks for a steering committee when there is none (working groups do not count)', () => {
    const b = new ModelBuilder();
    const s = b.stakeholder('Maria', 'government', 'champion');
    b.group('Parents', 'working-group', { memberIds: [s.id] });
    expect(check(id, b.model)).toEqual([
      'Form a cross-sector group: add a steering committee on the governance board (none yet).',
    ]);
  });

  it('asks for members when the committee is empty, and for a champion', () => {
    const b = new ModelBuilder();
    b.group('Council', 'steering-committee');
    expect(check(id, b.model)).toEqual([
      'The steering committee "Council" has no members yet: add members from at least 3 sectors.',
      'Add a champion to the steering committee "Council": the initial governance structure includes strong, credible champions.',
    ]);
  });

  it('names the sectors it spans and how many more it needs, counting leads as members', () => {
    const b = new ModelBuilder();
    const champion = b.stakeholder('Maria', 'government', 'champion');
    const nurse = b.stakeholder('Nurse', 'health');
    b.group('Council', 'steering-committee', { memberIds: [nurse.id], leadIds: [champion.id] });
    expect(check(id, b.model)).toEqual([
      'The steering committee "Council" spans 2 sectors (Government and Health): add members from at least 1 more sector so it is cross-sector.',
    ]);
  });

  it('counts sectors, not people', () => {
    const b = new ModelBuilder();
    const people = [
      b.stakeholder('Maria', 'government', 'champion'),
      b.stakeholder('Mayor', 'government'),
      b.stakeholder('Clerk', 'government'),
    ];
    b.group('Council', 'steering-committee', { memberIds: people.map((p) => p.id) });
    expect(check(id, b.model)).toEqual([
      'The steering committee "Council" spans 1 sector (Government): add members from at least 2 more sectors so it is cross-sector.',
    ]);
  });

  it('asks for a champion in a committee that spans enough sectors', () => {
    const b = new ModelBuilder();
    const people = [
      b.stakeholder('Mayor', 'government'),
      b.stakeholder('Nurse', 'health'),
      b.stakeholder('Pastor', 'faith'),
    ];
    b.stakeholder('Maria', 'government', 'champion'); // on the map, not in the committee
    b.group('Council', 'steering-committee', { memberIds: people.map((p) => p.id) });
    expect(check(id, b.model)).toEqual([
      'Add a champion to the steering committee "Council": the initial governance structure includes strong, credible champions.',
    ]);
  });

  it('is met by one committee with a champion spanning three sectors, even beside an incomplete one', () => {
    const b = new ModelBuilder();
    const people = [
      b.stakeholder('Maria', 'government', 'champion'),
      b.stakeholder('Nurse', 'health'),
      b.stakeholder('Pastor', 'faith'),
    ];
    b.group('Old council', 'steering-committee', { memberIds: [people[1].id] });
    b.group('Council', 'steering-committee', { memberIds: people.map((p) => p.id) });
    expect(check(id, b.model)).toEqual([]);
  });

  it('follows the threshold for sectors', () => {
    const b = new ModelBuilder();
    const people = [
      b.stakeholder('Maria', 'government', 'champion'),
      b.stakeholder('Nurse', 'health'),
      b.stakeholder('Pastor', 'faith'),
    ];
    b.group('Council', 'steering-committee', { memberIds: people.map((p) => p.id) });
    expect(check(id, b.model, { minGroupSectors: 4 })).toEqual([
      'The steering committee "Council" spans 3 sectors (Government, Health and Faith group): add members from at least 1 more sector so it is cross-sector.',
    ]);
    expect(check(id, b.model, { minGroupSectors: 2 })).toEqual([]);
  });
});

describe('Phase I, strategic planning: map the landscape', () => {
  const id = 'initiate.planning.landscape';

  it('lists everything missing on an empty map', () => {
    expect(check(id, blankModel())).toEqual([
      'Add at least 8 stakeholders to the stakeholder map (none yet).',
      'Get the system in the room: bring in stakeholders from at least 3 sectors (none yet).',
      'Add at least one person affected by the issue to the stakeholder map (none yet).',
      'Record the work already under way: at least 1 existing effort to build on, rather than starting from scratch (none yet).',
    ]);
  });

  it('counts stakeholders and names the sectors so far', () => {
    const b = new ModelBuilder();
    b.stakeholder('Maria', 'government', 'champion');
    b.stakeholder('Nurse', 'health');
    b.stakeholder('Mayor', 'government');
    expect(check(id, b.model)).toEqual([
      'Add at least 8 stakeholders to the stakeholder map (3 so far).',
      'Get the system in the room: bring in stakeholders from at least 3 sectors (2 so far: Government and Health).',
      'Add at least one person affected by the issue to the stakeholder map (none yet).',
      'Record the work already under way: at least 1 existing effort to build on, rather than starting from scratch (none yet).',
    ]);
  });

  it('is met by the Meadow County map: eight stakeholders, eight sectors, a parent, an existing coalition', () => {
    expect(check(id, phaseOneBuilt().model)).toEqual([]);
  });

  it('asks only for what is missing', () => {
    const { b } = phaseOneBuilt();
    b.model.entities.effort = [];
    b.model.entities.stakeholder = b.model.entities.stakeholder.filter((s) => s.role !== 'affected');
    expect(check(id, b.model)).toEqual([
      'Add at least 8 stakeholders to the stakeholder map (7 so far).',
      'Add at least one person affected by the issue to the stakeholder map (none yet).',
      'Record the work already under way: at least 1 existing effort to build on, rather than starting from scratch (none yet).',
    ]);
  });

  it('follows its thresholds', () => {
    const { model } = phaseOneBuilt();
    expect(check(id, model, { minStakeholders: 10, minSectors: 9, minAffected: 2, minEfforts: 2 })).toEqual([
      'Add at least 10 stakeholders to the stakeholder map (8 so far).',
      'Get the system in the room: bring in stakeholders from at least 9 sectors (8 so far: Government, Business, Philanthropy, Education, Health, Faith group, Media and Residents).',
      'Add at least 2 people affected by the issue to the stakeholder map (1 so far).',
      'Record the work already under way: at least 2 existing efforts to build on, rather than starting from scratch (1 so far).',
    ]);
    const none = new ModelBuilder();
    none.stakeholder('Maria', 'government', 'affected');
    expect(check(id, none.model, { minStakeholders: 1, minSectors: 1, minEfforts: 0 })).toEqual([]);
  });
});

describe('Phase I, strategic planning: use data to make the case', () => {
  const id = 'initiate.planning.case';

  it('asks for the problem description and a research source', () => {
    expect(check(id, blankModel())).toEqual([
      'Describe the problem on the strategic action framework board (not written yet).',
      'Add at least one research source that shows how severe the problem is (none yet).',
    ]);
  });

  it('does not take blanks for a description', () => {
    const b = new ModelBuilder().problem('   ');
    b.source('State survey');
    expect(check(id, b.model)).toEqual([
      'Describe the problem on the strategic action framework board (not written yet).',
    ]);
  });

  it('is met by a description and a source', () => {
    expect(check(id, phaseOneBuilt().model)).toEqual([]);
  });
});

describe('Phase I, evaluation: gather baseline data', () => {
  const id = 'initiate.evaluation.baseline';

  it('asks for baseline data when there is none', () => {
    expect(check(id, blankModel())).toEqual([
      'Record at least 2 baseline data items on the problem, each with its source and date (none yet).',
    ]);
  });

  it('names the items without a source or a date, and does not count them', () => {
    const b = new ModelBuilder();
    b.baseline('Binge drinking', '', '2025-05-01');
    b.baseline('Smoking', 'County survey', '');
    b.baseline('Marijuana use', 'County survey', '2025-05-01');
    expect(check(id, b.model)).toEqual([
      'Record at least 2 baseline data items on the problem, each with its source and date (1 so far).',
      'Baseline data "Binge drinking" has no source: say where the figure comes from.',
      'Baseline data "Smoking" has no date: say when it was measured.',
    ]);
  });

  it('asks for a source on every item even when enough are complete', () => {
    const { b } = phaseOneBuilt();
    b.baseline('Vaping', ' ', '2025-05-01');
    expect(check(id, b.model)).toEqual(['Baseline data "Vaping" has no source: say where the figure comes from.']);
  });

  it('is met by two complete items, or one when the threshold says so', () => {
    expect(check(id, phaseOneBuilt().model)).toEqual([]);
    const b = new ModelBuilder();
    b.baseline('Binge drinking');
    expect(check(id, b.model, { minBaselineItems: 1 })).toEqual([]);
  });
});

describe('Phase II, governance: backbone structure and functions', () => {
  it('asks for the initiative-wide backbone (a sub-initiative backbone does not count)', () => {
    const b = new ModelBuilder();
    const lever = b.group('Lever: schools', 'sub-initiative');
    b.backbone('Schools backbone', 'government', [], lever.id);
    expect(check('organize.governance.backbone', b.model)).toEqual([
      "Create the initiative's backbone on the governance board (none yet).",
    ]);
    expect(check('organize.governance.functions', b.model)).toEqual([
      "Create the initiative's backbone first, then say who carries each of its six functions.",
    ]);
  });

  it('asks for a structure', () => {
    const b = new ModelBuilder();
    b.backbone('Prevention Office', null);
    expect(check('organize.governance.backbone', b.model)).toEqual([
      'Choose a structure for the backbone "Prevention Office": a funder, a new or an existing nonprofit, an intermediary, a government agency, functions shared across organisations, or a steering-committee-driven model.',
    ]);
  });

  it('names every function nobody carries, one message each', () => {
    const b = new ModelBuilder();
    const s = b.stakeholder('Foundation', 'philanthropy');
    const backbone = b.backbone('Prevention Office', 'intermediary');
    backbone.functions.funding = [s.id];
    backbone.functions.data = [s.id];
    expect(check('organize.governance.functions', b.model)).toEqual(
      BACKBONE_FUNCTIONS.filter((fn) => fn !== 'funding' && fn !== 'data').map(
        (fn) =>
          `Nobody carries the backbone function "${BACKBONE_FUNCTION_LABELS[fn]}" yet: assign a stakeholder to it.`,
      ),
    );
    expect(check('organize.governance.backbone', b.model)).toEqual([]);
  });

  it('reads the backbone furthest along when there are several', () => {
    const b = new ModelBuilder();
    const s = b.stakeholder('Foundation', 'philanthropy');
    b.backbone('Draft', null);
    b.backbone('Prevention Office', 'shared', [s.id]);
    expect(check('organize.governance.backbone', b.model)).toEqual([]);
    expect(check('organize.governance.functions', b.model)).toEqual([]);
  });
});

describe('Phase II, strategic planning: boundaries', () => {
  const id = 'organize.planning.boundaries';

  it('asks for something inside and something outside', () => {
    expect(check(id, blankModel())).toEqual([
      'Put at least one issue, population or geography inside the boundaries (none yet).',
      'Name at least one issue, population or geography left outside the boundaries (none yet): deciding what stays out is part of the judgment.',
    ]);
    const b = new ModelBuilder();
    b.boundary('Prevention and treatment', 'inside');
    expect(check(id, b.model)).toEqual([
      'Name at least one issue, population or geography left outside the boundaries (none yet): deciding what stays out is part of the judgment.',
    ]);
  });

  it('is met by one item on each side, of any dimension', () => {
    const b = new ModelBuilder();
    b.boundary('Meadow County', 'inside', 'geography');
    b.boundary('Domestic violence', 'outside');
    expect(check(id, b.model)).toEqual([]);
  });
});

describe('Phase II, strategic planning: the strategic action framework', () => {
  const id = 'organize.planning.framework';

  it('lists all five parts on an empty framework', () => {
    expect(check(id, blankModel())).toEqual([
      'Describe the problem, informed by solid research (not written yet).',
      'State a clear goal for the desired change (not written yet).',
      'Add at least 2 key strategies to the portfolio (none yet).',
      'Include at least one easy, short-term win among the strategies (none yet).',
      'Include at least one ambitious, long-term systemic strategy (none yet).',
      "Agree at least one principle that guides the group's behaviour (none yet).",
      'Describe the approach to evaluation: how the initiative gets and judges feedback (not written yet).',
    ]);
  });

  it('wants a mix: two short-term wins are not a portfolio', () => {
    const { b } = phaseTwoBuilt();
    b.model.entities.strategy = b.model.entities.strategy.map((s) => ({ ...s, horizon: 'short-term' }));
    expect(check(id, b.model)).toEqual(['Include at least one ambitious, long-term systemic strategy (none yet).']);
  });

  it('counts strategies against the threshold', () => {
    const { model } = phaseTwoBuilt();
    expect(check(id, model)).toEqual([]);
    expect(check(id, model, { minStrategies: 3 })).toEqual([
      'Add at least 3 key strategies to the portfolio (2 so far).',
    ]);
  });
});

describe('Phase II, evaluation: shared measures', () => {
  const id = 'organize.evaluation.measures';

  it('asks for the shared measures when there are none', () => {
    expect(check(id, blankModel())).toEqual([
      'Add the shared measures: a short list of indicators, each with a clear definition (none yet).',
    ]);
  });

  it('asks for a definition of each indicator without one', () => {
    const b = new ModelBuilder();
    b.indicator('Binge drinking');
    b.indicator('Smoking', '  ');
    expect(check(id, b.model)).toEqual([
      'Define the indicator "Smoking" so every partner measures it the same way (no definition yet).',
    ]);
  });

  it('keeps the list short', () => {
    const b = new ModelBuilder();
    for (let i = 1; i <= 13; i++) b.indicator(`Measure ${i}`);
    expect(check(id, b.model)).toEqual(['Keep the shared measures to a short list: at most 12 indicators (13 now).']);
    expect(check(id, b.model, { maxIndicators: 13 })).toEqual([]);
    expect(check(id, b.model, { maxIndicators: 1 })).toEqual([
      'Keep the shared measures to a short list: at most 1 indicator (13 now).',
    ]);
  });
});

describe('Phase III, governance: a working group for each strategy', () => {
  const id = 'sustain.governance.workingGroups';

  it('needs strategies first', () => {
    expect(check(id, blankModel())).toEqual([
      'Add the key strategies to the framework first: working groups form around each of them (none yet).',
    ]);
  });

  it('names each strategy without a working group, and each working group not linked to a measure', () => {
    const { b, strategies } = phaseTwoBuilt();
    b.group('Parents', 'working-group', { strategyIds: [strategies[0].id] });
    b.group('Laws', 'subgroup', { strategyIds: [strategies[1].id] }); // a subgroup is not a working group
    expect(check(id, b.model)).toEqual([
      'Form a working group for the strategy "Community laws and norms" (none yet).',
      'Link the working group "Parents" to at least one shared measure it works to move.',
    ]);
  });

  it('is met when every strategy has a working group linked to a measure', () => {
    expect(check(id, allBuilt().model)).toEqual([]);
  });
});

describe('Phase III, strategic planning: align activities', () => {
  const id = 'sustain.planning.alignment';

  it('needs strategies first', () => {
    expect(check(id, blankModel())).toEqual(['Add the key strategies to the framework first (none yet).']);
  });

  it('asks for an activity with an owner for each strategy', () => {
    const { b, strategies } = phaseTwoBuilt();
    b.activity('Parent nights', strategies[0].id, []); // nobody owns it yet
    expect(check(id, b.model)).toEqual(
      ['Parent education nights', 'Community laws and norms'].map(
        (name) =>
          `Add an activity with an owner for the strategy "${name}": each participant does what it is best at, coordinated through one plan of action (none yet).`,
      ),
    );
    expect(check(id, allBuilt().model)).toEqual([]);
  });
});

describe('Phase III, evaluation: collect data', () => {
  const id = 'sustain.evaluation.measurements';

  it('needs shared measures first', () => {
    expect(check(id, blankModel())).toEqual([
      'Add the shared measures first: there is nothing to collect data on yet.',
    ]);
  });

  it('asks for a measurement of each indicator without one', () => {
    const { b, indicators } = phaseTwoBuilt();
    b.measure(indicators[0]);
    expect(check(id, b.model)).toEqual(['Record a measurement for the indicator "Smoking" (none yet).']);
    expect(check(id, b.model, { minMeasurements: 2 })).toEqual([
      'Record at least 2 measurements for the indicator "Binge drinking" (1 so far).',
      'Record at least 2 measurements for the indicator "Smoking" (none yet).',
    ]);
  });

  it('is met once every indicator has a measurement', () => {
    expect(check(id, allBuilt().model)).toEqual([]);
  });
});

describe('judgement steps', () => {
  it('are unmet until confirmed, then met with the confirmation', () => {
    const step = stepById('initiate.community.outreach')!;
    expect(evaluateStep(step, blankModel(), NOTHING)).toEqual({
      id: 'initiate.community.outreach',
      title: 'Facilitate community outreach',
      guidance: step.guidance,
      kind: 'confirm',
      status: 'unmet',
      messages: [
        'Not confirmed yet: a lead or facilitator confirms "Facilitate community outreach" with a note saying what was done.',
      ],
    });
    const confirmation = { note: 'Listening sessions in six towns.', by: facilitator, at: '2026-11-22T10:00:00.000Z' };
    expect(evaluateStep(step, blankModel(), { ...NOTHING, confirmations: { [step.id]: confirmation } })).toMatchObject({
      status: 'met',
      messages: [],
      confirmation,
    });
  });
});

describe('evaluatePhase', () => {
  it('answers per component, per step, with the table cell as the goal', () => {
    const evaluation = evaluatePhase('initiate', phaseOneBuilt().model, NOTHING);
    expect(Object.keys(evaluation)).toEqual([...COMPONENTS]);
    expect(evaluation.governance).toMatchObject({
      label: COMPONENT_LABELS.governance,
      goal: COMPONENT_GOALS.initiate.governance,
      complete: true,
    });
    expect(evaluation.governance.steps.map((s) => [s.id, s.status])).toEqual([
      ['initiate.governance.champion', 'met'],
      ['initiate.governance.group', 'met'],
    ]);
    expect(evaluation.community.complete).toBe(false);
    expect(evaluation.evaluation.steps.map((s) => [s.id, s.kind, s.status])).toEqual([
      ['initiate.evaluation.baseline', 'check', 'met'],
      ['initiate.evaluation.gaps', 'confirm', 'unmet'],
    ]);
  });

  it('flattens what is missing into { component, step, message }, and is complete once nothing is', () => {
    const { model } = phaseOneBuilt();
    expect(phaseUnmet('initiate', model, NOTHING)).toEqual([
      {
        component: 'community',
        step: 'initiate.community.outreach',
        message:
          'Not confirmed yet: a lead or facilitator confirms "Facilitate community outreach" with a note saying what was done.',
      },
      {
        component: 'evaluation',
        step: 'initiate.evaluation.gaps',
        message:
          'Not confirmed yet: a lead or facilitator confirms "Identify key issues and gaps" with a note saying what was done.',
      },
    ]);
    expect(phaseComplete('initiate', model, NOTHING)).toBe(false);
    const at = '2026-11-22T10:00:00.000Z';
    const confirmations = {
      'initiate.community.outreach': { note: 'Six listening sessions.', by: facilitator, at },
      'initiate.evaluation.gaps': { note: 'Rural towns lack data.', by: facilitator, at },
    };
    expect(phaseComplete('initiate', model, { ...NOTHING, confirmations })).toBe(true);
    // A confirmation for one phase completes nothing in another.
    expect(phaseComplete('organize', allBuilt().model, { ...NOTHING, confirmations })).toBe(false);
  });

  it('is live: a deleted stakeholder reopens a met step', () => {
    const { b } = phaseOneBuilt();
    expect(evaluatePhase('initiate', b.model, NOTHING).planning.complete).toBe(true);
    b.model.entities.stakeholder.pop();
    expect(evaluatePhase('initiate', b.model, NOTHING).planning.steps[0].messages).toEqual([
      'Add at least 8 stakeholders to the stakeholder map (7 so far).',
    ]);
  });
});
