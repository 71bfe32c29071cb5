/**
 * An initiative from the readiness assessment to Phase III through the API, with
 * the canvas written by real y-websocket clients: the workflow reads the live
 * document of the initiative's room.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import {
  createEntity,
  placeEntity,
  readModel,
  toggleBackboneFunction,
  toggleRef,
  updateEntity,
} from '../../src/schema/model.ts';
import {
  BACKBONE_FUNCTIONS,
  COMPONENTS,
  PHASES,
  STEPS,
  type Sector,
  type StakeholderRole,
} from '../../machines/index.ts';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';

let h: Harness;
const clients: SyncClient[] = [];

beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await h.stop();
});

/** A member who redeemed an invite under `name`: answers their session token. */
function namedMember(id: string, role: string, name: string): Promise<string> {
  return h.invite(id, role, name);
}

/**
 * A participant who writes the canvas, and an observer whose copy arrives
 * through the server: once the observer has everything the writer wrote, the
 * server has applied it (it relays an update only after applying and storing it).
 */
async function canvas(id: string) {
  const writer = syncClient(h.url, id, await h.invite(id, 'participant'));
  const watcher = syncClient(h.url, id, await h.invite(id, 'observer'));
  clients.push(writer, watcher);
  await Promise.all([writer.synced, watcher.synced]);
  const same = () => Buffer.from(Y.encodeStateVector(writer.doc)).equals(Buffer.from(Y.encodeStateVector(watcher.doc)));
  return {
    doc: writer.doc,
    /** Resolves once the server holds everything written so far. */
    settled: () =>
      new Promise<void>((resolve) => {
        if (same()) return resolve();
        const onUpdate = () => {
          if (!same()) return;
          watcher.doc.off('update', onUpdate);
          resolve();
        };
        watcher.doc.on('update', onUpdate);
      }),
  };
}

type Step = { id: string; status: 'met' | 'unmet'; messages: string[] };
type Workflow = {
  stage: string;
  unmet: { component?: string; step?: string; message: string }[];
  components: Record<string, Record<string, { complete: boolean; steps: Step[] }>>;
  history: { type: string; by: { name: string }; override?: { reason: string }; unmet?: unknown[]; summary: string }[];
  estimate: { answered: boolean; minMonths: number; maxMonths: number; summary: string; reasons: string[] };
  thresholds: Record<string, number>;
  scope: Record<string, unknown> | null;
};

const stepOf = (workflow: Workflow, id: string): Step => {
  const [phase, component] = id.split('.');
  return workflow.components[phase][component].steps.find((s) => s.id === id)!;
};

const assess = (precondition: string) => ({
  type: 'readiness.assess',
  precondition,
  status: 'met',
  evidence: `Evidence for ${precondition}`,
});

const confirmationsOf = (phase: string) => STEPS.filter((s) => s.phase === phase && s.confirm).map((s) => s.id);

describe('phases through the API, with the canvas written by sync clients', () => {
  it('takes an initiative from readiness to Phase III', { timeout: 30_000 }, async () => {
    const id = await h.createInitiative('Meadow County Coalition for Healthy Youth');
    const lead = await namedMember(id, 'lead', 'Dana Whitfield');
    const facilitator = await namedMember(id, 'facilitator', 'Sam Ortiz');
    const participant = await h.invite(id, 'participant');
    const events = `/api/initiatives/${id}/events`;
    const workflow = async (token = lead): Promise<Workflow> => {
      const res = await h.api('GET', `/api/initiatives/${id}/workflow`, undefined, token);
      expect(res.status).toBe(200);
      return res.body;
    };
    const send = (body: unknown, token = facilitator) => h.api('POST', events, body, token);
    const { doc, settled } = await canvas(id);

    // Readiness, with the scope questions behind the estimate.
    expect((await workflow()).estimate.answered).toBe(false);
    for (const p of ['champion', 'resources', 'urgency']) expect((await send(assess(p), lead)).status).toBe(200);
    const scoped = await send({
      type: 'readiness.scope',
      problem: 'moderate',
      collaboration: 'some',
      engagement: 'broad',
    });
    expect(scoped.status).toBe(200);
    expect(scoped.body.scope).toMatchObject({
      problem: 'moderate',
      collaboration: 'some',
      engagement: 'broad',
      by: { name: 'Sam Ortiz' },
    });
    expect(scoped.body.estimate).toMatchObject({ answered: true, minMonths: 11, maxMonths: 18 });
    expect(scoped.body.estimate.reasons).toHaveLength(4);
    expect((await send({ type: 'phase.advance' })).status).toBe(409);
    expect((await send({ type: 'readiness.confirm' }, lead)).body.stage).toBe('initiate');

    // Phase I: nothing on the canvas yet, so the advance is refused with what is missing.
    const empty = await send({ type: 'phase.advance' });
    expect(empty.status).toBe(409);
    expect(empty.body.unmet).toContainEqual({
      component: 'planning',
      step: 'initiate.planning.landscape',
      message: 'Add at least one person affected by the issue to the stakeholder map (none yet).',
    });
    for (const u of empty.body.unmet) {
      expect(COMPONENTS).toContain(u.component);
      expect(u.step).toMatch(/^initiate\./);
      expect(typeof u.message).toBe('string');
    }

    // The group maps the landscape on the canvas.
    const people: [string, Sector, StakeholderRole][] = [
      ['Maria Alvarez, District Attorney', 'government', 'champion'],
      ['Community Foundation', 'philanthropy', 'anchor-funder'],
      ['Meadow County Schools', 'education', 'partner'],
      ['County Health Department', 'health', 'partner'],
      ['First Baptist Youth Ministry', 'faith', 'partner'],
      ['Meadow Gazette', 'media', 'partner'],
      ['Parents of Meadow High', 'residents', 'affected'],
      ['Main Street Business Association', 'business', 'partner'],
    ];
    const ids = people.map(([name, sector, role], i) =>
      createEntity(doc, 'stakeholder', { name, sector, role }, [
        { board: 'stakeholders', position: { x: i * 200, y: 0 } },
      ]),
    );
    const effort = createEntity(doc, 'effort', { name: 'Drug-Free Communities coalition', stakeholderIds: [ids[2]] });
    placeEntity(doc, 'stakeholders', effort, { x: 0, y: 300 });
    createEntity(
      doc,
      'group',
      { name: 'Coordinating council', groupKind: 'steering-committee', memberIds: [ids[0], ids[2], ids[6]] },
      [{ board: 'governance', position: { x: 0, y: 0 } }],
    );
    updateEntity(doc, 'problem', {
      description: 'Teen binge drinking is above the state average in all 30 municipalities.',
    });
    createEntity(doc, 'source', {
      title: 'State youth risk behaviour survey 2024',
      reference: 'https://example.org/yrbs',
    });
    createEntity(doc, 'baseline', {
      statement: 'Students who binge drank in the last 30 days',
      value: '31%',
      source: 'County youth survey',
      date: '2025-05-01',
    });
    createEntity(doc, 'baseline', {
      statement: 'Students who smoked in the last 30 days',
      value: '14%',
      source: 'County youth survey',
      date: '2025-05-01',
    });
    await settled();

    // The view is live: computed from the current document, no event needed.
    const mapped = await workflow(participant);
    for (const step of [
      'initiate.governance.champion',
      'initiate.governance.group',
      'initiate.planning.landscape',
      'initiate.planning.case',
      'initiate.evaluation.baseline',
    ]) {
      expect({ step, ...stepOf(mapped, step) }).toMatchObject({ step, status: 'met', messages: [] });
    }
    expect(mapped.unmet.map((u) => u.step)).toEqual(confirmationsOf('initiate'));

    // Judgement steps: leads and facilitators confirm them, with a note.
    const outreach = {
      type: 'step.confirm',
      step: 'initiate.community.outreach',
      note: 'Listening sessions in six towns; 60 people came.',
    };
    expect((await send(outreach, participant)).status).toBe(403);
    expect((await send({ ...outreach, note: ' ' })).body.field).toBe('note');
    expect((await send({ ...outreach, step: 'initiate.community.parade' })).body.field).toBe('step');
    const byHand = await send({ ...outreach, step: 'initiate.planning.landscape' });
    expect(byHand.status).toBe(409);
    expect(byHand.body.unmet[0].message).toBe(
      '"Map the landscape" completes by itself once the canvas shows it: it is not confirmed by hand.',
    );
    expect((await send(outreach)).status).toBe(200);
    expect(
      (
        await send(
          { type: 'step.confirm', step: 'initiate.evaluation.gaps', note: 'Rural towns have no treatment data.' },
          lead,
        )
      ).status,
    ).toBe(200);
    const phaseTwo = await send({ type: 'phase.advance' });
    expect(phaseTwo.status).toBe(200);
    expect(phaseTwo.body.stage).toBe('organize');
    expect(phaseTwo.body.history.at(-1)).toMatchObject({
      type: 'phase.advance',
      from: 'initiate',
      to: 'organize',
      by: { name: 'Sam Ortiz' },
    });
    expect(phaseTwo.body.history.at(-1).override).toBeUndefined();

    // A stricter threshold, per initiative, validated and on record.
    expect((await send({ type: 'settings.thresholds', thresholds: { maxIndicators: 0 } })).body.field).toBe(
      'thresholds.maxIndicators',
    );
    expect((await send({ type: 'settings.thresholds', thresholds: { minLuck: 3 } })).status).toBe(400);
    const stricter = await send({ type: 'settings.thresholds', thresholds: { maxIndicators: 8 } }, lead);
    expect(stricter.status).toBe(200);
    expect(stricter.body.thresholds.maxIndicators).toBe(8);
    expect(stricter.body.history.at(-1).summary).toBe('Changed thresholds. Maximum shared measures: 12 → 8.');

    // Phase II: the common agenda, shared measures and the backbone.
    const missing = await send({ type: 'phase.advance' });
    expect(missing.status).toBe(409);
    expect(new Set(missing.body.unmet.map((u: { component: string }) => u.component))).toEqual(new Set(COMPONENTS));
    createEntity(doc, 'boundary', { label: 'Parental and youth social norms', dimension: 'issue', side: 'inside' }, [
      { board: 'boundaries', position: { x: 0, y: 0 } },
    ]);
    createEntity(doc, 'boundary', { label: 'Youth unemployment', dimension: 'issue', side: 'outside' });
    updateEntity(doc, 'goal', { statement: 'Cut teen binge drinking by a quarter within five years.' });
    updateEntity(doc, 'evaluation', { approach: 'Quarterly reports of the shared measures to the council.' });
    createEntity(doc, 'principle', { statement: 'Nothing about young people without young people.' });
    const binge = createEntity(doc, 'indicator', {
      name: 'Binge drinking',
      definition: 'Share of students who binge drank in the last 30 days',
    });
    const smoking = createEntity(doc, 'indicator', {
      name: 'Smoking',
      definition: 'Share of students who smoked in the last 30 days',
    });
    const parents = createEntity(doc, 'strategy', {
      name: 'Parent education nights',
      horizon: 'short-term',
      indicatorIds: [binge],
    });
    const laws = createEntity(doc, 'strategy', { name: 'Community laws and norms', horizon: 'long-term' });
    toggleRef(doc, laws, 'indicatorIds', smoking, true);
    const backbone = createEntity(doc, 'backbone', {
      name: 'Meadow County Prevention Office',
      scopeId: null,
      structure: 'existing-nonprofit',
    });
    for (const fn of BACKBONE_FUNCTIONS) toggleBackboneFunction(doc, backbone, fn, ids[1], true);
    await settled();
    const built = await send({ type: 'phase.advance' });
    expect(built.status).toBe(409);
    expect(built.body.unmet.map((u: { step: string }) => u.step)).toEqual(confirmationsOf('organize'));
    for (const step of confirmationsOf('organize')) {
      expect((await send({ type: 'step.confirm', step, note: `Done, with the council: ${step}.` })).status).toBe(200);
    }
    // A revision of the framework in Phase II is recorded without leaving it.
    const revised = await send({
      type: 'framework.revise',
      part: 'framework',
      note: 'Merged two strategies after the town halls.',
    });
    expect(revised.status).toBe(200);
    expect(revised.body.stage).toBe('organize');
    const phaseThree = await send({ type: 'phase.advance' }, lead);
    expect(phaseThree.status).toBe(200);
    expect(phaseThree.body.stage).toBe('sustain');

    // Phase III: working groups linked to measures, aligned activities, data, and the judgement steps.
    const open = (await workflow()).components.sustain;
    // Strategies are read in id order (random ids here), so compare as sets.
    expect([...open.governance.steps[0].messages].sort()).toEqual([
      'Form a working group for the strategy "Community laws and norms" (none yet).',
      'Form a working group for the strategy "Parent education nights" (none yet).',
    ]);
    createEntity(doc, 'group', {
      name: 'Parent education',
      groupKind: 'working-group',
      strategyIds: [parents],
      indicatorIds: [binge],
    });
    const lawsGroup = createEntity(doc, 'group', {
      name: 'Community laws and norms',
      groupKind: 'working-group',
      strategyIds: [laws],
    });
    toggleRef(doc, lawsGroup, 'indicatorIds', smoking, true);
    createEntity(doc, 'activity', { name: 'Monthly parent nights', strategyId: parents, ownerIds: [ids[2]] });
    createEntity(doc, 'activity', { name: 'Retailer compliance checks', strategyId: laws, ownerIds: [ids[0]] });
    // Collect data: the values live on the server, not in the document; the runner counts them from the measure store.
    await settled();
    const collect = (await workflow()).components.sustain.evaluation.steps.find(
      (s) => s.id === 'sustain.evaluation.measurements',
    );
    // Indicators are read in id order (random ids here), so compare as sets.
    expect([...(collect?.messages ?? [])].sort()).toEqual([
      'Record a measurement for the indicator "Binge drinking" (none yet).',
      'Record a measurement for the indicator "Smoking" (none yet).',
    ]);
    const entered = await h.api(
      'POST',
      `/api/initiatives/${id}/measurements`,
      [
        { indicator: binge, date: '2025-05-01', value: 24 },
        { indicator: 'smoking', date: '2025-05-01', value: 19 },
      ],
      facilitator,
    );
    expect(entered.status).toBe(200);
    await vi.waitFor(async () =>
      expect(
        (await workflow()).components.sustain.evaluation.steps.find((s) => s.id === 'sustain.evaluation.measurements')
          ?.status,
      ).toBe('met'),
    );
    for (const step of confirmationsOf('sustain')) {
      expect(
        (await send({ type: 'step.confirm', step, note: `Recorded at the quarterly review: ${step}.` })).status,
      ).toBe(200);
    }
    const sustained = await workflow();
    expect(sustained.stage).toBe('sustain');
    for (const component of COMPONENTS) expect(sustained.components.sustain[component].complete).toBe(true);
    expect(sustained.unmet).toEqual([]);
    // Every phase's statuses are still live and complete.
    for (const phase of PHASES)
      for (const component of COMPONENTS) expect(sustained.components[phase][component].complete).toBe(true);
    const last = await send({ type: 'phase.advance', override: { reason: 'Onwards.' } });
    expect(last.status).toBe(409);
    expect(last.body.unmet[0].message).toBe(
      'Phase III: Sustain Action and Impact is the last phase: it can last a decade or more.',
    );
    expect((await h.api('GET', '/api/initiatives')).body.find((i: { id: string }) => i.id === id).stage).toBe(
      'sustain',
    );

    // The history tells the story, with who did what.
    expect(sustained.history.filter((e) => e.type === 'phase.advance').map((e) => e.by.name)).toEqual([
      'Sam Ortiz',
      'Dana Whitfield',
    ]);
    expect(sustained.history.filter((e) => e.type === 'step.confirm')).toHaveLength(
      confirmationsOf('initiate').length + confirmationsOf('organize').length + confirmationsOf('sustain').length,
    );

    // The server read the same document the clients built.
    expect(readModel(doc).entities.stakeholder).toHaveLength(8);

    // A restart resumes exactly, the statuses read again from the stored document.
    await h.restart();
    expect(await workflow()).toEqual(sustained);
  });

  it(
    'a live view follows a deleted stakeholder: a met step reopens without any event',
    { timeout: 15_000 },
    async () => {
      const id = await h.createInitiative();
      const { doc, settled } = await canvas(id);
      const champion = createEntity(doc, 'stakeholder', { name: 'Mayor', sector: 'government', role: 'champion' });
      await settled();
      const before = (await h.api('GET', `/api/initiatives/${id}/workflow`)).body;
      expect(stepOf(before, 'initiate.governance.champion').status).toBe('met');
      updateEntity(doc, champion, { role: 'partner' });
      await settled();
      const after = (await h.api('GET', `/api/initiatives/${id}/workflow`)).body;
      expect(stepOf(after, 'initiate.governance.champion')).toMatchObject({
        status: 'unmet',
        messages: [
          'Add at least one champion to the stakeholder map (none yet): someone respected enough to bring cross-sector leaders together and keep them engaged.',
        ],
      });
    },
  );

  it('an override moves on with its reason and what was still open on record', async () => {
    const id = await h.createInitiative();
    const lead = await namedMember(id, 'lead', 'Priya Raman');
    const events = `/api/initiatives/${id}/events`;
    await h.api(
      'POST',
      events,
      { type: 'readiness.confirm', override: { reason: 'The board meets next week.' } },
      lead,
    );
    expect((await h.api('POST', events, { type: 'phase.advance', override: { reason: ' ' } }, lead)).body.field).toBe(
      'override.reason',
    );
    const res = await h.api(
      'POST',
      events,
      { type: 'phase.advance', override: { reason: 'The county asked us to start the common agenda now.' } },
      lead,
    );
    expect(res.status).toBe(200);
    expect(res.body.stage).toBe('organize');
    const entry = res.body.history.at(-1);
    expect(entry).toMatchObject({
      type: 'phase.advance',
      from: 'initiate',
      to: 'organize',
      override: { reason: 'The county asked us to start the common agenda now.' },
      by: { name: 'Priya Raman', role: 'lead' },
    });
    expect(entry.unmet.length).toBeGreaterThan(5);
    expect(entry.unmet[0]).toMatchObject({ component: 'governance', step: 'initiate.governance.champion' });
    // Revising the framework is for the phases after it is agreed: accepted in Phase II.
    expect(
      (
        await h.api(
          'POST',
          events,
          { type: 'framework.revise', note: 'Added the neighbouring county.', part: 'boundaries' },
          lead,
        )
      ).status,
    ).toBe(200);
  });

  it('only leads, facilitators and the admin may send the phase events', async () => {
    const id = await h.createInitiative();
    await h.api('POST', `/api/initiatives/${id}/events`, { type: 'readiness.confirm', override: { reason: 'Now.' } });
    const bodies = [
      { type: 'step.confirm', step: 'initiate.community.outreach', note: 'Done.' },
      { type: 'phase.advance', override: { reason: 'Now.' } },
      { type: 'framework.revise', note: 'Changed.' },
      { type: 'settings.thresholds', thresholds: { minStakeholders: 4 } },
      { type: 'readiness.scope', problem: 'broad', collaboration: 'none', engagement: 'broad' },
    ];
    for (const role of ['participant', 'observer']) {
      const token = await h.invite(id, role);
      for (const body of bodies)
        expect({
          role,
          type: body.type,
          status: (await h.api('POST', `/api/initiatives/${id}/events`, body, token)).status,
        }).toEqual({ role, type: body.type, status: 403 });
    }
    const facilitator = await h.invite(id, 'facilitator');
    expect((await h.api('POST', `/api/initiatives/${id}/events`, bodies[0], facilitator)).status).toBe(200);
    expect((await h.api('POST', `/api/initiatives/${id}/events`, bodies[3])).status).toBe(200); // the admin
  });
});
