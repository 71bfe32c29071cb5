/**
 * Workshops on a real server (docs/workshops.md, docs/api.md "Workshops"):
 * creating and listing them, every command and its refusal in the contract's
 * words, the budget holding against twenty simultaneous casts from one
 * person's two sessions, the timer on the server's (controlled) clock across a
 * reconnect and a restart, attendance from presence, the decision that
 * confirms a workflow step, and the record as JSON and Markdown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntity } from '../../src/schema/index.ts';
import { MINUTE, startHarness, syncClient, testClock, type Harness } from './harness.ts';
import { openEventStream } from './eventStream.ts';
import { AGENDA, openWorkshopStream, personIn, secondSession, type Person } from './workshop-helpers.ts';

const clock = testClock(Date.parse('2026-03-05T08:55:00.000Z'));
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock: clock.now });
});
afterAll(async () => {
  await h.stop();
});

interface Room {
  id: string;
  lead: Person;
  facilitator: Person;
  resident: Person;
  funder: Person;
  observer: Person;
  /** `/api/initiatives/:id/workshops`. */
  base: string;
}

async function room(name = 'Meadow County Coalition for Healthy Youth'): Promise<Room> {
  const id = await h.createInitiative(name);
  return {
    id,
    lead: await personIn(h, id, 'lead', 'Dana Whitfield', 'government', 'Meadow County'),
    facilitator: await personIn(h, id, 'facilitator', 'Sam Ortiz', 'nonprofit', 'United Way'),
    resident: await personIn(h, id, 'participant', 'Rosa Delgado', 'residents', 'Eastside Residents'),
    funder: await personIn(h, id, 'participant', 'Lee Park', 'philanthropy', 'Meadow Foundation'),
    observer: await personIn(h, id, 'observer', 'Kim Observer'),
    base: `/api/initiatives/${id}/workshops`,
  };
}

async function workshop(r: Room, agenda: unknown[] = AGENDA, title = 'Kick-off convening'): Promise<string> {
  const res = await h.api('POST', r.base, { title, date: '2026-03-05T09:00:00+00:00', agenda }, r.facilitator.token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as string;
}

/** Sends a command; answers status and body. */
const command = (r: Room, wid: string, who: Person | string, body: Record<string, unknown>) =>
  h.api('POST', `${r.base}/${wid}/commands`, body, typeof who === 'string' ? who : who.token);

async function ok(r: Room, wid: string, who: Person | string, body: Record<string, unknown>) {
  const res = await command(r, wid, who, body);
  expect(res.status, `${String(body.type)}: ${JSON.stringify(res.body)}`).toBe(200);
  return res.body;
}

async function refused(r: Room, wid: string, who: Person | string, body: Record<string, unknown>): Promise<string> {
  const res = await command(r, wid, who, body);
  expect(res.status, `${String(body.type)}: ${JSON.stringify(res.body)}`).toBe(409);
  return res.body.error as string;
}

/** Three stakeholder cards on the stakeholder map; answers their ids. */
function cards(id: string, names = ['Youth council', 'School nurses', 'Faith leaders']): Promise<string[]> {
  return h.convene.rooms.withDoc(id, (doc) =>
    names.map((name, i) => createEntity(doc, 'stakeholder', { name }, [{ board: 'stakeholders', position: { x: i * 200, y: 0 } }])),
  );
}

describe('creating and listing workshops', () => {
  it('creates a draft from a valid agenda (201 { id }), lists it newest first, and shows it with the server’s time', async () => {
    const r = await room();
    const first = await workshop(r, AGENDA, 'Kick-off convening');
    clock.advance(MINUTE);
    const second = await workshop(r, AGENDA.slice(0, 1), 'Steering group');
    const list = await h.api('GET', r.base, undefined, r.observer.token);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      { id: second, title: 'Steering group', date: '2026-03-05T09:00:00+00:00', status: 'draft', startedAt: null, endedAt: null, items: 1, decisions: 0 },
      { id: first, title: 'Kick-off convening', date: '2026-03-05T09:00:00+00:00', status: 'draft', startedAt: null, endedAt: null, items: 4, decisions: 0 },
    ]);
    const view = await h.api('GET', `${r.base}/${first}`, undefined, r.resident.token);
    expect(view.status).toBe(200);
    expect(view.body).toMatchObject({ title: 'Kick-off convening', status: 'draft', current: null, serverNow: clock.now(), votes: [], privateCards: [] });
    // Planned times follow from the durations, from the date.
    expect(view.body.agenda.map((a: { plannedStart: number }) => new Date(a.plannedStart).toISOString().slice(11, 16))).toEqual(['09:00', '09:10', '09:30', '09:45']);
  });

  it('refuses a malformed agenda with the field and the contract’s sentence, and an unknown workshop with 404', async () => {
    const r = await room();
    const bad = await h.api('POST', r.base, { title: 'Kick-off', agenda: [] }, r.lead.token);
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'agenda', error: 'Invalid agenda: Add at least one item to the agenda.' });
    const minutes = await h.api('POST', r.base, { title: 'Kick-off', agenda: [{ ...AGENDA[0], minutes: 0 }] }, r.lead.token);
    expect(minutes.body).toMatchObject({ field: 'agenda.0.minutes' });
    expect((await h.api('GET', `${r.base}/nope`, undefined, r.lead.token)).status).toBe(404);
    expect((await command(r, 'nope', r.lead, { type: 'workshop.start' })).status).toBe(404);
    expect((await h.api('GET', `${r.base}/nope/record`, undefined, r.lead.token)).status).toBe(404);
    // A workshop of another initiative is not found through this one.
    const other = await room('Riverside Homelessness Partnership');
    const theirs = await workshop(other);
    expect((await h.api('GET', `${r.base}/${theirs}`)).status).toBe(404);
    expect(await h.api('GET', `${r.base}/x/record?format=pdf`, undefined, r.lead.token)).toMatchObject({ status: 400 });
  });
});

describe('commands', () => {
  it('checks the body (400 with the field), then the role (403), then the workshop’s state (409 with one sentence)', async () => {
    const r = await room();
    const wid = await workshop(r);
    const unknown = await command(r, wid, r.facilitator, { type: 'workshop.pause' });
    expect(unknown).toMatchObject({ status: 400, body: { field: 'type' } });
    expect(unknown.body.error).toMatch(/^Unknown command "workshop.pause"\. Known commands: workshop.start/);
    expect(await command(r, wid, r.facilitator, { type: 'timer.start', seconds: 1.5 })).toMatchObject({ status: 400, body: { field: 'seconds' } });
    expect((await command(r, wid, r.resident, { type: 'workshop.start' })).status).toBe(403);
    expect((await command(r, wid, r.observer, { type: 'vote.cast', voteId: 'vote-1', card: 'x' })).status).toBe(403);
    expect((await command(r, wid, r.observer, { type: 'private.add', text: 'Youth council' })).status).toBe(403);
    expect(await refused(r, wid, r.facilitator, { type: 'agenda.next' })).toBe('The workshop has not started yet: start it first.');
    expect(await refused(r, wid, r.resident, { type: 'vote.cast', voteId: 'vote-1', card: 'x' })).toBe('The workshop has not started yet: start it first.');
  });

  it('runs the agenda: start, next, goto, with the refusals of each', async () => {
    const r = await room();
    const wid = await workshop(r);
    const startedAt = new Date(clock.now()).toISOString();
    const started = await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    expect(started).toMatchObject({ status: 'running', current: { index: 0, item: { title: 'Welcome and purpose' } } });
    expect(started.timer).toEqual({ running: false, endsAt: null, remainingMs: 10 * MINUTE });
    expect(await refused(r, wid, r.lead, { type: 'workshop.start' })).toBe('The workshop is already running.');
    expect(await refused(r, wid, r.lead, { type: 'agenda.goto', index: 4 })).toBe('There is no item 5: the agenda has 4 items.');
    expect(await refused(r, wid, r.lead, { type: 'agenda.goto', index: 0 })).toBe('"Welcome and purpose" is the current item.');
    clock.advance(12 * MINUTE);
    expect((await ok(r, wid, r.lead, { type: 'agenda.next' })).current.index).toBe(1);
    expect((await ok(r, wid, r.lead, { type: 'agenda.goto', index: 3 })).current.index).toBe(3);
    expect(await refused(r, wid, r.lead, { type: 'agenda.next' })).toBe('"Facilitate community outreach" is the last item: end the workshop instead.');
    const ended = await ok(r, wid, r.lead, { type: 'workshop.end' });
    expect(ended).toMatchObject({ status: 'ended', current: null });
    expect(ended.agenda[0]).toMatchObject({ spentMs: 12 * MINUTE, startedAt });
    for (const body of [{ type: 'workshop.start' }, { type: 'agenda.next' }, { type: 'timer.pause' }, { type: 'vote.cast', voteId: 'vote-1', card: 'x' }]) {
      expect(await refused(r, wid, body.type.startsWith('vote') ? r.resident : r.lead, body)).toBe('The workshop has ended.');
    }
  });

  it('votes: opens on a board’s cards, keeps the budget and the maximum per card, refuses what does not fit, closes with results', async () => {
    const r = await room();
    const [youth, nurses, faith] = await cards(r.id);
    const wid = await workshop(r);
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    expect(await refused(r, wid, r.facilitator, { type: 'vote.open', cards: [youth, nurses], budget: 5, maxPerCard: 2, anonymous: false })).toBe(
      'Nobody could place all 5 dots: 2 cards taking at most 2 each hold 4. Lower the budget or raise the maximum per card.',
    );
    expect(await refused(r, wid, r.facilitator, { type: 'vote.open', board: 'governance', budget: 1, maxPerCard: 1, anonymous: false })).toBe('A vote needs at least one card.');
    const opened = await ok(r, wid, r.facilitator, { type: 'vote.open', board: 'stakeholders', budget: 3, maxPerCard: 2, anonymous: false });
    const vote = opened.votes[0];
    expect(vote).toMatchObject({ status: 'open', cards: [youth, nurses, faith].sort(), budget: 3, maxPerCard: 2, finished: 0, mine: {} });
    const cast = (who: Person, card: string) => command(r, wid, who, { type: 'vote.cast', voteId: vote.id, card });
    // Who casts and when come from the session and the server's clock, never from the body.
    const forged = await command(r, wid, r.resident, { type: 'vote.cast', voteId: vote.id, card: youth, by: { id: r.funder.memberId }, now: 0 });
    expect(forged.body.votes[0].mine).toEqual({ [youth]: 1 });
    expect((await h.api('GET', `${r.base}/${wid}`, undefined, r.funder.token)).body.votes[0].mine).toEqual({});
    expect((await cast(r.resident, youth)).status).toBe(200);
    expect((await cast(r.resident, youth)).body.error).toBe('A card can take at most 2 of your dots.');
    expect((await cast(r.resident, 'not-a-card')).body.error).toBe('That card is not in this vote.');
    expect(await refused(r, wid, r.resident, { type: 'vote.cast', voteId: 'vote-9', card: youth })).toBe('There is no vote "vote-9" in this workshop.');
    expect(await refused(r, wid, r.resident, { type: 'vote.retract', voteId: vote.id, card: nurses })).toBe('You have no dot on that card to take back.');
    const last = await cast(r.resident, faith);
    expect(last.body.votes[0]).toMatchObject({ finished: 1, mine: { [youth]: 2, [faith]: 1 } });
    expect((await cast(r.resident, nurses)).body.error).toBe('You have used all 3 of your dots.');
    expect((await ok(r, wid, r.resident, { type: 'vote.retract', voteId: vote.id, card: faith })).votes[0].finished).toBe(0);
    await cast(r.resident, nurses);
    await cast(r.funder, nurses);
    // Others see only how many finished, never whose dots are where.
    const seen = await h.api('GET', `${r.base}/${wid}`, undefined, r.funder.token);
    expect(seen.body.votes[0]).toMatchObject({ finished: 1, mine: { [nurses]: 1 } });
    expect(seen.body.votes[0].results).toBeUndefined();
    expect(await refused(r, wid, r.facilitator, { type: 'decision.record', text: 'Start with the youth council', voteId: vote.id })).toBe(
      'That vote is still open: close it before recording what it decided.',
    );
    const closed = await ok(r, wid, r.facilitator, { type: 'vote.close', voteId: vote.id });
    expect(closed.votes[0].status).toBe('closed');
    expect(closed.votes[0].results.map((x: { card: string; dots: number }) => [x.card, x.dots])).toEqual([
      [youth, 2],
      [nurses, 2],
      [faith, 0],
    ].sort((a, b) => (b[1] as number) - (a[1] as number) || [youth, nurses, faith].sort().indexOf(a[0] as string) - [youth, nurses, faith].sort().indexOf(b[0] as string)));
    expect(closed.votes[0].results.find((x: { card: string }) => x.card === nurses)).toMatchObject({ bySector: { philanthropy: 1, residents: 1 }, byRole: { participant: 2 } });
    expect(await refused(r, wid, r.facilitator, { type: 'vote.close', voteId: vote.id })).toBe('This vote is already closed.');
    expect((await cast(r.funder, youth)).body.error).toBe('This vote is closed.');
    expect(await refused(r, wid, r.funder, { type: 'vote.retract', voteId: vote.id, card: nurses })).toBe('This vote is closed.');
  });

  it('private cards: only during a brainstorm, on the item’s board; the reveal refused when there is nothing to reveal', async () => {
    const r = await room();
    const wid = await workshop(r);
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    expect(await refused(r, wid, r.resident, { type: 'private.add', text: 'Youth council' })).toBe(
      'Private cards are written during a brainstorm item; the current item is not one.',
    );
    expect(await refused(r, wid, r.facilitator, { type: 'private.reveal', anonymous: true })).toBe('There are no private cards to reveal.');
    await ok(r, wid, r.facilitator, { type: 'agenda.next' });
    const added = await ok(r, wid, r.resident, { type: 'private.add', text: '  Youth council  ' });
    expect(added.privateCards).toEqual([{ id: expect.any(String), text: 'Youth council', board: 'stakeholders', item: 1, at: expect.any(String) }]);
    expect((await command(r, wid, r.resident, { type: 'private.add', text: '   ' })).status).toBe(400);
    // A brainstorm item without a board needs the card's board.
    const r2 = await room('Harbour Literacy Project');
    const w2 = await workshop(r2, [{ title: 'Ideas', minutes: 5, activity: 'brainstorm' }]);
    await ok(r2, w2, r2.facilitator, { type: 'workshop.start' });
    expect(await refused(r2, w2, r2.resident, { type: 'private.add', text: 'Library hours' })).toBe('Say which board this card goes on: this item has no board.');
    expect((await ok(r2, w2, r2.resident, { type: 'private.add', text: 'Library hours', board: 'framework' })).privateCards[0].board).toBe('framework');
  });

  it('a decision on a judgement step confirms it, with the decision as its note, in the initiative’s history; a checked step is refused', async () => {
    const r = await room();
    const wid = await workshop(r);
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    // Still assessing readiness: the decision is recorded, and the answer says why the step was not confirmed.
    const early = await ok(r, wid, r.facilitator, { type: 'decision.record', text: 'Town halls soon.', step: 'initiate.community.outreach' });
    expect(early.decisions).toHaveLength(1);
    expect(early.workflow.confirmed).toBe(false);
    expect(early.workflow.reason).toEqual(expect.any(String));
    const launch = await h.api('POST', `/api/initiatives/${r.id}/events`, { type: 'readiness.confirm', override: { reason: 'The county board meets next week.' } }, r.lead.token);
    expect(launch.body.stage).toBe('initiate');
    expect(await refused(r, wid, r.facilitator, { type: 'decision.record', text: 'Mapped', step: 'initiate.planning.landscape' })).toBe(
      '"Map the landscape" completes by itself once the canvas shows it: a decision cannot confirm it.',
    );
    const decided = await ok(r, wid, r.facilitator, { type: 'decision.record', text: 'Two town halls in April, one in Spanish.', step: 'initiate.community.outreach' });
    expect(decided.workflow).toEqual({ confirmed: true });
    expect(decided.decisions.slice(1)).toEqual([
      { id: expect.any(String), text: 'Two town halls in April, one in Spanish.', step: 'initiate.community.outreach', by: { id: r.facilitator.memberId, name: 'Sam Ortiz' }, at: expect.any(String), item: 0 },
    ]);
    const workflow = await h.api('GET', `/api/initiatives/${r.id}/workflow`, undefined, r.observer.token);
    expect(workflow.body.history.at(-1)).toMatchObject({ type: 'step.confirm', by: { id: r.facilitator.memberId, name: 'Sam Ortiz' } });
    expect(JSON.stringify(workflow.body.history.at(-1))).toContain('Two town halls in April, one in Spanish.');
    // A decision without a step is recorded in the workshop only.
    const plain = await ok(r, wid, r.facilitator, { type: 'decision.record', text: 'Meet monthly.' });
    expect(plain.workflow).toBeUndefined();
    expect(plain.decisions).toHaveLength(3);
  });
});

describe('the budget race', () => {
  it('twenty simultaneous casts from one person’s two sessions place exactly the budget, never more', async () => {
    const r = await room();
    const ids = await cards(r.id, ['Youth council', 'School nurses', 'Faith leaders', 'Bus drivers']);
    const wid = await workshop(r);
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    const { votes } = await ok(r, wid, r.facilitator, { type: 'vote.open', cards: ids, budget: 5, maxPerCard: 5, anonymous: true });
    const tabs = [r.resident.token, await secondSession(h, r.id, r.resident.memberId)];
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, n) => command(r, wid, tabs[n % 2], { type: 'vote.cast', voteId: votes[0].id, card: ids[n % ids.length] })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
    const refusals = answers.filter((a) => a.status !== 200);
    expect(refusals).toHaveLength(15);
    for (const a of refusals) expect(a).toMatchObject({ status: 409, body: { error: 'You have used all 5 of your dots.' } });
    const mine = (await h.api('GET', `${r.base}/${wid}`, undefined, tabs[1])).body.votes[0].mine as Record<string, number>;
    expect(Object.values(mine).reduce((a, b) => a + b, 0)).toBe(5);
    const closed = await ok(r, wid, r.facilitator, { type: 'vote.close', voteId: votes[0].id });
    expect(closed.votes[0].results.reduce((sum: number, x: { dots: number }) => sum + x.dots, 0)).toBe(5);
  });
});

describe('the timer on the server’s clock', () => {
  it('starts, pauses, resumes and adds time by the controlled clock; a reconnecting stream and a restarted server read the same', async () => {
    const r = await room();
    const wid = await workshop(r);
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    expect(await refused(r, wid, r.facilitator, { type: 'timer.pause' })).toBe('The timer is not running.');
    const t0 = clock.now();
    expect((await ok(r, wid, r.facilitator, { type: 'timer.start', seconds: 300 })).timer).toEqual({ running: true, endsAt: t0 + 300_000, remainingMs: 300_000 });
    expect(await refused(r, wid, r.facilitator, { type: 'timer.resume' })).toBe('The timer is already running.');
    clock.advance(60_000);
    const read = async () => (await h.api('GET', `${r.base}/${wid}`, undefined, r.resident.token)).body;
    expect(await read()).toMatchObject({ serverNow: t0 + 60_000, timer: { running: true, endsAt: t0 + 300_000, remainingMs: 240_000 } });
    expect((await ok(r, wid, r.facilitator, { type: 'timer.pause' })).timer).toEqual({ running: false, endsAt: null, remainingMs: 240_000 });
    clock.advance(30_000);
    expect((await read()).timer.remainingMs).toBe(240_000);
    await ok(r, wid, r.facilitator, { type: 'timer.resume' });
    clock.advance(10_000);
    expect((await ok(r, wid, r.facilitator, { type: 'timer.add', seconds: 60 })).timer.remainingMs).toBe(290_000);
    expect(await refused(r, wid, r.facilitator, { type: 'timer.add', seconds: 14_400 })).toBe('A timer runs at most 4 hours.');

    // A stream opened now (a reconnect) reads the same remaining time as the API.
    clock.advance(5_000);
    const stream = await openWorkshopStream(h.url, `${r.base}/${wid}/stream`, r.funder.token);
    const first = await stream.next<{ timer: { remainingMs: number; endsAt: number }; serverNow: number }>('workshop');
    stream.close();
    expect(first!.timer.remainingMs).toBe(285_000);
    expect(first!.timer.endsAt - first!.serverNow).toBe(285_000);

    // Restart: the running workshop resumes with the timer where it was.
    await h.restart();
    expect(await read()).toMatchObject({ status: 'running', timer: { running: true, remainingMs: 285_000 } });
    clock.advance(285_000);
    expect((await read()).timer).toEqual({ running: false, endsAt: null, remainingMs: 0 });
    expect(await refused(r, wid, r.facilitator, { type: 'timer.pause' })).toBe('The timer has reached zero: add time or start it again.');
    expect(await refused(r, wid, r.facilitator, { type: 'timer.resume' })).toBe('The timer has no time left: start it with a length or add time.');
    expect((await ok(r, wid, r.facilitator, { type: 'timer.add', seconds: 30 })).timer).toEqual({ running: true, endsAt: clock.now() + 30_000, remainingMs: 30_000 });
  });
});

describe('the stream', () => {
  it('the initiative’s event stream lists its workshops at once and again when one is created, starts or ends', async () => {
    const r = await room();
    const stream = await openEventStream(h.url, r.id, r.observer.token);
    expect(await stream.next('workshops')).toEqual([]);
    const wid = await workshop(r);
    expect(await stream.next('workshops')).toEqual([expect.objectContaining({ id: wid, status: 'draft' })]);
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    expect(await stream.next('workshops')).toEqual([expect.objectContaining({ id: wid, status: 'running', startedAt: expect.any(String) })]);
    await ok(r, wid, r.facilitator, { type: 'timer.start', seconds: 60 });
    await ok(r, wid, r.facilitator, { type: 'workshop.end' });
    // Only status changes are told: the timer was not.
    expect(await stream.next('workshops')).toEqual([expect.objectContaining({ id: wid, status: 'ended' })]);
    stream.close();
  });

  it('gives each person their own view after every command, and brings everyone to the board of the item entered', async () => {
    const r = await room();
    const wid = await workshop(r);
    const resident = await openWorkshopStream(h.url, `${r.base}/${wid}/stream`, r.resident.token);
    const funder = await openWorkshopStream(h.url, `${r.base}/${wid}/stream`, r.funder.token);
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    expect(await resident.next('bring')).toEqual({ index: 0, title: 'Welcome and purpose', board: null });
    await ok(r, wid, r.facilitator, { type: 'agenda.next' });
    expect(await funder.until('bring', (b: { index: number }) => b.index === 1)).toEqual({ index: 1, title: 'Map the landscape', board: 'stakeholders' });
    await ok(r, wid, r.resident, { type: 'private.add', text: 'Eastside youth club' });
    const own = await resident.until<{ privateCards: { text: string }[] }>('workshop', (v) => v.privateCards.length === 1);
    expect(own.privateCards[0].text).toBe('Eastside youth club');
    const theirs = await funder.until<{ privateHeld: number; privateCards: unknown[] }>('workshop', (v) => v.privateHeld === 1);
    expect(theirs.privateCards).toEqual([]);
    resident.close();
    funder.close();
  });
});

describe('attendance and the record', () => {
  it('members say which sector and organisation they speak for: PATCH member sets and clears them, the members list shows them', async () => {
    const r = await room();
    const path = `/api/initiatives/${r.id}/members/${r.funder.memberId}`;
    const set = await h.api('PATCH', path, { sector: 'business', organisation: '  Acme Foods ' }, r.lead.token);
    expect(set).toMatchObject({ status: 200, body: { id: r.funder.memberId, role: 'participant', sector: 'business', organisation: 'Acme Foods' } });
    expect((await h.api('PATCH', path, { organisation: null }, r.lead.token)).body).toMatchObject({ sector: 'business', organisation: null });
    expect(await h.api('PATCH', path, { sector: 'aliens' }, r.lead.token)).toMatchObject({ status: 400, body: { field: 'sector' } });
    expect(await h.api('PATCH', path, {}, r.lead.token)).toMatchObject({ status: 400, body: { error: 'Invalid (body): Say what changes: role, sector or organisation.' } });
    expect((await h.api('PATCH', path, { sector: 'media' }, r.funder.token)).status).toBe(403);
    const list = await h.api('GET', `/api/initiatives/${r.id}/members`, undefined, r.facilitator.token);
    expect(list.body.find((m: { id: string }) => m.id === r.funder.memberId)).toMatchObject({ sector: 'business', organisation: null });
  });

  it('marks present whoever is connected while it runs, lets the facilitator correct it, and records sectors missing', async () => {
    const r = await room();
    const [, , faith] = await cards(r.id);
    const wid = await workshop(r, AGENDA, 'Kick-off <script>alert(1)</script> | *planning*');
    // The resident has a board open before the start; the funder opens one during the workshop.
    const board = syncClient(h.url, r.id, r.resident.token);
    await board.synced;
    await ok(r, wid, r.facilitator, { type: 'workshop.start' });
    const present = (v: { attendance: { people: { id: string; present: boolean }[] } }) => v.attendance.people.filter((p) => p.present).map((p) => p.id).sort();
    await expect.poll(async () => present((await h.api('GET', `${r.base}/${wid}`, undefined, r.lead.token)).body)).toEqual(
      [r.facilitator.memberId, r.resident.memberId].sort(),
    );
    const late = syncClient(h.url, r.id, r.funder.token);
    await late.synced;
    await expect.poll(async () => present((await h.api('GET', `${r.base}/${wid}`, undefined, r.lead.token)).body)).toContain(r.funder.memberId);
    board.destroy();
    late.destroy();
    // The facilitator's word wins: the funder left early; the lead was in the room without a laptop.
    expect(await refused(r, wid, r.facilitator, { type: 'attendance.set', member: 'nobody', present: true })).toBe('There is no such member in this initiative.');
    await ok(r, wid, r.facilitator, { type: 'attendance.set', member: r.funder.memberId, present: false });
    const set = await ok(r, wid, r.facilitator, { type: 'attendance.set', member: r.lead.memberId, present: true });
    expect(present(set)).toEqual([r.facilitator.memberId, r.resident.memberId, r.lead.memberId].sort());
    expect(set.attendance.missingSectors).toEqual(['business', 'philanthropy', 'education', 'health', 'faith', 'media']);
    expect(set.attendance.missingSectors).toContain('philanthropy');
    expect(set.attendance.missingSectors).not.toContain('residents');

    clock.advance(10 * MINUTE);
    const { votes } = await ok(r, wid, r.facilitator, { type: 'vote.open', board: 'stakeholders', budget: 1, maxPerCard: 1, anonymous: false });
    await ok(r, wid, r.resident, { type: 'vote.cast', voteId: votes[0].id, card: faith });
    await ok(r, wid, r.facilitator, { type: 'agenda.next' });
    await ok(r, wid, r.resident, { type: 'private.add', text: 'Bus drivers *union*' });
    await ok(r, wid, r.facilitator, { type: 'private.reveal', anonymous: false });
    await ok(r, wid, r.facilitator, { type: 'vote.close', voteId: votes[0].id });
    await ok(r, wid, r.facilitator, { type: 'decision.record', text: 'Invite the bus drivers.', voteId: votes[0].id });
    await ok(r, wid, r.facilitator, { type: 'workshop.end' });

    const record = (await h.api('GET', `${r.base}/${wid}/record`, undefined, r.observer.token)).body;
    expect(record.agenda.map((a: { startedAt: string | null }) => a.startedAt !== null)).toEqual([true, true, false, false]);
    expect(record.attendance.present.map((p: { name: string }) => p.name).sort()).toEqual(['Dana Whitfield', 'Rosa Delgado', 'Sam Ortiz']);
    expect(record.attendance.absent.map((p: { name: string }) => p.name).sort()).toEqual(['Kim Observer', 'Lee Park']);
    expect(record.attendance.bySector).toEqual({ nonprofit: ['Sam Ortiz'], residents: ['Rosa Delgado'], government: ['Dana Whitfield'] });
    expect(record.attendance.byOrganisation['Eastside Residents']).toEqual(['Rosa Delgado']);
    expect(record.votes[0]).toMatchObject({ status: 'closed', results: [{ label: 'Faith leaders', dots: 1, voterNames: [{ name: 'Rosa Delgado', dots: 1 }] }, {}, {}] });
    expect(record.decisions[0]).toMatchObject({ text: 'Invite the bus drivers.', voteId: votes[0].id });
    expect(record.cardsAdded).toEqual([expect.objectContaining({ text: 'Bus drivers *union*', author: 'Rosa Delgado', group: 'Rosa Delgado', board: 'stakeholders' })]);

    const md = await h.api('GET', `${r.base}/${wid}/record?format=markdown`, undefined, r.observer.token);
    expect(md.status).toBe(200);
    expect(md.headers.get('content-type')).toBe('text/markdown; charset=utf-8');
    const text = md.body as string;
    if (process.env.SHOW_RECORD) console.log(text);
    expect(text).toContain('# Kick\\-off \\<script\\>alert\\(1\\)\\</script\\> \\| \\*planning\\*');
    expect(text).not.toContain('<script>');
    for (const heading of ['## Agenda', '## Attendance', '## Votes', '## Decisions', '## Cards added']) expect(text).toContain(heading);
    expect(text).toContain('| 1 | Welcome and purpose | Discussion | — |');
    expect(text).toMatch(/Sectors missing: .*Philanthropy/);
    expect(text).toContain('| Faith leaders | 1 | Residents 1 | Participant 1 |');
    expect(text).toContain('- Invite the bus drivers. Recorded by Sam Ortiz at');
    expect(text).toContain('- Bus drivers \\*union\\* (Stakeholder map; Rosa Delgado, by Rosa Delgado)');
  });

  it('shows a partner absent from two workshops in a row as absent again and again', async () => {
    const r = await room();
    for (const title of ['January convening', 'February convening']) {
      const wid = await workshop(r, AGENDA.slice(0, 1), title);
      await ok(r, wid, r.facilitator, { type: 'workshop.start' });
      await ok(r, wid, r.facilitator, { type: 'attendance.set', member: r.resident.memberId, present: true });
      clock.advance(MINUTE);
      await ok(r, wid, r.facilitator, { type: 'workshop.end' });
      clock.advance(10 * 24 * 60 * MINUTE);
    }
    const last = (await h.api('GET', r.base, undefined, r.lead.token)).body[0].id;
    const record = (await h.api('GET', `${r.base}/${last}/record`, undefined, r.lead.token)).body;
    const absent = record.attendance.repeatedAbsences.map((p: { name: string; missed: number; of: number }) => [p.name, p.missed, p.of]);
    expect(absent).toContainEqual(['Lee Park', 2, 2]);
    expect(absent.map((a: string[]) => a[0])).not.toContain('Rosa Delgado');
    expect(absent.map((a: string[]) => a[0])).not.toContain('Sam Ortiz');
  });
});
