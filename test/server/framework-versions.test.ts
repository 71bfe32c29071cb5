/**
 * Framework versions on a real server (docs/framework.md): saved by
 * `framework.revise` with a name, never changed by later edits, compared over
 * the API, restored by `framework.restore` into the live document (stored and
 * relayed to connected browsers like any edit) with its history entry, undone
 * by restoring the version kept just before, and refused with a reason.
 * The canvas is edited through real y-websocket clients, as a browser does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { PHASE_LABELS } from '../../machines/domain.ts';
import { frameworkSnapshot } from '../../machines/framework/snapshot.ts';
import type { FrameworkSnapshot } from '../../machines/framework/types.ts';
import { CURRENT_FRAMEWORK, PORTFOLIO_REFUSALS, refusalFor } from '../../src/contract/index.ts';
import {
  createEntity,
  deleteEntities,
  placeEntity,
  readModel,
  toggleRef,
  updateEntity,
} from '../../src/schema/index.ts';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h.stop();
});

interface Team {
  id: string;
  lead: string;
  facilitator: { token: string; memberId: string; name: string };
  participant: string;
  observer: string;
}

/** A new initiative with one member of each role, moved into Phase II by the admin's overrides. */
async function initiativeInPhaseTwo(name: string): Promise<Team> {
  const id = await h.createInitiative(name);
  const team: Team = {
    id,
    lead: await h.invite(id, 'lead', 'Amara Osei'),
    facilitator: await h.join(id, 'facilitator', 'Jonas Berg'),
    participant: await h.invite(id, 'participant', 'Rosa Diaz'),
    observer: await h.invite(id, 'observer', 'Lee Park'),
  };
  const onwards = { override: { reason: 'The steering group chose to start now.' } };
  expect((await send(id, { type: 'readiness.confirm', ...onwards })).status).toBe(200);
  expect((await send(id, { type: 'phase.advance', ...onwards })).status).toBe(200);
  return team;
}

const send = (id: string, body: Record<string, unknown>, token?: string) =>
  h.api('POST', `/api/initiatives/${id}/events`, body, token);

/** The framework in the server's document now. */
const serverFramework = (id: string): Promise<FrameworkSnapshot> =>
  h.convene.rooms.withDoc(id, (doc) => frameworkSnapshot(readModel(doc)));

/** Edits made in a browser's copy of the document, and waited for until the server has them. */
async function edit(client: SyncClient, id: string, change: (doc: Y.Doc) => void): Promise<void> {
  change(client.doc);
  const expected = JSON.stringify(frameworkSnapshot(readModel(client.doc)));
  await expect.poll(async () => JSON.stringify(await serverFramework(id))).toBe(expected);
}

async function connect(id: string, token: string): Promise<SyncClient> {
  const client = syncClient(h.url, id, token);
  await client.synced;
  return client;
}

const framework = (x: number, y: number) => [{ board: 'framework' as const, position: { x, y } }];

/** The Meadow County framework, drawn on the board by the lead: ids of its cards. */
async function drawFramework(client: SyncClient, id: string) {
  const ids = {} as Record<'use' | 'sales' | 'age' | 'school' | 'hearing' | 'youth' | 'survey' | 'clinic' | 'note', string>;
  await edit(client, id, (doc) => {
    ids.clinic = createEntity(doc, 'stakeholder', { name: 'County clinic', sector: 'health' }, [{ board: 'stakeholders', position: { x: 0, y: 0 } }]);
    updateEntity(doc, 'problem', { description: 'One in four ninth graders vapes.' });
    updateEntity(doc, 'goal', { statement: 'Halve youth vaping by 2030.' });
    ids.use = createEntity(doc, 'indicator', { name: 'Youth vaping', unit: 'percent', direction: 'decrease' }, framework(40, 400));
    ids.sales = createEntity(doc, 'indicator', { name: 'Sales to minors', unit: 'percent', direction: 'decrease' }, framework(280, 400));
    ids.age = createEntity(doc, 'strategy', { name: 'Raise the tobacco age', horizon: 'long-term', indicatorIds: [ids.use] }, framework(40, 200));
    ids.school = createEntity(doc, 'strategy', { name: 'Vape-free schools' }, framework(280, 200));
    ids.hearing = createEntity(doc, 'activity', { name: 'Council hearing', strategyId: ids.age, ownerIds: [ids.clinic] }, framework(40, 300));
    ids.youth = createEntity(doc, 'principle', { statement: 'Young people decide with us' }, framework(520, 40));
    ids.survey = createEntity(doc, 'source', { title: 'Youth risk survey 2024', reference: 'YRBS' }, framework(760, 40));
    ids.note = createEntity(doc, 'note', { text: 'Ask the pharmacies' }, framework(900, 500));
  });
  return ids;
}

const lastEntry = (view: { history: unknown[] }) => view.history.at(-1) as Record<string, unknown> & { summary: string };

describe('saving a version', () => {
  it('framework.revise with a name saves the framework as it is, on record in the history', async () => {
    const team = await initiativeInPhaseTwo('Meadow County Coalition for Healthy Youth');
    const client = await connect(team.id, team.lead);
    try {
      const ids = await drawFramework(client, team.id);
      const before = await serverFramework(team.id);
      const saved = await send(
        team.id,
        { type: 'framework.revise', note: 'The youth council added a principle.', part: 'framework', version: '  First draft ' },
        team.facilitator.token,
      );
      expect(saved.status).toBe(200);
      const entry = lastEntry(saved.body);
      expect(entry.type).toBe('framework.revise');
      expect(entry.version).toEqual({ id: expect.any(String), number: 1, name: 'First draft' });
      expect(entry.by).toMatchObject({ id: team.facilitator.memberId, name: 'Jonas Berg' });
      expect(entry.summary).toBe(
        `Saved version 1, "First draft", of the strategic action framework during ${PHASE_LABELS.organize}: The youth council added a principle.`,
      );
      const vid = (entry.version as { id: string }).id;

      const list = await h.api('GET', `/api/initiatives/${team.id}/framework/versions`, undefined, team.observer);
      expect(list.status).toBe(200);
      expect(list.body).toEqual([
        {
          id: vid,
          number: 1,
          name: 'First draft',
          note: 'The youth council added a principle.',
          kind: 'saved',
          by: { id: team.facilitator.memberId, name: 'Jonas Berg' },
          at: entry.at,
          counts: { problem: 1, source: 1, baseline: 0, goal: 1, strategy: 2, activity: 1, principle: 1, evaluation: 0, indicator: 2 },
        },
      ]);
      const read = await h.api('GET', `/api/initiatives/${team.id}/framework/versions/${vid}`, undefined, team.participant);
      expect(read.status).toBe(200);
      expect(read.body).toEqual({ ...list.body[0], content: before });
      expect(read.body.content.entities.strategy.find((s: { id: string }) => s.id === ids.age).indicatorIds).toEqual([ids.use]);
      expect(JSON.stringify(read.body.content)).not.toContain('Ask the pharmacies');

      // A revision without a name saves nothing.
      const plain = await send(team.id, { type: 'framework.revise', note: 'Reworded the goal.', part: 'framework' }, team.lead);
      expect(plain.status).toBe(200);
      expect(lastEntry(plain.body).version).toBeUndefined();
      expect((await h.api('GET', `/api/initiatives/${team.id}/framework/versions`)).body).toHaveLength(1);
    } finally {
      client.destroy();
    }
  });

  it('nothing of a version changes when the canvas does', async () => {
    const team = await initiativeInPhaseTwo('Riverside Homelessness Partnership');
    const client = await connect(team.id, team.lead);
    try {
      const ids = await drawFramework(client, team.id);
      const saved = await send(team.id, { type: 'framework.revise', note: 'Agreed at the retreat.', version: 'Retreat' }, team.lead);
      const vid = lastEntry(saved.body).version as { id: string };
      const before = (await h.api('GET', `/api/initiatives/${team.id}/framework/versions/${vid.id}`)).body;
      await edit(client, team.id, (doc) => {
        updateEntity(doc, ids.age, { name: 'Tobacco 21' });
        toggleRef(doc, ids.age, 'indicatorIds', ids.sales, true);
        deleteEntities(doc, [ids.youth, ids.use]);
        placeEntity(doc, 'framework', ids.school, { x: 999, y: 999 });
        updateEntity(doc, 'goal', { statement: 'End youth vaping.' });
      });
      const after = (await h.api('GET', `/api/initiatives/${team.id}/framework/versions/${vid.id}`)).body;
      expect(after).toEqual(before);
      // …while the comparison with now sees every edit but the move.
      const diff = await h.api('GET', `/api/initiatives/${team.id}/framework/diff?from=${vid.id}&to=${CURRENT_FRAMEWORK}`);
      expect(diff.status).toBe(200);
      expect(diff.body.removed.map((r: { label: string }) => r.label).sort()).toEqual(['Young people decide with us', 'Youth vaping']);
      expect(diff.body.added).toEqual([]);
      expect(diff.body.changed.map((c: { label: string; field: string; before: unknown; after: unknown }) => [c.label, c.field, c.before, c.after])).toEqual([
        ['Goal', 'statement', 'Halve youth vaping by 2030.', 'End youth vaping.'],
        ['Tobacco 21', 'name', 'Raise the tobacco age', 'Tobacco 21'],
        ['Tobacco 21', 'indicatorIds', [ids.use], [ids.sales]],
      ]);
    } finally {
      client.destroy();
    }
  });
});

describe('comparing versions over the API', () => {
  it('answers what was added, removed and changed between two built versions, either way, and against now', async () => {
    const team = await initiativeInPhaseTwo('Northside Early Learning Collaborative');
    const client = await connect(team.id, team.lead);
    const events = `/api/initiatives/${team.id}/framework`;
    try {
      const ids = await drawFramework(client, team.id);
      const one = lastEntry((await send(team.id, { type: 'framework.revise', note: 'First agreed.', version: 'One' })).body).version as { id: string };
      let added = '';
      await edit(client, team.id, (doc) => {
        added = createEntity(doc, 'baseline', { statement: 'Ninth graders who vape', value: '24 %', date: '2024-05-01' }, framework(40, 40));
        deleteEntities(doc, [ids.survey]);
        updateEntity(doc, ids.school, { horizon: 'long-term', description: 'With the district.' });
        updateEntity(doc, ids.hearing, { strategyId: ids.school });
        toggleRef(doc, ids.school, 'indicatorIds', ids.sales, true);
        updateEntity(doc, 'evaluation', { approach: 'Developmental evaluation.' });
      });
      const two = lastEntry((await send(team.id, { type: 'framework.revise', note: 'After a year.', version: 'Two' })).body).version as { id: string };

      const diff = await h.api('GET', `${events}/diff?from=${one.id}&to=${two.id}`, undefined, team.observer);
      expect(diff.status).toBe(200);
      expect(diff.body.added.map((a: { kind: string; id: string; label: string }) => [a.kind, a.id, a.label])).toEqual([
        ['baseline', added, 'Ninth graders who vape'],
      ]);
      expect(diff.body.added[0].entity).toMatchObject({ value: '24 %', date: '2024-05-01' });
      expect(diff.body.removed.map((r: { kind: string; id: string; label: string }) => [r.kind, r.id, r.label])).toEqual([
        ['source', ids.survey, 'Youth risk survey 2024'],
      ]);
      expect(diff.body.changed).toEqual([
        { id: ids.school, kind: 'strategy', label: 'Vape-free schools', field: 'description', before: '', after: 'With the district.' },
        { id: ids.school, kind: 'strategy', label: 'Vape-free schools', field: 'horizon', before: 'short-term', after: 'long-term' },
        { id: ids.school, kind: 'strategy', label: 'Vape-free schools', field: 'indicatorIds', before: [], after: [ids.sales] },
        { id: ids.hearing, kind: 'activity', label: 'Council hearing', field: 'strategyId', before: ids.age, after: ids.school },
        { id: 'evaluation', kind: 'evaluation', label: 'Evaluation approach', field: 'approach', before: '', after: 'Developmental evaluation.' },
      ].sort((a, b) => order(a) - order(b)));

      const back = (await h.api('GET', `${events}/diff?from=${two.id}&to=${one.id}`)).body;
      expect(back.added.map((a: { id: string }) => a.id)).toEqual([ids.survey]);
      expect(back.removed.map((r: { id: string }) => r.id)).toEqual([added]);
      expect(back.changed).toHaveLength(diff.body.changed.length);

      // Nothing changed since version two: now equals it.
      expect((await h.api('GET', `${events}/diff?from=${two.id}&to=current`)).body).toEqual({ added: [], removed: [], changed: [] });
      expect((await h.api('GET', `${events}/diff?from=current&to=${two.id}`)).body).toEqual({ added: [], removed: [], changed: [] });
    } finally {
      client.destroy();
    }
  });

  it('says what is wrong with a comparison it cannot make', async () => {
    const id = await h.createInitiative('Valley Food Security Network');
    const base = `/api/initiatives/${id}/framework`;
    const noFrom = await h.api('GET', `${base}/diff?to=current`);
    expect(noFrom.status).toBe(400);
    expect(noFrom.body).toMatchObject({ field: 'from', error: expect.stringMatching(/compare from.*version id.*"current"/) });
    const noTo = await h.api('GET', `${base}/diff?from=current&to=`);
    expect(noTo.status).toBe(400);
    expect(noTo.body.field).toBe('to');
    const unknown = await h.api('GET', `${base}/diff?from=current&to=no-such-version`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ field: 'to', error: `${PORTFOLIO_REFUSALS.noVersion} ?to= says "no-such-version".` });
    const version = await h.api('GET', `${base}/versions/no-such-version`);
    expect(version).toMatchObject({ status: 404, body: { error: PORTFOLIO_REFUSALS.noVersion } });
    expect((await h.api('GET', `${base}/versions`)).body).toEqual([]);
    expect((await h.api('GET', '/api/initiatives/no-such-initiative/framework/versions')).status).toBe(404);
  });
});

/** The order diffFrameworks reports changes in: the kinds' order, then ids (the test's cards are of distinct kinds). */
const KIND_ORDER = ['problem', 'source', 'baseline', 'goal', 'strategy', 'activity', 'principle', 'evaluation', 'indicator'];
const order = (change: { kind: string }) => KIND_ORDER.indexOf(change.kind);

describe('restoring a version', () => {
  it('writes the version into the live document, relayed to browsers and stored, on record; restoring the version kept before undoes it', async () => {
    const team = await initiativeInPhaseTwo('Eastside Youth Employment Initiative');
    const lead = await connect(team.id, team.lead);
    const watcher = await connect(team.id, team.participant);
    const base = `/api/initiatives/${team.id}/framework`;
    try {
      const ids = await drawFramework(lead, team.id);
      const one = lastEntry((await send(team.id, { type: 'framework.revise', note: 'First agreed.', version: 'One' })).body).version as { id: string; number: number; name: string };
      const versionOne = (await h.api('GET', `${base}/versions/${one.id}`)).body.content as FrameworkSnapshot;
      // A year of work on the board: cards added, removed, renamed, relinked and moved; notes and stakeholders beside them.
      let later = '';
      let laterNote = '';
      await edit(lead, team.id, (doc) => {
        later = createEntity(doc, 'strategy', { name: 'Retail licensing', indicatorIds: [ids.sales] }, framework(520, 200));
        deleteEntities(doc, [ids.youth, ids.use]);
        updateEntity(doc, ids.age, { name: 'Tobacco 21', description: 'Passed in May.' });
        updateEntity(doc, 'goal', { statement: 'End youth vaping.' });
        placeEntity(doc, 'framework', ids.school, { x: 999, y: 999 });
        laterNote = createEntity(doc, 'note', { text: 'Thank the council' }, framework(900, 600));
      });
      const beforeRestore = await serverFramework(team.id);

      const restored = await send(team.id, { type: 'framework.restore', version: one.id, reason: 'The county asked for the earlier goal.' }, team.lead);
      expect(restored.status).toBe(200);
      const entry = lastEntry(restored.body);
      expect(entry).toMatchObject({ type: 'framework.restore', note: 'The county asked for the earlier goal.', version: one, by: { name: 'Amara Osei' } });
      const kept = entry.savedAs as { id: string; number: number; name: string };
      expect(kept).toEqual({ id: expect.any(String), number: 2, name: 'Before restoring version 1, "One"' });
      expect(entry.summary).toBe(
        `Restored version 1, "One", as the current strategic action framework during ${PHASE_LABELS.organize}: The county asked for the earlier goal. The framework as it was is kept as version 2, "Before restoring version 1, "One"": restoring it undoes this.`,
      );

      // The document now holds version one's framework: cards back, later ones gone, fields and places as they were.
      expect(await serverFramework(team.id)).toEqual(versionOne);
      // The answer's view is evaluated on the restored document, as a fresh read of the workflow is.
      expect(restored.body.components).toEqual((await h.api('GET', `/api/initiatives/${team.id}/workflow`)).body.components);
      // …and so does every connected browser, without reloading.
      await expect.poll(() => JSON.stringify(frameworkSnapshot(readModel(watcher.doc)))).toBe(JSON.stringify(versionOne));
      // Sticky notes and the other boards are left as they were.
      const model = await h.convene.rooms.withDoc(team.id, readModel);
      expect(model.entities.note.map((n) => n.id).sort()).toEqual([ids.note, laterNote].sort());
      expect(model.entities.stakeholder.map((s) => s.id)).toEqual([ids.clinic]);
      expect(model.placements.stakeholders[ids.clinic]).toEqual({ x: 0, y: 0 });

      // The framework as it was is version 2, of kind before-restore.
      const list = (await h.api('GET', `${base}/versions`)).body as { id: string; number: number; kind: string; note: string }[];
      expect(list.map((v) => [v.number, v.kind, v.note])).toEqual([
        [2, 'before-restore', 'The county asked for the earlier goal.'],
        [1, 'saved', 'First agreed.'],
      ]);
      expect((await h.api('GET', `${base}/versions/${kept.id}`)).body.content).toEqual(beforeRestore);
      expect((await h.api('GET', `${base}/diff?from=${one.id}&to=current`)).body).toEqual({ added: [], removed: [], changed: [] });

      // Stored like any edit: after a restart the document still holds version one.
      watcher.destroy();
      lead.destroy();
      await h.restart();
      expect(await serverFramework(team.id)).toEqual(versionOne);

      // Undo: restoring version 2 brings the later framework back, itself kept as version 3.
      const undo = await send(team.id, { type: 'framework.restore', version: kept.id, reason: 'Undo: the county changed its mind.' }, team.facilitator.token);
      expect(undo.status).toBe(200);
      expect(lastEntry(undo.body)).toMatchObject({ version: kept, savedAs: { number: 3, name: 'Before restoring version 2, "Before restoring version 1, "One""' } });
      const now = await serverFramework(team.id);
      expect(now).toEqual(beforeRestore);
      expect(now.entities.strategy.map((s) => s.name).sort()).toEqual(['Retail licensing', 'Tobacco 21', 'Vape-free schools']);
      expect(now.entities.strategy.find((s) => s.id === later)?.indicatorIds).toEqual([ids.sales]);
      const history = (await h.api('GET', `/api/initiatives/${team.id}/workflow`)).body.history as { type: string }[];
      expect(history.filter((e) => e.type === 'framework.restore')).toHaveLength(2);
    } finally {
      watcher.destroy();
      lead.destroy();
    }
  });
});

describe('refusals', () => {
  it('refuses a restore or a named version before Phase II, with the reason', async () => {
    const id = await h.createInitiative('Lakeside Literacy Coalition');
    await send(id, { type: 'readiness.confirm', override: { reason: 'Start now.' } });
    const restore = await send(id, { type: 'framework.restore', version: 'anything', reason: 'Back to the start.' });
    expect(restore.status).toBe(409);
    expect(restore.body.error).toBe(
      `The strategic action framework is agreed in ${PHASE_LABELS.organize}; there is no saved version to restore yet.`,
    );
    const revise = await send(id, { type: 'framework.revise', note: 'Draft.', version: 'Too early' });
    expect(revise.status).toBe(409);
    expect(revise.body.error).toMatch(/agreed in Phase II/);
    expect((await h.api('GET', `/api/initiatives/${id}/framework/versions`)).body).toEqual([]);
  });

  it('refuses a restore without a reason, of an unknown version, a version without a name, and from those who may not steer', async () => {
    const team = await initiativeInPhaseTwo('Harbour Town Food Partnership');
    const saved = await send(team.id, { type: 'framework.revise', note: 'First agreed.', version: 'One' });
    const one = (lastEntry(saved.body).version as { id: string }).id;
    const history = async () => ((await h.api('GET', `/api/initiatives/${team.id}/workflow`)).body.history as unknown[]).length;
    const entries = await history();

    const noReason = await send(team.id, { type: 'framework.restore', version: one, reason: '  ' }, team.lead);
    expect(noReason.status).toBe(400);
    expect(noReason.body).toMatchObject({ field: 'reason', error: expect.stringContaining('A restore needs a reason: say why the group goes back to this version.') });

    const unknown = await send(team.id, { type: 'framework.restore', version: 'no-such-version', reason: 'Go back.' }, team.lead);
    expect(unknown.status).toBe(409);
    expect(unknown.body).toEqual({ error: PORTFOLIO_REFUSALS.noVersion, unmet: [{ message: PORTFOLIO_REFUSALS.noVersion }] });

    const unnamed = await send(team.id, { type: 'framework.revise', note: 'Draft.', version: ' ' }, team.lead);
    expect(unnamed).toMatchObject({ status: 400, body: { field: 'version', error: expect.stringContaining('A version needs a name.') } });

    for (const token of [team.participant, team.observer]) {
      const restore = await send(team.id, { type: 'framework.restore', version: one, reason: 'Go back.' }, token);
      expect(restore).toMatchObject({ status: 403, body: { error: refusalFor('steerWorkflow') } });
      const revise = await send(team.id, { type: 'framework.revise', note: 'Draft.', version: 'Mine' }, token);
      expect(revise).toMatchObject({ status: 403, body: { error: refusalFor('steerWorkflow') } });
    }
    // Nothing of it reached the record or the store.
    expect(await history()).toBe(entries);
    expect((await h.api('GET', `/api/initiatives/${team.id}/framework/versions`)).body.map((v: { name: string }) => v.name)).toEqual(['One']);
  });
});
