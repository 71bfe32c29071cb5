/**
 * Event streams on every process (#14 point 3, server/events/relay.ts): two
 * real server processes on one PostgreSQL and one Redis. What is decided
 * through process 1 (a workflow event, workshop commands, a role change and a
 * removal, a measure, a sub-initiative's step) reaches the streams held by
 * process 2, each viewer with their own view, so what one may not see does not
 * reach them; and a change made while Redis is down reaches process 2's
 * streams once Redis is back.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import * as decoding from 'lib0/decoding';
import type { AccessEvent, InitiativeLinks, MeasuresEvent, PortfolioEvent, WorkflowView } from '../../src/contract/index.ts';
import type { WorkshopSummary, WorkshopView } from '../../src/contract/index.ts';
import { createEntity } from '../../src/schema/index.ts';
import { openEventStream, openStream, type EventStreamReader } from './eventStream.ts';
import { rawClient, stopReading, syncClient } from './harness.ts';
import { clusterParts } from './cluster.ts';
import { call, seedInitiative } from './sync-helpers.ts';

const { clients, processes, services } = clusterParts();

const readers: EventStreamReader[] = [];
// Registered after the processes' own hooks, so run before them: streams close before the servers end.
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
});

/** Two processes on a fresh database and the Redis (the first starts alone and makes the schema); `extraEnv` for both. */
async function twoProcesses(extraEnv: Record<string, string> = {}) {
  const { servers, adminToken } = await processes(2, extraEnv);
  return { one: servers[0], two: servers[1], adminToken };
}

const stream = async (url: string, initiativeId: string, token: string) => {
  const reader = await openEventStream(url, initiativeId, token);
  readers.push(reader);
  return reader;
};

const workshopStream = async (url: string, initiativeId: string, wid: string, token: string) => {
  const reader = await openStream(`${url}/api/initiatives/${initiativeId}/workshops/${wid}/stream`, token);
  readers.push(reader);
  return reader;
};

/**
 * The next `event` that `accept` approves (earlier ones of that name are
 * skipped); fails when the stream ends first, or after 15 s naming the last one seen.
 */
async function until<T>(reader: EventStreamReader, event: string, accept: (data: T) => boolean = () => true): Promise<T> {
  let last: T | undefined;
  let timer: NodeJS.Timeout | undefined;
  const read = async (): Promise<T> => {
    for (;;) {
      const data = await reader.next<T>(event);
      if (data === null) throw new Error(`the stream ended before a matching ${event} event`);
      if (accept(data)) return data;
      last = data;
    }
  };
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no matching ${event} event within 15 s; the last one: ${JSON.stringify(last)}`)), 15_000);
  });
  try {
    return await Promise.race([read(), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Every member of the initiative by name, with their id (read as the admin). */
async function memberIds(url: string, initiativeId: string, adminToken: string): Promise<Map<string, string>> {
  const members = (await call(url, 'GET', `/api/initiatives/${initiativeId}/members`, adminToken)).body as { id: string; name: string }[];
  return new Map(members.map((m) => [m.name, m.id]));
}

describe('event streams across two processes', () => {
  it('a workflow event and workshop commands made on process 1 reach the streams of process 2, each viewer with their own view', async () => {
    const { one, two, adminToken } = await twoProcesses();
    const { id, tokens } = await seedInitiative(one.url, adminToken, ['lead', 'facilitator', 'participant', 'participant']);
    const [lead, facilitator, rosa, sam] = tokens;

    // Workflow: the lead's stream on process 2 hears an event decided on process 1.
    const leadOnTwo = await stream(two.url, id, lead);
    const first = await until<WorkflowView>(leadOnTwo, 'workflow');
    expect(first.history).toHaveLength(0);
    const assess = { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The mayor chairs the leadership table.' };
    const accepted = await call(one.url, 'POST', `/api/initiatives/${id}/events`, lead, assess);
    expect(accepted.status, accepted.text).toBe(200);
    const heard = await until<WorkflowView>(leadOnTwo, 'workflow', (v) => v.history.length === 1);
    expect(heard.history[0]).toMatchObject({ type: 'readiness.assess' });
    expect(heard.readiness).toEqual(accepted.body.readiness);

    // Workshops: created on process 1, listed on process 2's stream (its first list was skipped above, being no workflow event).
    const base = `/api/initiatives/${id}/workshops`;
    const created = await call(one.url, 'POST', base, facilitator, {
      title: 'Kick-off convening',
      agenda: [
        { title: 'Who is missing from the table', minutes: 10, activity: 'brainstorm', board: 'stakeholders' },
        { title: 'Choose our first strategies', minutes: 15, activity: 'vote' },
      ],
    });
    expect(created.status, created.text).toBe(201);
    const wid = created.body.id as string;
    expect((await until<WorkshopSummary[]>(leadOnTwo, 'workshops', (l) => l.some((w) => w.id === wid))).find((w) => w.id === wid)).toMatchObject({ status: 'draft' });

    const rosaOnTwo = await workshopStream(two.url, id, wid, rosa);
    const samOnTwo = await workshopStream(two.url, id, wid, sam);
    expect((await until<WorkshopView>(rosaOnTwo, 'workshop')).status).toBe('draft');
    const send = async (token: string, body: unknown) => {
      const answer = await call(one.url, 'POST', `${base}/${wid}/commands`, token, body);
      expect(answer.status, answer.text).toBe(200);
      return answer;
    };

    // Started on process 1: process 2's streams hear it, the list and the bring to the first item too.
    expect((await send(facilitator, { type: 'workshop.start' })).status).toBe(200);
    expect(await until<WorkshopView>(rosaOnTwo, 'workshop', (v) => v.status === 'running')).toMatchObject({ current: { index: 0 } });
    expect(await until<{ index: number; title: string }>(samOnTwo, 'bring')).toEqual({ index: 0, title: 'Who is missing from the table', board: 'stakeholders' });
    await until<WorkshopSummary[]>(leadOnTwo, 'workshops', (l) => l.some((w) => w.id === wid && w.status === 'running'));
    // Those connected only to process 2 when it started count as present beside the facilitator who started it.
    const present = await until<WorkshopView>(samOnTwo, 'workshop', (v) => v.attendance.people.filter((p) => p.present).length === 4);
    expect(present.attendance.people.filter((p) => p.present).map((p) => p.name).sort()).toEqual(['Member 1', 'Member 2', 'Member 3', 'Member 4']);

    // A private card Rosa writes on process 1 shows in her own view on process 2, never in Sam's.
    const secret = 'Ask the tenants’ union before the council';
    expect((await send(rosa, { type: 'private.add', text: secret })).status).toBe(200);
    expect((await until<WorkshopView>(rosaOnTwo, 'workshop', (v) => v.privateCards.length === 1)).privateCards[0].text).toBe(secret);
    const samSees = await until<WorkshopView>(samOnTwo, 'workshop', (v) => v.privateHeld === 1);
    expect(samSees.privateCards).toEqual([]);
    expect(JSON.stringify(samSees)).not.toContain('tenants');

    // The timer started on process 1 runs on process 2's streams, to the same end.
    const timer = (await send(facilitator, { type: 'timer.start', seconds: 600 })).body.timer as { endsAt: number };
    expect((await until<WorkshopView>(samOnTwo, 'workshop', (v) => v.timer.running)).timer).toMatchObject({ running: true, endsAt: timer.endsAt });
    // The private cards revealed on process 1: Sam on process 2 sees that one was revealed (the card is on the board now).
    await send(facilitator, { type: 'private.reveal', anonymous: true });
    expect(await until<WorkshopView>(samOnTwo, 'workshop', (v) => v.revealed === 1)).toMatchObject({ privateHeld: 0 });
    expect((await until<WorkshopView>(rosaOnTwo, 'workshop', (v) => v.revealed === 1)).privateCards).toEqual([]);

    // A vote opened, a dot cast and the vote closed on process 1: Rosa's own dot, then the results, on process 2.
    const opened = await send(facilitator, { type: 'vote.open', cards: ['card-a', 'card-b'], budget: 1, maxPerCard: 1, anonymous: true });
    const voteId = opened.body.votes[0].id as string;
    expect((await send(rosa, { type: 'vote.cast', voteId, card: 'card-b' })).status).toBe(200);
    expect((await until<WorkshopView>(rosaOnTwo, 'workshop', (v) => v.votes[0]?.finished === 1)).votes[0].mine).toEqual({ 'card-b': 1 });
    const samVote = await until<WorkshopView>(samOnTwo, 'workshop', (v) => v.votes[0]?.finished === 1);
    expect(samVote.votes[0].mine).toEqual({});
    expect((await send(facilitator, { type: 'vote.close', voteId })).status).toBe(200);
    const results = await until<WorkshopView>(samOnTwo, 'workshop', (v) => v.votes[0]?.status === 'closed');
    expect(results.votes[0].results?.[0]).toMatchObject({ card: 'card-b', dots: 1 });
    // And its end.
    await send(facilitator, { type: 'workshop.end' });
    await until<WorkshopView>(samOnTwo, 'workshop', (v) => v.status === 'ended');
    // The lead's list on process 2 moved with the status only: after the start, its next list is the end's,
    // not one for each card, timer, reveal and dot in between.
    expect((await leadOnTwo.next<WorkshopSummary[]>('workshops'))?.find((w) => w.id === wid)).toMatchObject({ status: 'ended' });
  }, 90_000);

  it('a role change and a removal made on process 1 reach the member’s stream on process 2, which then ends', async () => {
    const { one, two, adminToken } = await twoProcesses();
    const { id, tokens } = await seedInitiative(one.url, adminToken, ['lead', 'participant']);
    const [lead, participant] = tokens;
    const member = (await memberIds(one.url, id, adminToken)).get('Member 2')!;
    const onTwo = await stream(two.url, id, participant);
    await until<WorkflowView>(onTwo, 'workflow');

    const changed = await call(one.url, 'PATCH', `/api/initiatives/${id}/members/${member}`, lead, { role: 'facilitator' });
    expect(changed.status, changed.text).toBe(200);
    expect(await until<AccessEvent>(onTwo, 'access')).toEqual({ role: 'facilitator' });

    expect((await call(one.url, 'DELETE', `/api/initiatives/${id}/members/${member}`, lead)).status).toBe(204);
    expect(await until<AccessEvent>(onTwo, 'access')).toMatchObject({ removed: true });
    await onTwo.end();
    // Process 2 refuses the removed member's session from now on too.
    expect((await call(two.url, 'GET', `/api/initiatives/${id}/workflow`, participant)).status).toBe(401);
  }, 60_000);

  it('a removal made on a process that is stopping (a rolling restart) still reaches the member’s stream on the other', async () => {
    // A drain of 20 s, ended by the test once the removal is made: the window is the test's, not the machine's speed.
    const { one, two, adminToken } = await twoProcesses({ SHUTDOWN_DRAIN_MS: '20000' });
    const { id, tokens } = await seedInitiative(one.url, adminToken, ['lead', 'participant']);
    const [lead, participant] = tokens;
    const member = (await memberIds(one.url, id, adminToken)).get('Member 2')!;
    const onTwo = await stream(two.url, id, participant);
    await until<WorkflowView>(onTwo, 'workflow');

    // Two sockets on process 1: one that never reads its close (process 1 waits for it, with requests still
    // coming in), one that tells the test the stop has begun.
    const stuck = rawClient(one.url, id, lead);
    const watching = rawClient(one.url, id, lead);
    await Promise.all([stuck.opened, watching.opened]);
    stopReading(stuck);
    one.child.kill('SIGTERM');
    expect((await watching.closed).code).toBe(1012);

    // The lead's removal lands on process 1 while it drains: made, and told to process 2.
    expect((await call(one.url, 'DELETE', `/api/initiatives/${id}/members/${member}`, lead)).status).toBe(204);
    expect(await until<AccessEvent>(onTwo, 'access')).toMatchObject({ removed: true });
    await onTwo.end();
    // The last socket gone, process 1's drain ends and it exits.
    stuck.ws.terminate();
    expect(await one.exited).toBe(0);
  }, 60_000);

  it('a measure entered on process 1 gives a measures event on process 2, and a restricted one only to those who may see it', async () => {
    const { one, two, adminToken } = await twoProcesses();
    const { id, tokens } = await seedInitiative(one.url, adminToken, ['lead', 'participant']);
    const [lead, participant] = tokens;
    // Two indicators drawn on the framework board, from the canvas of process 1.
    const canvas = syncClient(one.url, id, lead);
    clients.push(canvas);
    await canvas.synced;
    const onFramework = (x: number) => [{ board: 'framework' as const, position: { x, y: 600 } }];
    const open = createEntity(canvas.doc, 'indicator', { name: 'Third-grade reading proficiency', unit: 'percent', direction: 'increase', frequency: 'yearly' }, onFramework(0));
    const restricted = createEntity(canvas.doc, 'indicator', { name: 'Youth arrests per 1,000', unit: 'rate', direction: 'decrease', frequency: 'yearly' }, onFramework(300));
    await vi.waitFor(async () => {
      const listed = (await call(one.url, 'GET', `/api/initiatives/${id}/indicators`, lead)).body as { indicator: string }[];
      expect(listed.map((i) => i.indicator).sort()).toEqual([open, restricted].sort());
    }, { timeout: 10_000, interval: 50 });
    const patched = await call(one.url, 'PATCH', `/api/initiatives/${id}/indicators/${restricted}`, lead, { access: 'restricted' });
    expect(patched.status, patched.text).toBe(200);

    const leadOnTwo = await stream(two.url, id, lead);
    const participantOnTwo = await stream(two.url, id, participant);
    await Promise.all([until(leadOnTwo, 'workflow'), until(participantOnTwo, 'workflow')]);

    const enter = async (indicator: string, value: number) => {
      const r = await call(one.url, 'POST', `/api/initiatives/${id}/measurements`, lead, [{ indicator, date: '2025-06-30', value }]);
      expect(r.status, r.text).toBe(200);
    };
    await enter(restricted, 702.6535);
    expect((await until<MeasuresEvent>(leadOnTwo, 'measures', (e) => e.indicators.includes(restricted))).indicators).not.toContain(open);
    await enter(open, 44.2587);
    // The participant hears of the open indicator, and of the restricted one in no event before it.
    const seen: MeasuresEvent[] = [];
    await until<MeasuresEvent>(participantOnTwo, 'measures', (e) => (seen.push(e), e.indicators.includes(open)));
    expect(seen.flatMap((e) => e.indicators)).not.toContain(restricted);
    await until<MeasuresEvent>(leadOnTwo, 'measures', (e) => e.indicators.includes(open));
  }, 60_000);

  it('a sub-initiative’s step taken on process 1 reaches the parent’s links stream and the dashboard on process 2', async () => {
    const { one, two, adminToken } = await twoProcesses();
    const { id: parent, tokens } = await seedInitiative(one.url, adminToken, ['lead']);
    const [lead] = tokens;
    const child = await call(one.url, 'POST', '/api/initiatives', lead, { name: 'Schools Together', issue: 'Chronic absence', parentId: parent });
    expect(child.status, child.text).toBe(201);
    const schools = child.body.id as string;
    const onTwo = await stream(two.url, parent, lead);
    await until(onTwo, 'workflow');
    const dashboardOnTwo = await openStream(`${two.url}/api/portfolio/stream`, lead);
    readers.push(dashboardOnTwo);
    expect((await until<PortfolioEvent>(dashboardOnTwo, 'portfolio')).rows.map((r) => r.id).sort()).toEqual([parent, schools].sort());
    // The links as they are, before the step.
    await vi.waitFor(async () => {
      const links = (await call(two.url, 'GET', `/api/initiatives/${parent}/links`, lead)).body as InitiativeLinks;
      expect(links.children.map((c) => c.stage)).toEqual(['readiness']);
    }, { timeout: 10_000, interval: 50 });

    const step = await call(one.url, 'POST', `/api/initiatives/${schools}/events`, adminToken, { type: 'readiness.confirm', override: { reason: 'The school board asked us to start now.' } });
    expect(step.status, step.text).toBe(200);
    const links = await until<InitiativeLinks>(onTwo, 'links', (l) => l.children[0]?.stage === 'initiate');
    expect(links.children).toEqual([expect.objectContaining({ id: schools, name: 'Schools Together', stage: 'initiate' })]);
    // And the lead's dashboard on process 2 gets the sub-initiative's row.
    const row = await until<PortfolioEvent>(dashboardOnTwo, 'portfolio', (e) => e.rows.some((r) => r.id === schools && r.stage === 'initiate'));
    expect(row.removed).toEqual([]);
  }, 60_000);

  it('each decision is one notice from the process that made it, with ids only, and the other never sends one back', async () => {
    const { one, two, adminToken } = await twoProcesses();
    const { id, tokens } = await seedInitiative(one.url, adminToken, ['lead']);
    const [lead] = tokens;
    // Everything said on the events channel, with who said it.
    const said: { node: string; text: string }[] = [];
    const listener = new Redis(services().redis.url);
    try {
      listener.on('messageBuffer', (_channel: Buffer, message: Buffer) => {
        const decoder = decoding.createDecoder(new Uint8Array(message));
        decoding.readVarUint(decoder);
        said.push({ node: decoding.readVarString(decoder), text: decoding.readVarString(decoder) });
      });
      await listener.subscribe('convene:events');
      const onTwo = await stream(two.url, id, lead);
      await until<WorkflowView>(onTwo, 'workflow');
      const workflowNotices = () => said.filter((s) => JSON.parse(s.text).kind === 'workflow');
      for (const [round, precondition] of (['champion', 'urgency'] as const).entries()) {
        const evidence = `Minutes of the leadership table, meeting ${round + 1}.`;
        const accepted = await call(one.url, 'POST', `/api/initiatives/${id}/events`, lead, { type: 'readiness.assess', precondition, status: 'met', evidence });
        expect(accepted.status, accepted.text).toBe(200);
        await until<WorkflowView>(onTwo, 'workflow', (v) => v.history.length === round + 1);
        await vi.waitFor(() => expect(workflowNotices()).toHaveLength(round + 1), { timeout: 10_000, interval: 20 });
      }
      // One process said every decision (process 2 re-read, and published nothing), and no evidence crossed.
      // (Process 2 does say who is connected to it: ids, not names, server/people/onlineAcross.ts.)
      const decisions = said.filter((s) => !String(JSON.parse(s.text).kind).startsWith('online'));
      expect(new Set(decisions.map((s) => s.node)).size).toBe(1);
      expect(said.map((s) => s.text).join('')).not.toContain('Member 1');
      expect(workflowNotices().map((s) => JSON.parse(s.text))).toEqual([{ kind: 'workflow', initiative: id }, { kind: 'workflow', initiative: id }]);
      expect(said.map((s) => s.text).join('')).not.toContain('Minutes');
    } finally {
      listener.disconnect();
    }
  }, 60_000);

  it('a change made on process 1 while Redis is down reaches process 2’s streams once Redis is back', async () => {
    const { one, two, adminToken } = await twoProcesses();
    const { id, tokens } = await seedInitiative(one.url, adminToken, ['lead']);
    const [lead] = tokens;
    const onTwo = await stream(two.url, id, lead);
    await until<WorkflowView>(onTwo, 'workflow');

    // Redis dies (its process killed, as a crash would), and both processes have noticed.
    await services().redis.halt({ crash: true });
    await vi.waitFor(async () => {
      for (const p of [one, two]) expect((await call(p.url, 'GET', '/readyz')).status).toBe(503);
    }, { timeout: 10_000, interval: 50 });
    // Decided on process 1 meanwhile: its notice cannot be published.
    const assess = { type: 'readiness.assess', precondition: 'urgency', status: 'met', evidence: 'County survey, spring 2026.' };
    const accepted = await call(one.url, 'POST', `/api/initiatives/${id}/events`, lead, assess);
    expect(accepted.status, accepted.text).toBe(200);

    await services().redis.resume();
    const heard = await until<WorkflowView>(onTwo, 'workflow', (v) => v.history.length === 1);
    expect(heard.history[0]).toMatchObject({ type: 'readiness.assess' });
    await vi.waitFor(async () => expect((await call(two.url, 'GET', '/readyz')).status).toBe(200), { timeout: 10_000, interval: 50 });
  }, 60_000);
});
