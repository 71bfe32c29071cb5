/**
 * The portfolio live, on a real server: sub-initiatives created by a lead of
 * the parent (who leads them at once), moved, refused when they would sit
 * under themselves; and the `portfolio` and `links` events after a step met and
 * a measure entered in a sub-initiative. The recomputations wait on a schedule
 * this test runs by hand, so it shows that changes are coalesced.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PORTFOLIO_REFUSALS, type InitiativeLinks, type PortfolioEvent } from '../../src/contract/index.ts';
import { createEntity } from '../../src/schema/index.ts';
import type { Schedule } from '../../server/workflow/runner.ts';
import { openEventStream, openStream, type EventStreamReader } from './eventStream.ts';
import { startHarness, type Harness, type Joined } from './harness.ts';

/** Scheduled tasks run only when the test says so. */
const due: { task: () => void; cancelled: boolean }[] = [];
const schedule: Schedule = (task) => {
  const entry = { task, cancelled: false };
  due.push(entry);
  return () => void (entry.cancelled = true);
};
const pending = () => due.filter((t) => !t.cancelled).length;
const runDue = () => {
  for (const entry of due.splice(0)) if (!entry.cancelled) entry.task();
};

let h: Harness;
let city = '';
let lead: Joined;
let schools = '';
let portfolio: EventStreamReader;
let cityStream: EventStreamReader;

beforeAll(async () => {
  h = await startHarness({ portfolio: { schedule } });
  city = await h.createInitiative('City of Opportunity');
  lead = await h.join(city, 'lead', 'Amara Okafor');
});

afterAll(async () => {
  portfolio?.close();
  cityStream?.close();
  await h.stop();
});

describe('sub-initiatives', () => {
  it('a lead of the parent creates one and leads it: their session holds it at once', async () => {
    const created = await h.api('POST', '/api/initiatives', { name: 'Schools Together', issue: 'Chronic absence', parentId: city }, lead.token);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Schools Together', parentId: city, role: 'lead', stage: 'readiness' });
    schools = created.body.id;
    const detail = await h.api('GET', `/api/initiatives/${schools}`, undefined, lead.token);
    expect(detail.status).toBe(200);
    expect(detail.body.me).toMatchObject({ name: 'Amara Okafor', role: 'lead' });
    const members = await h.api('GET', `/api/initiatives/${schools}/members`, undefined, lead.token);
    expect(members.body.map((m: { name: string; role: string }) => [m.name, m.role])).toEqual([['Amara Okafor', 'lead']]);
  });

  it('refuses a parent that does not exist, and a parent below the initiative itself', async () => {
    const orphan = await h.api('POST', '/api/initiatives', { name: 'Orphan', issue: 'None', parentId: 'no-such-initiative' });
    expect(orphan).toMatchObject({ status: 404, body: { error: PORTFOLIO_REFUSALS.noParent } });
    expect(await h.api('PATCH', `/api/initiatives/${schools}`, { parentId: 'no-such-initiative' })).toMatchObject({ status: 404 });
    expect(await h.api('PATCH', `/api/initiatives/${city}`, { parentId: schools })).toMatchObject({
      status: 409,
      body: { error: PORTFOLIO_REFUSALS.cycle, field: 'parentId' },
    });
    expect(await h.api('PATCH', `/api/initiatives/${city}`, { parentId: city })).toMatchObject({ status: 409, body: { error: PORTFOLIO_REFUSALS.cycle } });
    expect(await h.api('PATCH', `/api/initiatives/${city}`, {})).toMatchObject({ status: 400, body: { error: expect.stringMatching(/Say what changes/) } });
    // Nothing moved.
    expect((await h.api('GET', `/api/initiatives/${city}`)).body.parentId).toBeNull();
  });
});

describe('live', () => {
  it('opens with every row the caller sees', async () => {
    portfolio = await openStream(`${h.url}/api/portfolio/stream`, lead.token);
    const first = (await portfolio.next<PortfolioEvent>('portfolio'))!;
    expect(first.removed).toEqual([]);
    expect(first.rows.map((r) => [r.name, r.role])).toEqual([
      ['City of Opportunity', 'lead'],
      ['Schools Together', 'lead'],
    ]);
    cityStream = await openEventStream(h.url, city, lead.token);
    await cityStream.next('workflow');
  });

  it('a step met in the sub-initiative: one recomputation for a burst of events, then its row and the parent’s links', async () => {
    const before = (await h.api('GET', '/api/portfolio', undefined, lead.token)).body.find((r: { id: string }) => r.id === schools);
    for (const body of [
      { type: 'readiness.confirm', override: { reason: 'The school board asked us to start now.' } },
      { type: 'step.confirm', step: 'initiate.community.outreach', note: 'Met parents at four schools.' },
    ]) {
      expect((await h.api('POST', `/api/initiatives/${schools}/events`, body, lead.token)).status).toBe(200);
    }
    expect(pending()).toBe(1);
    runDue();
    const event = (await portfolio.next<PortfolioEvent>('portfolio'))!;
    expect(event.rows).toHaveLength(1);
    expect(event.rows[0]).toMatchObject({ id: schools, stage: 'initiate', progress: { met: 1 } });
    expect(before).toMatchObject({ stage: 'readiness' });
    const links = (await cityStream.next<InitiativeLinks>('links'))!;
    expect(links.children).toEqual([{ id: schools, name: 'Schools Together', stage: 'initiate', reportCard: null, canOpen: true }]);
  });

  it('a measure entered in the sub-initiative: its report card on the dashboard and the governance card', async () => {
    const indicator = await h.convene.rooms.withDoc(schools, (doc) =>
      createEntity(doc, 'indicator', { name: 'Attendance rate', unit: 'percent', direction: 'increase', frequency: 'yearly' }, [
        { board: 'framework', position: { x: 0, y: 0 } },
      ]),
    );
    const rows = [
      { indicator, date: '2024-06-30', value: 88 },
      { indicator, date: '2025-06-30', value: 91 },
    ];
    expect((await h.api('POST', `/api/initiatives/${schools}/measurements`, rows, lead.token)).status).toBe(200);
    expect(pending()).toBe(1);
    runDue();
    const event = (await portfolio.next<PortfolioEvent>('portfolio'))!;
    expect(event.rows[0]).toMatchObject({ id: schools, reportCard: { year: 2025, share: 1, previousShare: 0, measures: 1, trendingRight: 1 } });
    const links = (await cityStream.next<InitiativeLinks>('links'))!;
    expect(links.children[0].reportCard).toMatchObject({ year: 2025, share: 1 });
  });

  it('a sub-initiative moved out of sight is removed from the stream, and comes back when moved under again', async () => {
    const housing = await h.createInitiative('Housing First');
    expect((await h.api('PATCH', `/api/initiatives/${housing}`, { parentId: city })).status).toBe(200);
    // The lead of the city sees it as the lead above it: no role there.
    expect((await portfolio.next<PortfolioEvent>('portfolio'))!.rows).toMatchObject([{ id: housing, parentId: city, role: null }]);
    expect((await cityStream.next<InitiativeLinks>('links'))!.children.map((c) => [c.name, c.canOpen])).toEqual([
      ['Housing First', false],
      ['Schools Together', true],
    ]);
    expect((await h.api('PATCH', `/api/initiatives/${housing}`, { parentId: null })).status).toBe(200);
    expect(await portfolio.next<PortfolioEvent>('portfolio')).toEqual({ rows: [], removed: [housing] });
    expect((await cityStream.next<InitiativeLinks>('links'))!.children.map((c) => c.name)).toEqual(['Schools Together']);
  });

  it('a rename reaches the stream', async () => {
    const renamed = await h.api('PATCH', `/api/initiatives/${schools}`, { name: 'Schools and Families Together' }, lead.token);
    expect(renamed.body).toMatchObject({ name: 'Schools and Families Together', role: 'lead' });
    expect((await portfolio.next<PortfolioEvent>('portfolio'))!.rows).toMatchObject([{ id: schools, name: 'Schools and Families Together' }]);
  });

  it('a recomputation still waiting when the server stops is done before it closes', async () => {
    expect(
      (await h.api('POST', `/api/initiatives/${city}/events`, { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The mayor chairs it.' })).status,
    ).toBe(200);
    expect(pending()).toBe(1);
    await h.restart();
    const rows = (await h.api('GET', '/api/portfolio', undefined, lead.token)).body as { id: string; progress: { met: number } }[];
    expect(rows.find((r) => r.id === city)!.progress).toEqual({ met: 1, total: 3 });
  });
});
