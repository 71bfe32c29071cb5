import { describe, expect, it, vi } from 'vitest';
import { createActor, type AnyStateNode, type SnapshotFrom } from 'xstate';
import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import {
  blankModel,
  COMPONENTS,
  DEFAULT_THRESHOLDS,
  evaluateWorkflow,
  explainRefusal,
  initialContext,
  migrateContext,
  PHASE_LABELS,
  PHASES,
  phaseComplete,
  PRECONDITIONS,
  restoreSnapshot,
  stageOf,
  STEPS,
  stepsOf,
  workflowMachine,
  type InitiativeModel,
  type Override,
  type Phase,
  type Stage,
  type Thresholds,
  type WorkflowCommand,
  type WorkflowEvent,
} from '../../machines/index.ts';
import { assess, confirm, facilitator, lead, nextAt, OVERRIDE_REASON } from './fixtures.ts';
import { allBuilt, phaseOneBuilt, phaseTwoBuilt } from './models.ts';

type WorkflowSnapshot = SnapshotFrom<typeof workflowMachine>;

const BLANK = blankModel();
const P1 = phaseOneBuilt().model;
const P2 = phaseTwoBuilt().model;
const ALL = allBuilt().model;
const MODEL_NAMES = new Map<InitiativeModel, string>([
  [BLANK, 'blank'],
  [P1, 'phase-one-built'],
  [P2, 'phase-two-built'],
  [ALL, 'all-built'],
]);

const stamp = () => ({ by: facilitator, at: nextAt() });
const confirmStep = (step: string, note = `Done: ${step}.`, model: InitiativeModel = BLANK): WorkflowEvent => ({
  type: 'step.confirm',
  step,
  note,
  model,
  ...stamp(),
});
const advance = (model: InitiativeModel, override?: Override): WorkflowEvent => ({
  type: 'phase.advance',
  model,
  ...(override ? { override } : {}),
  ...stamp(),
});
const launch = (model: InitiativeModel): WorkflowEvent => ({ ...confirm({ reason: OVERRIDE_REASON }), model });

const stage = (snapshot: WorkflowSnapshot): Stage => stageOf(snapshot.value);
const confirmStepsOf = (phase: Phase) => stepsOf(phase).filter((s) => s.confirm);

function start(events: WorkflowEvent[] = [], machine = workflowMachine) {
  const actor = createActor(machine);
  actor.start();
  for (const event of events) actor.send(event);
  return actor;
}

/** Readiness confirmed by override, then every judgement step of `phases` confirmed and each advanced with `model`. */
function through(phases: Phase[], model: InitiativeModel = ALL): WorkflowEvent[] {
  const events: WorkflowEvent[] = [launch(model)];
  for (const phase of phases) {
    for (const step of confirmStepsOf(phase)) events.push(confirmStep(step.id, `Done: ${step.title}.`, model));
    events.push(advance(model));
  }
  return events;
}

function withoutStamp(event: WorkflowEvent): WorkflowCommand {
  const { by: _by, at: _at, model: _model, ...command } = event as WorkflowEvent & { by?: unknown; at?: unknown };
  return command as WorkflowCommand;
}

/** Each step of `phase`, `id: met|unmet`, as the document `model` shows it to the workflow in `snapshot`. */
function stepStates(snapshot: WorkflowSnapshot, phase: Phase, model: InitiativeModel): Record<string, string> {
  const { components } = evaluateWorkflow(stage(snapshot), snapshot.context, model);
  const states: Record<string, string> = {};
  for (const component of COMPONENTS) for (const step of components[phase][component].steps) states[step.id] = step.status;
  return states;
}

describe('phase statechart: shape', () => {
  it('holds one state per stage and nothing derived from the canvas: no per-step states, no tags', () => {
    expect(Object.keys(workflowMachine.root.states)).toEqual(['readiness', ...PHASES]);
    for (const node of Object.values(workflowMachine.root.states)) {
      expect(node.type).toBe('atomic');
      expect(node.tags).toEqual([]);
    }
  });

  it('persists the stage and the context only, whatever the model of the events', () => {
    const actor = start([launch(P1), confirmStep('initiate.community.outreach', 'Met 60 residents.', P1)]);
    const persisted = actor.getPersistedSnapshot() as unknown as { value: unknown; context: unknown };
    expect(persisted.value).toBe('initiate');
    expect(JSON.stringify(persisted.context)).not.toContain('"entities"');
  });
});

describe('the steps are evaluated from the document, never stored', () => {
  it('evaluates the steps of Phase I from the document it is given', () => {
    const snapshot = start([launch(P1)]).getSnapshot();
    expect(stepStates(snapshot, 'initiate', P1)).toEqual({
      'initiate.governance.champion': 'met',
      'initiate.governance.group': 'met',
      'initiate.planning.landscape': 'met',
      'initiate.planning.case': 'met',
      'initiate.community.outreach': 'unmet',
      'initiate.evaluation.baseline': 'met',
      'initiate.evaluation.gaps': 'unmet',
    });
    expect(new Set(Object.values(stepStates(snapshot, 'initiate', BLANK)))).toEqual(new Set(['unmet']));
  });

  it('shows a checked step unmet again as soon as the document no longer meets it', () => {
    const snapshot = start([launch(P1)]).getSnapshot();
    const shrunk = phaseOneBuilt().model;
    shrunk.entities.stakeholder = shrunk.entities.stakeholder.filter((s) => s.role !== 'affected');
    expect(stepStates(snapshot, 'initiate', shrunk)['initiate.planning.landscape']).toBe('unmet');
    expect(stepStates(snapshot, 'initiate', P1)['initiate.planning.landscape']).toBe('met');
  });
});

describe('step.confirm', () => {
  it('confirms a judgement step of the current phase with its note, who and when, and the step is done', () => {
    const actor = start([launch(P1)]);
    const event = confirmStep('initiate.community.outreach', '  Listening sessions in six towns; 60 people came.  ');
    expect(actor.getSnapshot().can(event)).toBe(true);
    actor.send(event);
    const snapshot = actor.getSnapshot();
    expect(snapshot.context.confirmations['initiate.community.outreach']).toEqual({
      note: 'Listening sessions in six towns; 60 people came.',
      by: facilitator,
      at: (event as { at: string }).at,
    });
    expect(snapshot.context.history.at(-1)).toEqual({
      type: 'step.confirm',
      by: facilitator,
      at: (event as { at: string }).at,
      step: 'initiate.community.outreach',
      note: 'Listening sessions in six towns; 60 people came.',
      summary:
        'Confirmed "Facilitate community outreach" (Phase I: Initiate Action, community involvement): Listening sessions in six towns; 60 people came.',
    });
    expect(stepStates(snapshot, 'initiate', P1)['initiate.community.outreach']).toBe('met');
    expect(evaluateWorkflow('initiate', snapshot.context, P1).components.initiate.community.steps[0].confirmation).toEqual(
      snapshot.context.confirmations['initiate.community.outreach'],
    );
  });

  it('keeps a confirmed step done whatever the model, and a second confirmation replaces the note but keeps both in the history', () => {
    const actor = start([launch(P1), confirmStep('initiate.evaluation.gaps', 'First look.')]);
    expect(stepStates(actor.getSnapshot(), 'initiate', BLANK)['initiate.evaluation.gaps']).toBe('met');
    actor.send(confirmStep('initiate.evaluation.gaps', 'Second look, with the school data.'));
    const { context } = actor.getSnapshot();
    expect(context.confirmations['initiate.evaluation.gaps'].note).toBe('Second look, with the school data.');
    expect(context.history.filter((h) => h.step === 'initiate.evaluation.gaps').map((h) => h.note)).toEqual([
      'First look.',
      'Second look, with the school data.',
    ]);
  });

  it.each([
    ['initiate.community.outreach', '   ', 'A confirmation needs a note: say what was done.'],
    [
      'initiate.planning.landscape',
      'We mapped it.',
      '"Map the landscape" completes by itself once the canvas shows it: it is not confirmed by hand.',
    ],
    [
      'organize.community.engage',
      'Early start.',
      '"Engage the community" is a step of Phase II: Organize for Impact; the initiative is in Phase I: Initiate Action.',
    ],
    ['initiate.community.partying', 'Fun.', 'There is no step "initiate.community.partying".'],
  ])('refuses %s with note %j, saying why', (step, note, message) => {
    const actor = start([launch(P1)]);
    const before = actor.getSnapshot();
    const event = confirmStep(step, note);
    expect(before.can(event)).toBe(false);
    expect(explainRefusal('initiate', before.context, withoutStamp(event), P1)).toEqual([{ message }]);
    actor.send(event);
    expect(actor.getSnapshot().context).toBe(before.context);
  });

  it('is refused during readiness', () => {
    const actor = start();
    const event = confirmStep('initiate.community.outreach');
    expect(actor.getSnapshot().can(event)).toBe(false);
    expect(explainRefusal('readiness', actor.getSnapshot().context, withoutStamp(event))).toEqual([
      { message: 'Steps are confirmed during the phases; the initiative is still in the readiness assessment.' },
    ]);
  });
});

describe('phase.advance', () => {
  it('is refused while a component is incomplete, listing { component, step, message } from the model', () => {
    const actor = start([launch(P1), confirmStep('initiate.community.outreach')]);
    const { context } = actor.getSnapshot();
    expect(actor.getSnapshot().can(advance(P1))).toBe(false);
    expect(explainRefusal('initiate', context, { type: 'phase.advance' }, P1)).toEqual([
      {
        component: 'evaluation',
        step: 'initiate.evaluation.gaps',
        message:
          'Not confirmed yet: a lead or facilitator confirms "Identify key issues and gaps" with a note saying what was done.',
      },
    ]);
    const unmet = explainRefusal('initiate', context, { type: 'phase.advance' }, BLANK);
    expect(new Set(unmet.map((u) => u.component))).toEqual(new Set(['governance', 'planning', 'evaluation']));
    expect(unmet[0]).toEqual({
      component: 'governance',
      step: 'initiate.governance.champion',
      message:
        'Add at least one champion to the stakeholder map (none yet): someone respected enough to bring cross-sector leaders together and keep them engaged.',
    });
    actor.send(advance(P1));
    expect(stage(actor.getSnapshot())).toBe('initiate');
  });

  it('moves into Phase II once all four components are complete, and records it', () => {
    const events = through([]);
    const actor = start(events);
    for (const step of confirmStepsOf('initiate')) actor.send(confirmStep(step.id));
    const event = advance(P1);
    expect(explainRefusal('initiate', actor.getSnapshot().context, { type: 'phase.advance' }, P1)).toEqual([]);
    actor.send(event);
    const snapshot = actor.getSnapshot();
    expect(stage(snapshot)).toBe('organize');
    expect(snapshot.context.history.at(-1)).toEqual({
      type: 'phase.advance',
      by: facilitator,
      at: (event as { at: string }).at,
      from: 'initiate',
      to: 'organize',
      summary:
        'Completed Phase I: Initiate Action: all four components for success complete. Moved into Phase II: Organize for Impact.',
    });
    // None of Phase II's checks is met by P1.
    expect(new Set(Object.values(stepStates(snapshot, 'organize', P1)))).toEqual(new Set(['unmet']));
  });

  it('moves on with an override reason, recording the reason and what was still open', () => {
    const actor = start([launch(BLANK)]);
    const event = advance(P1, { reason: 'The county board asked us to start on the common agenda now.' });
    expect(actor.getSnapshot().can(event)).toBe(true);
    actor.send(event);
    const last = actor.getSnapshot().context.history.at(-1)!;
    expect(stage(actor.getSnapshot())).toBe('organize');
    expect(last.override).toEqual({ reason: 'The county board asked us to start on the common agenda now.' });
    expect(last.summary).toBe(
      'Moved from Phase I: Initiate Action into Phase II: Organize for Impact with an override; 2 conditions were still open.',
    );
    expect(last.unmet?.map((u) => u.step)).toEqual(['initiate.community.outreach', 'initiate.evaluation.gaps']);
  });

  it.each(['', '  '])('refuses an override with an empty reason (%j)', (reason) => {
    const actor = start([launch(BLANK)]);
    const event = advance(BLANK, { reason });
    expect(actor.getSnapshot().can(event)).toBe(false);
    expect(explainRefusal('initiate', actor.getSnapshot().context, withoutStamp(event), BLANK)).toEqual([
      { message: 'An override needs a reason.' },
    ]);
  });

  it('reads the model of the event: a step met by an earlier document but unmet now blocks the advance', () => {
    const actor = start([launch(P1), ...confirmStepsOf('initiate').map((s) => confirmStep(s.id, 'Done.', P1))]);
    expect(actor.getSnapshot().can(advance(P1))).toBe(true);
    expect(actor.getSnapshot().can(advance(BLANK))).toBe(false);
    actor.send(advance(BLANK));
    expect(stage(actor.getSnapshot())).toBe('initiate');
  });

  it('goes through Phase II into Phase III, where it stops: the last phase has no advance', () => {
    const actor = start(through(['initiate', 'organize']));
    const snapshot = actor.getSnapshot();
    expect(stage(snapshot)).toBe('sustain');
    expect(
      snapshot.context.history.filter((h) => h.type === 'phase.advance').map((h) => [h.from, h.to, h.override]),
    ).toEqual([
      ['initiate', 'organize', undefined],
      ['organize', 'sustain', undefined],
    ]);
    expect(snapshot.can(advance(ALL, { reason: 'More!' }))).toBe(false);
    expect(explainRefusal('sustain', snapshot.context, { type: 'phase.advance' }, ALL)).toEqual([
      { message: 'Phase III: Sustain Action and Impact is the last phase: it can last a decade or more.' },
    ]);
    // Its checks are met by the model; its judgement steps wait for confirmation.
    expect(stepStates(snapshot, 'sustain', ALL)).toMatchObject({
      'sustain.governance.workingGroups': 'met',
      'sustain.evaluation.measurements': 'met',
      'sustain.evaluation.learning': 'unmet',
    });
    actor.send(
      confirmStep(
        'sustain.evaluation.learning',
        'Quarterly review: binge drinking down 4 points; parent nights move to Saturdays.',
        ALL,
      ),
    );
    expect(stepStates(actor.getSnapshot(), 'sustain', ALL)['sustain.evaluation.learning']).toBe('met');
  });

  it('is refused during readiness, pointing at readiness.confirm', () => {
    expect(explainRefusal('readiness', initialContext(), { type: 'phase.advance' })).toEqual([
      {
        message:
          'The initiative is still in the readiness assessment: confirm readiness to move into Phase I: Initiate Action.',
      },
    ]);
    expect(start().getSnapshot().can(advance(ALL))).toBe(false);
  });
});

describe('framework.revise', () => {
  const revise = (note: string, part?: 'boundaries' | 'framework'): WorkflowEvent => ({
    type: 'framework.revise',
    note,
    ...(part ? { part } : {}),
    model: ALL,
    ...stamp(),
  });

  it('is refused before Phase II: there is nothing agreed to revise', () => {
    const actor = start([launch(P1)]);
    expect(actor.getSnapshot().can(revise('Changed.'))).toBe(false);
    expect(explainRefusal('initiate', actor.getSnapshot().context, { type: 'framework.revise', note: 'x' })).toEqual([
      {
        message:
          'The boundaries and the strategic action framework are agreed in Phase II: Organize for Impact; there is nothing to revise yet.',
      },
    ]);
  });

  it.each(['organize', 'sustain'] as const)('records a revision in %s without leaving the phase', (phase) => {
    const actor = start(through(phase === 'organize' ? ['initiate'] : ['initiate', 'organize']));
    const before = actor.getSnapshot();
    const event = revise('  Added the neighbouring county to the geography.  ', 'boundaries');
    actor.send(event);
    const after = actor.getSnapshot();
    expect(after.value).toEqual(before.value);
    expect(after.context.history.at(-1)).toEqual({
      type: 'framework.revise',
      by: facilitator,
      at: (event as { at: string }).at,
      part: 'boundaries',
      note: 'Added the neighbouring county to the geography.',
      summary: `Revised the boundaries during ${PHASE_LABELS[phase]}: Added the neighbouring county to the geography.`,
    });
    actor.send(revise('Third version of the roadmap.'));
    expect(actor.getSnapshot().context.history.at(-1)!.summary).toBe(
      `Revised the boundaries or the strategic action framework during ${PHASE_LABELS[phase]}: Third version of the roadmap.`,
    );
  });

  it('needs a note', () => {
    const actor = start(through(['initiate']));
    expect(actor.getSnapshot().can(revise(' '))).toBe(false);
    expect(explainRefusal('organize', actor.getSnapshot().context, { type: 'framework.revise', note: ' ' })).toEqual([
      { message: 'A revision needs a note: say what changed and why.' },
    ]);
  });
});

describe('settings.thresholds', () => {
  const thresholds = (change: Record<string, unknown>, model?: InitiativeModel): WorkflowEvent =>
    ({ type: 'settings.thresholds', thresholds: change, ...(model ? { model } : {}), ...stamp() }) as WorkflowEvent;

  it('changes thresholds in any stage, records the change, and the steps follow at once', () => {
    const actor = start([launch(P1)]);
    actor.send(thresholds({ minStakeholders: 10, maxIndicators: 8 }, P1));
    const { context } = actor.getSnapshot();
    expect(context.thresholds).toEqual({ ...DEFAULT_THRESHOLDS, minStakeholders: 10, maxIndicators: 8 });
    expect(context.history.at(-1)).toMatchObject({
      type: 'settings.thresholds',
      by: facilitator,
      summary: 'Changed thresholds. Minimum stakeholders on the map: 8 → 10. Maximum shared measures: 12 → 8.',
    });
    expect(stepStates(actor.getSnapshot(), 'initiate', P1)['initiate.planning.landscape']).toBe('unmet');
    expect(evaluateWorkflow('initiate', context, P1).components.initiate.planning.steps[0].messages).toEqual([
      'Add at least 10 stakeholders to the stakeholder map (8 so far).',
    ]);

    const ready = start();
    ready.send(thresholds({ minSectors: 4 }));
    expect(ready.getSnapshot().context.thresholds.minSectors).toBe(4);
  });

  it.each([[{}], [{ minLuck: 2 }], [{ minStakeholders: 0 }], [{ maxIndicators: 3.5 }]])('refuses %j', (change) => {
    const actor = start();
    expect(actor.getSnapshot().can(thresholds(change))).toBe(false);
    expect(
      explainRefusal('readiness', initialContext(), {
        type: 'settings.thresholds',
        thresholds: change as Partial<Thresholds>,
      }),
    ).toHaveLength(1);
  });
});

describe('readiness.scope', () => {
  const scope = (problem: string, collaboration = 'some', engagement = 'broad'): WorkflowEvent =>
    ({ type: 'readiness.scope', problem, collaboration, engagement, ...stamp() }) as WorkflowEvent;

  it('records the three answers with who and when, and the estimate says so', () => {
    const actor = start([{ ...scope('moderate'), note: ' Two school districts and the county. ' } as WorkflowEvent]);
    const { context } = actor.getSnapshot();
    expect(context.scope).toMatchObject({
      problem: 'moderate',
      collaboration: 'some',
      engagement: 'broad',
      note: 'Two school districts and the county.',
      by: facilitator,
    });
    expect(context.history.at(-1)!.summary).toBe(
      'Answered the scope questions (problem moderate, existing collaboration some, community engagement broad). About 11 to 18 months for Phase I and Phase II.',
    );
    expect(evaluateWorkflow('readiness', context, BLANK).estimate.summary).toBe(
      'About 11 to 18 months for Phase I and Phase II.',
    );
  });

  it('can be answered again in Phase I and II, but not in Phase III', () => {
    const inOrganize = start(through(['initiate']));
    expect(inOrganize.getSnapshot().can(scope('broad'))).toBe(true);
    const inSustain = start(through(['initiate', 'organize']));
    expect(inSustain.getSnapshot().can(scope('broad'))).toBe(false);
    expect(explainRefusal('sustain', inSustain.getSnapshot().context, withoutStamp(scope('broad')))).toEqual([
      {
        message: 'The estimate covers Phase I and Phase II; the initiative is in Phase III: Sustain Action and Impact.',
      },
    ]);
  });

  it('refuses an answer that is not one of the choices', () => {
    const actor = start();
    expect(actor.getSnapshot().can(scope('enormous'))).toBe(false);
    expect(explainRefusal('readiness', initialContext(), withoutStamp(scope('enormous')))).toEqual([
      { message: 'Answer "Scope of the problem" with one of: focused, moderate, broad.' },
    ]);
  });
});

describe('evaluateWorkflow', () => {
  it('answers components for every phase, what stops the next move, and the estimate', () => {
    const readiness = evaluateWorkflow('readiness', initialContext(), P1);
    expect(Object.keys(readiness.components)).toEqual([...PHASES]);
    expect(readiness.unmet.map((u) => u.precondition)).toEqual([...PRECONDITIONS]);
    expect(readiness.estimate.answered).toBe(false);

    const initiate = evaluateWorkflow('initiate', initialContext(), P1);
    expect(initiate.unmet.map((u) => u.step)).toEqual(['initiate.community.outreach', 'initiate.evaluation.gaps']);
    expect(initiate.components.initiate.governance.complete).toBe(true);
    expect(initiate.components.organize.planning.complete).toBe(false);

    // In Phase III, the steps still open.
    expect(evaluateWorkflow('sustain', initialContext(), ALL).unmet.map((u) => u.step)).toEqual(
      confirmStepsOf('sustain').map((s) => s.id),
    );
  });
});

describe('explainRefusal agrees with the machine', () => {
  it('refuses (non-empty) exactly when snapshot.can is false, for every command, in every stage, with every model', () => {
    const situations: WorkflowEvent[][] = [
      [],
      PRECONDITIONS.map((p) => assess(p, 'met')),
      [launch(BLANK)],
      [launch(P1), ...confirmStepsOf('initiate').map((s) => confirmStep(s.id))],
      through(['initiate']),
      [...through(['initiate']), ...confirmStepsOf('organize').map((s) => confirmStep(s.id))],
      through(['initiate', 'organize']),
    ];
    const commands: WorkflowCommand[] = [
      { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The DA chairs the council.' },
      { type: 'readiness.confirm' },
      { type: 'readiness.scope', problem: 'broad', collaboration: 'none', engagement: 'narrow' },
      ...STEPS.map((s): WorkflowCommand => ({ type: 'step.confirm', step: s.id, note: 'Done.' })),
      { type: 'step.confirm', step: 'organize.community.engage', note: ' ' },
      { type: 'phase.advance' },
      { type: 'phase.advance', override: { reason: OVERRIDE_REASON } },
      { type: 'phase.advance', override: { reason: '' } },
      { type: 'framework.revise', note: 'Added a region.' },
      { type: 'framework.revise', note: '' },
      { type: 'settings.thresholds', thresholds: { minStakeholders: 9 } },
      { type: 'settings.thresholds', thresholds: { minStakeholders: -1 } },
    ];
    let checked = 0;
    for (const events of situations) {
      const snapshot = start(events).getSnapshot();
      for (const model of [BLANK, P1, P2, ALL]) {
        for (const command of commands) {
          const refused = explainRefusal(stage(snapshot), snapshot.context, command, model).length > 0;
          const event = { ...command, by: lead, at: nextAt(), model } as WorkflowEvent;
          expect({ stage: stage(snapshot), command, model: MODEL_NAMES.get(model), refused }).toEqual({
            stage: stage(snapshot),
            command,
            model: MODEL_NAMES.get(model),
            refused: !snapshot.can(event),
          });
          checked++;
        }
      }
    }
    expect(checked).toBe(situations.length * 4 * commands.length);
  });
});

describe('stageEntered effect', () => {
  it('is called for each phase entered, in order', () => {
    const stageEntered = vi.fn<(stage: Stage) => void>();
    const machine = workflowMachine.provide({ actions: { stageEntered: (_, params) => stageEntered(params.stage) } });
    start(through(['initiate', 'organize']), machine);
    expect(stageEntered.mock.calls.map(([s]) => s)).toEqual(['initiate', 'organize', 'sustain']);
  });
});

describe('persistence', () => {
  it('resumes Phase II exactly: stage, confirmations, thresholds and history', () => {
    const actor = start([
      ...through(['initiate']),
      confirmStep('organize.community.engage', 'Town halls in four municipalities.', P2),
      { type: 'settings.thresholds', thresholds: { maxIndicators: 6 }, model: P2, ...stamp() },
    ]);
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    const restored = createActor(workflowMachine, { snapshot: restoreSnapshot(persisted) });
    restored.start();
    expect(restored.getSnapshot().value).toEqual(actor.getSnapshot().value);
    expect(restored.getSnapshot().context).toEqual(actor.getSnapshot().context);
    expect(stepStates(restored.getSnapshot(), 'organize', P2)).toEqual(stepStates(actor.getSnapshot(), 'organize', P2));
    expect(stepStates(restored.getSnapshot(), 'organize', P2)['organize.community.engage']).toBe('met');
  });

  it('migrates a snapshot persisted before the phases existed (a plain "initiate", readiness and history only)', () => {
    const old = start([confirm({ reason: OVERRIDE_REASON })]).getSnapshot().context;
    const persisted = {
      status: 'active',
      value: 'initiate',
      context: { readiness: old.readiness, history: old.history },
      children: {},
      historyValue: {},
    };
    const restored = createActor(workflowMachine, { snapshot: restoreSnapshot(persisted) });
    restored.start();
    const snapshot = restored.getSnapshot();
    expect(stage(snapshot)).toBe('initiate');
    expect(snapshot.context).toEqual({ ...initialContext(), readiness: old.readiness, history: old.history });
    expect(stepStates(snapshot, 'initiate', P1)['initiate.planning.landscape']).toBe('met');
  });

  it('falls back to the stage for a snapshot that kept per-step states (older versions), whatever they were', () => {
    const restored = restoreSnapshot({ value: { organize: { governance: { retired: 'done' } } }, context: {} });
    expect(stage(restored)).toBe('organize');
    expect(restored.value).toBe('organize');
    expect(restored.context).toEqual(initialContext());
    const stale = { initiate: { governance: { champion: 'done', group: 'done' }, planning: { landscape: 'done' } } };
    const fromStale = restoreSnapshot({ value: stale, context: {} });
    expect(fromStale.value).toBe('initiate');
    // What the steps show comes from the document, not from the stale states.
    expect(new Set(Object.values(stepStates(fromStale, 'initiate', BLANK)))).toEqual(new Set(['unmet']));
  });

  it('keeps thresholds added later at their defaults', () => {
    expect(migrateContext({ thresholds: { minStakeholders: 20 } }).thresholds).toEqual({
      ...DEFAULT_THRESHOLDS,
      minStakeholders: 20,
    });
  });
});

describe('model: every path through the phases', () => {
  const OVERRIDE: Override = { reason: OVERRIDE_REASON };
  const MODELS = [BLANK, P1, P2, ALL];

  /** The events a facilitator could send in each situation, with each model the canvas could show. */
  function events(snapshot: WorkflowSnapshot): WorkflowEvent[] {
    const current = stage(snapshot);
    if (current === 'readiness') {
      return [
        ...PRECONDITIONS.filter((p) => !snapshot.context.readiness[p]).map((p) => assess(p, 'met')),
        { ...confirm(), model: P1 },
        launch(BLANK),
      ];
    }
    const other = PHASES.find((p) => p !== current)!;
    return [
      ...confirmStepsOf(current).map((s) => confirmStep(s.id)),
      confirmStep(confirmStepsOf(other)[0].id),
      confirmStep(confirmStepsOf(current)[0].id, ' '),
      ...MODELS.map((m) => advance(m)),
      advance(BLANK, OVERRIDE),
      advance(BLANK, { reason: ' ' }),
      { type: 'framework.revise', note: 'Revised the roadmap.', model: ALL, ...stamp() },
      { type: 'settings.thresholds', thresholds: { minStakeholders: 9 }, model: ALL, ...stamp() },
    ];
  }

  /** What the guards can see: the state, the current phase's confirmations, the threshold the events change. */
  function serializeState(snapshot: WorkflowSnapshot): string {
    const current = stage(snapshot);
    const readiness = PRECONDITIONS.map((p) => snapshot.context.readiness[p]?.status ?? '-').join(',');
    const confirmed = Object.keys(snapshot.context.confirmations)
      .filter((id) => id.startsWith(`${current}.`))
      .sort();
    return JSON.stringify([
      snapshot.value,
      current === 'readiness' ? readiness : '',
      confirmed,
      snapshot.context.thresholds.minStakeholders,
    ]);
  }

  function serializeEvent(event: WorkflowEvent): string {
    const e = event as WorkflowEvent & { step?: string; note?: string; override?: Override; model?: InitiativeModel };
    return [
      e.type,
      e.step,
      e.note?.trim() ? 'note' : '',
      e.override ? `override:${e.override.reason.trim() ? 'reason' : 'blank'}` : '',
      e.model ? MODEL_NAMES.get(e.model) : '',
      'precondition' in e ? e.precondition : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  const options = { events, serializeState, serializeEvent };
  const edges = adjacencyMapToArray(getAdjacencyMap(workflowMachine, options));
  const shortest = getShortestPaths(workflowMachine, options);

  /** Every state node of the machine, by path (`initiate.governance.champion.done`). */
  function declaredPaths(node: AnyStateNode = workflowMachine.root, prefix = ''): string[] {
    return Object.entries(node.states).flatMap(([key, child]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return [path, ...declaredPaths(child, path)];
    });
  }

  function activePaths(value: unknown, prefix = ''): string[] {
    if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
    return Object.entries(value as Record<string, unknown>).flatMap(([key, child]) => {
      const path = prefix ? `${prefix}.${key}` : key;
      return [path, ...activePaths(child, path)];
    });
  }

  it('reaches every state of the machine: every stage', () => {
    const reached = new Set(shortest.flatMap((path) => activePaths(path.state.value)));
    const declared = declaredPaths();
    expect(declared).toEqual(['readiness', ...PHASES]);
    expect(declared.filter((path) => !reached.has(path))).toEqual([]);
  });

  it('lets no transition into Phase II or III happen without the previous phase complete, or an override with a reason', () => {
    let advances = 0;
    let overridden = 0;
    for (const { state, event, nextState } of edges) {
      const from = stage(state);
      const to = stage(nextState);
      if (from === to || from === 'readiness') continue;
      advances++;
      expect(event.type).toBe('phase.advance');
      expect(PHASES.indexOf(to as Phase)).toBe(PHASES.indexOf(from as Phase) + 1);
      const complete = phaseComplete(
        from as Phase,
        (event as { model?: InitiativeModel }).model ?? BLANK,
        state.context,
      );
      const reason = event.type === 'phase.advance' && !!event.override?.reason.trim();
      expect({ from: serializeState(state), event: serializeEvent(event), ok: complete || reason }).toEqual({
        from: serializeState(state),
        event: serializeEvent(event),
        ok: true,
      });
      // The override is on record exactly when it is what allowed the move.
      const entry = nextState.context.history.at(-1)!;
      expect(entry).toMatchObject({ type: 'phase.advance', from, to });
      expect(!!entry.override).toBe(!complete);
      if (!complete) {
        overridden++;
        expect(entry.unmet!.length).toBeGreaterThan(0);
      }
    }
    expect(advances).toBeGreaterThan(0);
    expect(overridden).toBeGreaterThan(0);
    expect(overridden).toBeLessThan(advances);
  });

  it('never goes back a phase, and never leaves Phase III', () => {
    for (const { state, nextState } of edges) {
      const from = (['readiness', ...PHASES] as Stage[]).indexOf(stage(state));
      const to = (['readiness', ...PHASES] as Stage[]).indexOf(stage(nextState));
      expect(to === from || to === from + 1).toBe(true);
    }
  });

  it('reaches Phase II and III on shortest paths only through complete phases or recorded overrides', () => {
    const later = shortest.filter((p) => stage(p.state) === 'organize' || stage(p.state) === 'sustain');
    expect(later.length).toBeGreaterThan(0);
    for (const path of later) {
      const advances = path.state.context.history.filter((h) => h.type === 'phase.advance');
      expect(advances.map((h) => h.to)).toEqual(
        stage(path.state) === 'organize' ? ['organize'] : ['organize', 'sustain'],
      );
      // Replay the path: before each advance, the phase was complete with the event's model, or the entry holds an override.
      let snapshot = workflowMachine.resolveState({ value: 'readiness', context: initialContext() });
      const actor = createActor(workflowMachine, { snapshot });
      actor.start();
      for (const { event } of path.steps) {
        snapshot = actor.getSnapshot();
        actor.send(event);
        const next = actor.getSnapshot();
        if (stage(next) !== stage(snapshot) && stage(snapshot) !== 'readiness') {
          const complete = phaseComplete(
            stage(snapshot) as Phase,
            (event as { model?: InitiativeModel }).model ?? BLANK,
            snapshot.context,
          );
          expect(complete || !!next.context.history.at(-1)!.override?.reason.trim()).toBe(true);
        }
      }
      expect(actor.getSnapshot().value).toEqual(path.state.value);
    }
  });
});
