/**
 * The portfolio's figures against hand-built initiatives, and who sees which
 * rows and links, on a real server (docs/portfolio.md). The tree:
 *
 *   City (R) ─┬─ Schools (S1: four indicators, one restricted; two workshops) ── Early years (G: readiness, one indicator)
 *             └─ Housing (S2: moved into Phase II with overrides)
 *   Harbour (U): unrelated, led by the outsider.
 *
 * Figures are recomputed right after each change here (delay 0); reads retry until they land.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepsOf } from '../../machines/catalogue.ts';
import { rollUps } from '../../machines/portfolio.ts';
import type { InitiativeLinks, PortfolioRow, WorkflowView } from '../../src/contract/index.ts';
import { createEntity } from '../../src/schema/index.ts';
import { startHarness, syncClient, type Harness } from './harness.ts';

let h: Harness;
const id = { R: '', S1: '', S2: '', G: '', U: '' };
/** Session tokens: the admin's, a member in each role of City, the leads of Schools and of Harbour. */
const token = { admin: '', leadR: '', facilitatorR: '', participantR: '', observerR: '', leadS1: '', outsider: '' };
const indicators: string[] = [];
let strategy = '';

const portfolio = async (as = token.admin): Promise<PortfolioRow[]> => {
  const res = await h.api('GET', '/api/portfolio', undefined, as);
  expect(res.status).toBe(200);
  return res.body as PortfolioRow[];
};
const rowOf = async (initiative: string, as = token.admin) => (await portfolio(as)).find((r) => r.id === initiative);
const steer = async (initiative: string, body: Record<string, unknown>) => {
  const res = await h.api('POST', `/api/initiatives/${initiative}/events`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as WorkflowView;
};
const create = async (name: string, parentId?: string) => {
  const res = await h.api('POST', '/api/initiatives', { name, issue: 'Opportunity for every child', parentId });
  expect(res.status).toBe(201);
  return res.body.id as string;
};
const indicator = (initiative: string, name: string, direction: 'increase' | 'decrease') =>
  h.convene.rooms.withDoc(initiative, (doc) =>
    createEntity(doc, 'indicator', { name, unit: 'percent', direction, frequency: 'yearly' }, [{ board: 'framework', position: { x: 0, y: 0 } }]),
  );
const values = async (initiative: string, indicatorId: string, byYear: Record<number, number>) => {
  const rows = Object.entries(byYear).map(([year, value]) => ({ indicator: indicatorId, date: `${year}-06-30`, value }));
  const res = await h.api('POST', `/api/initiatives/${initiative}/measurements`, rows);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
};

beforeAll(async () => {
  h = await startHarness({ portfolio: { delayMs: 0 } });
  token.admin = h.adminToken;
  id.R = await create('City of Opportunity');
  id.S1 = await create('Schools Together', id.R);
  id.S2 = await create('Housing First', id.R);
  id.G = await create('Early Years', id.S1);
  id.U = await create('Harbour Literacy Project');
  token.leadR = await h.invite(id.R, 'lead');
  token.facilitatorR = await h.invite(id.R, 'facilitator');
  token.participantR = await h.invite(id.R, 'participant');
  token.observerR = await h.invite(id.R, 'observer');
  token.leadS1 = await h.invite(id.S1, 'lead');
  token.outsider = await h.invite(id.U, 'lead');
  strategy = await h.convene.rooms.withDoc(id.R, (doc) => createEntity(doc, 'strategy', { name: 'Every school a community hub' }));

  // Schools: I1 and I2 trend right in 2024 and 2025; I3 (restricted) only in 2025; I4 has one value.
  indicators.push(
    await indicator(id.S1, 'Kindergarten readiness', 'increase'),
    await indicator(id.S1, 'Chronic absence', 'decrease'),
    await indicator(id.S1, 'Counselling sessions', 'increase'),
    await indicator(id.S1, 'Family nights', 'increase'),
  );
  await values(id.S1, indicators[0], { 2023: 10, 2024: 12, 2025: 15 });
  await values(id.S1, indicators[1], { 2023: 30, 2024: 25, 2025: 20 });
  await values(id.S1, indicators[2], { 2024: 5, 2025: 6 });
  await values(id.S1, indicators[3], { 2023: 1 });
  const restricted = await h.api('PATCH', `/api/initiatives/${id.S1}/indicators/${indicators[2]}`, { access: 'restricted' });
  expect(restricted.status).toBe(200);
  // Early years: one indicator, right in 2025 and nothing in 2024 before it.
  await values(id.G, await indicator(id.G, 'Children read to daily', 'increase'), { 2024: 40, 2025: 44 });
});

afterAll(async () => {
  await h.stop();
});

describe('figures', () => {
  it('during readiness: the preconditions assessed met of three, the unmet ones, since the initiative was created', async () => {
    await steer(id.G, { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The mayor chairs it.' });
    await steer(id.G, { type: 'readiness.assess', precondition: 'resources', status: 'met', evidence: 'Two years funded.' });
    const view = await steer(id.G, { type: 'readiness.assess', precondition: 'urgency', status: 'partial', evidence: 'Some press.' });
    await expect.poll(() => rowOf(id.G)).toMatchObject({ stage: 'readiness', progress: { met: 2, total: 3 }, unmet: 1 });
    const row = (await rowOf(id.G))!;
    expect(row.stageSince < view.history[0].at).toBe(true);
    expect(row.estimate).toEqual({ minMonths: view.estimate.minMonths, maxMonths: view.estimate.maxMonths, answered: false });
  });

  it('in a phase: its steps met of all its steps, as the navigator counts them, since the entry that moved into it', async () => {
    const launched = await steer(id.S2, { type: 'readiness.confirm', override: { reason: 'The council asked us to start.' } });
    const met = (view: WorkflowView, phase: 'initiate' | 'organize') =>
      Object.values(view.components[phase]).flatMap((c) => c.steps).filter((s) => s.status === 'met').length;
    await expect.poll(() => rowOf(id.S2)).toMatchObject({
      stage: 'initiate',
      progress: { met: met(launched, 'initiate'), total: stepsOf('initiate').length },
      stageSince: launched.history.at(-1)!.at,
      unmet: launched.unmet.length,
    });
    const confirmed = await steer(id.S2, { type: 'step.confirm', step: 'initiate.community.outreach', note: 'Met tenants at three estates.' });
    expect(met(confirmed, 'initiate')).toBe(met(launched, 'initiate') + 1);
    await expect.poll(() => rowOf(id.S2)).toMatchObject({ progress: { met: met(confirmed, 'initiate') }, unmet: confirmed.unmet.length });
    const advanced = await steer(id.S2, { type: 'phase.advance', override: { reason: 'The funder needs a plan by spring.' } });
    await expect.poll(() => rowOf(id.S2)).toMatchObject({
      stage: 'organize',
      progress: { met: met(advanced, 'organize'), total: stepsOf('organize').length },
      stageSince: advanced.history.at(-1)!.at,
      lastActivityAt: advanced.history.at(-1)!.at,
    });
  });

  it('the report card: the latest year’s share over every indicator (restricted ones too), and the year before’s', async () => {
    // 2025: I1, I2, I3 right of four; 2024: I1, I2 right (I3 and I4 missing).
    expect(await rowOf(id.S1)).toMatchObject({ reportCard: { year: 2025, share: 0.75, previousShare: 0.5, measures: 4, trendingRight: 3 } });
    // 2024 has data (one value) but no trend: its share is 0, not null.
    expect((await rowOf(id.G))!.reportCard).toEqual({ year: 2025, share: 1, previousShare: 0, measures: 1, trendingRight: 1 });
    expect((await rowOf(id.R))!.reportCard).toBeNull();
  });

  it('the last workshop by date (by creation when it has none), and how many attended', async () => {
    const workshop = async (title: string, date?: string) => {
      const res = await h.api('POST', `/api/initiatives/${id.S1}/workshops`, { title, date, agenda: [{ title: 'Welcome', minutes: 10, activity: 'discuss' }] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as string;
    };
    const later = await workshop('Spring convening', '2027-03-10T09:00:00+01:00');
    // Created after, but undated: it counts from its creation, which is earlier than the spring.
    await workshop('Working group');
    expect((await rowOf(id.S1))!.lastWorkshop).toMatchObject({ id: later, title: 'Spring convening', status: 'draft', attended: 0 });
    const command = async (body: Record<string, unknown>) =>
      expect((await h.api('POST', `/api/initiatives/${id.S1}/workshops/${later}/commands`, body)).status).toBe(200);
    await command({ type: 'workshop.start' });
    const people = [await h.join(id.S1, 'participant'), await h.join(id.S1, 'participant'), await h.join(id.S1, 'observer')];
    await command({ type: 'attendance.set', member: people[0].memberId, present: true });
    await command({ type: 'attendance.set', member: people[1].memberId, present: true });
    await command({ type: 'attendance.set', member: people[2].memberId, present: false });
    // The administrator, who started it, and the two participants; the observer was marked absent.
    await expect.poll(async () => (await rowOf(id.S1))!.lastWorkshop).toMatchObject({ status: 'running', attended: 3 });
  });

  it('last activity: an edit on the board, by a participant’s connected client, counts', async () => {
    const before = (await rowOf(id.R))!.lastActivityAt;
    const client = syncClient(h.url, id.R, token.participantR);
    try {
      await client.synced;
      createEntity(client.doc, 'strategy', { name: 'Summer learning in every library' });
      await expect.poll(async () => (await rowOf(id.R))!.lastActivityAt > before).toBe(true);
    } finally {
      client.destroy();
    }
  });

  it('roll-ups over every initiative below, at any depth', async () => {
    const rows = await portfolio();
    const ups = rollUps(rows);
    const S2stage = rows.find((r) => r.id === id.S2)!.stage;
    expect(S2stage).toBe('organize');
    expect(ups.get(id.R)).toEqual({
      stages: { readiness: 2, initiate: 0, organize: 1, sustain: 0 },
      below: 3,
      measures: 5,
      trendingRight: 4,
      share: 0.8,
    });
    expect(ups.get(id.S1)).toEqual({ stages: { readiness: 1, initiate: 0, organize: 0, sustain: 0 }, below: 1, measures: 1, trendingRight: 1, share: 1 });
    expect(ups.has(id.G)).toBe(false);
    expect(ups.has(id.U)).toBe(false);
  });
});

describe('who sees which rows', () => {
  const seen = async (as: string) => Object.fromEntries((await portfolio(as)).map((r) => [r.id, r.role]));

  it('the admin: every initiative, parents above their sub-initiatives', async () => {
    const rows = await portfolio();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.role]))).toEqual({ [id.R]: 'admin', [id.S1]: 'admin', [id.S2]: 'admin', [id.G]: 'admin', [id.U]: 'admin' });
    const at = (x: string) => rows.findIndex((r) => r.id === x);
    expect(at(id.R)).toBeLessThan(at(id.S1));
    expect(at(id.S1)).toBeLessThan(at(id.G));
  });

  it('a lead: their initiative and every one below it, where they are no member with no role', async () => {
    expect(await seen(token.leadR)).toEqual({ [id.R]: 'lead', [id.S1]: null, [id.S2]: null, [id.G]: null });
  });

  it('a lead of a sub-initiative: it and below, neither the parent nor the siblings', async () => {
    expect(await seen(token.leadS1)).toEqual({ [id.S1]: 'lead', [id.G]: null });
  });

  it('a facilitator, a participant, an observer: only their own initiative', async () => {
    expect(await seen(token.facilitatorR)).toEqual({ [id.R]: 'facilitator' });
    expect(await seen(token.participantR)).toEqual({ [id.R]: 'participant' });
    expect(await seen(token.observerR)).toEqual({ [id.R]: 'observer' });
  });

  it('an outsider: only their own; nobody signed in: 401', async () => {
    expect(await seen(token.outsider)).toEqual({ [id.U]: 'lead' });
    expect((await h.api('GET', '/api/portfolio', undefined, '')).status).toBe(401);
    expect((await h.api('GET', '/api/portfolio/stream', undefined, '')).status).toBe(401);
  });

  it('rows carry figures only: no members, no board content, no values', async () => {
    for (const row of await portfolio(token.leadR)) {
      expect(Object.keys(row).sort()).toEqual(
        ['estimate', 'id', 'lastActivityAt', 'lastWorkshop', 'name', 'parentId', 'progress', 'reportCard', 'role', 'stage', 'stageSince', 'unmet'].sort(),
      );
    }
    // The restricted indicator's trend counts in the share the lead of City sees, as in the admin's.
    expect((await rowOf(id.S1, token.leadR))!.reportCard).toEqual((await rowOf(id.S1))!.reportCard);
  });
});

describe('linked initiatives', () => {
  const links = async (initiative: string, as: string) => h.api('GET', `/api/initiatives/${initiative}/links`, undefined, as);

  it('the parent with its strategies to who may open it, and the sub-initiatives’ figures to every member', async () => {
    const admin = (await links(id.S1, token.admin)).body as InitiativeLinks;
    expect(admin.parent).toEqual({ id: id.R, name: 'City of Opportunity', canOpen: true, strategies: expect.arrayContaining([{ id: strategy, name: 'Every school a community hub' }]) });
    const lead = (await links(id.S1, token.leadS1)).body as InitiativeLinks;
    expect(lead.parent).toEqual({ id: id.R, name: 'City of Opportunity', canOpen: false, strategies: null });
    expect(lead.children).toEqual([{ id: id.G, name: 'Early Years', stage: 'readiness', reportCard: (await rowOf(id.G))!.reportCard, canOpen: false }]);
    const observer = (await links(id.R, token.observerR)).body as InitiativeLinks;
    expect(observer.parent).toBeNull();
    expect(observer.children.map((c) => [c.name, c.stage, c.canOpen])).toEqual([
      ['Housing First', 'organize', false],
      ['Schools Together', 'readiness', false],
    ]);
    expect(observer.children[1].reportCard).toMatchObject({ year: 2025, share: 0.75 });
  });

  it('only to members: a lead of the parent is no member of the sub-initiative, nor the reverse', async () => {
    expect((await links(id.S1, token.leadR)).status).toBe(403);
    expect((await links(id.R, token.leadS1)).status).toBe(403);
    expect((await links(id.R, '')).status).toBe(401);
  });
});
