/**
 * Decisions of one initiative are serialised across awaits (#14, server/lock.ts):
 * the lock itself (order, independence of initiatives, re-entry by its holder,
 * failures), and a real server whose stores answer a turn of the event loop
 * later, as a database across the network would: two casts that together pass
 * the budget, and two role changes that together would leave no lead, are
 * decided one after the other; every kind of decision goes through the lock
 * the server was given. Two servers on one database sharing one lock (as
 * processes share PostgreSQL's advisory lock) decide from what the other stored.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntity } from '../../src/schema/index.ts';
import { LocalDecisionLock, reentrant, type DecisionLock } from '../../server/lock.ts';
import { openSqliteStores } from '../../server/sqliteStores.ts';
import { startConvene, type Convene } from '../../server/app.ts';
import { startHarness, type Harness } from './harness.ts';
import { AGENDA, personIn } from './workshop-helpers.ts';
import { remote, turn } from './remote-stores.ts';

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}


describe('the decision lock', () => {
  it('runs the work of one initiative one at a time, in order, across awaits; another initiative does not wait', async () => {
    const lock = reentrant(new LocalDecisionLock());
    const steps: string[] = [];
    const first = gate();
    const a1 = lock.run('a', async () => {
      steps.push('a1 checks');
      await first.opened;
      steps.push('a1 writes');
    });
    const a2 = lock.run('a', async () => {
      steps.push('a2 checks');
      await turn();
      steps.push('a2 writes');
    });
    await lock.run('b', async () => void steps.push('b decides'));
    expect(steps).toEqual(['a1 checks', 'b decides']);
    first.open();
    await Promise.all([a1, a2]);
    expect(steps).toEqual(['a1 checks', 'b decides', 'a1 writes', 'a2 checks', 'a2 writes']);
  });

  it('is re-entered by the work that holds it, and a failure frees it for the next', async () => {
    const lock = reentrant(new LocalDecisionLock());
    // A workshop decision confirming a workflow step: the inner run would otherwise wait for itself.
    const inner = await lock.run('a', () => lock.run('a', async () => 'confirmed'));
    expect(inner).toBe('confirmed');
    await expect(lock.run('a', async () => Promise.reject(new Error('the store is down')))).rejects.toThrow('the store is down');
    expect(await lock.run('a', async () => 'next')).toBe('next');
  });

  it('a task the holder leaves behind waits for the lock once the holder is done', async () => {
    const lock = reentrant(new LocalDecisionLock());
    const steps: string[] = [];
    let leftBehind: Promise<void> | undefined;
    const later = gate();
    await lock.run('a', async () => {
      leftBehind = later.opened.then(() => lock.run('a', async () => void steps.push('left behind')));
    });
    const other = gate();
    const holder = lock.run('a', async () => {
      steps.push('other holds');
      await other.opened;
      steps.push('other done');
    });
    later.open();
    await turn();
    // The left-behind task started after its holder settled: it waits for the one holding now.
    expect(steps).toEqual(['other holds']);
    other.open();
    await Promise.all([holder, leftBehind]);
    expect(steps).toEqual(['other holds', 'other done', 'left behind']);
  });
});

/**
 * A running workshop on `h` with a vote of one dot on two stakeholder cards;
 * `started` runs once the workshop started, before the vote opens.
 */
async function oneDotVote(h: Harness, started: (base: string, wid: string, token: string) => Promise<void> = async () => {}) {
  const id = await h.createInitiative();
  const facilitator = await personIn(h, id, 'facilitator', 'Sam Ortiz');
  const resident = await personIn(h, id, 'participant', 'Rosa Delgado');
  const cards = await h.convene.rooms.withDoc(id, (doc) =>
    ['Youth council', 'School nurses'].map((name, i) => createEntity(doc, 'stakeholder', { name }, [{ board: 'stakeholders', position: { x: i * 200, y: 0 } }])),
  );
  const base = `/api/initiatives/${id}/workshops`;
  const created = await h.api('POST', base, { title: 'Kick-off convening', date: '2026-03-05T09:00:00+00:00', agenda: AGENDA }, facilitator.token);
  expect(created.status).toBe(201);
  const wid = created.body.id as string;
  const path = `${base}/${wid}/commands`;
  expect((await h.api('POST', path, { type: 'workshop.start' }, facilitator.token)).status).toBe(200);
  await started(base, wid, resident.token);
  const opened = await h.api('POST', path, { type: 'vote.open', cards, budget: 1, maxPerCard: 1, anonymous: true }, facilitator.token);
  expect(opened.status).toBe(200);
  return { id, facilitator, resident, cards, base, wid, path, voteId: opened.body.votes[0].id as string };
}

describe('a server whose stores answer later', () => {
  let h: Harness;
  let dataDir: string;
  /** The initiatives the server asked the lock for, in order. */
  const asked: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'convene-lock-'));
    const local = new LocalDecisionLock();
    const recording: DecisionLock = {
      run: (initiativeId, work) => {
        asked.push(initiativeId);
        return process.env.NO_LOCK ? work() : local.run(initiativeId, work);
      },
    };
    h = await startHarness({ dataDir, stores: remote(openSqliteStores(dataDir)), lock: recording });
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('two casts that together pass the budget: one is placed, the other refused, and the lock decided both', async () => {
    const { id, resident, cards, base, wid, path, voteId } = await oneDotVote(h);
    const command = (token: string, body: Record<string, unknown>) => h.api('POST', path, body, token);

    asked.length = 0;
    const answers = await Promise.all(cards.map((card) => command(resident.token, { type: 'vote.cast', voteId, card })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error).toBe('You have used your only dot.');
    expect(asked).toEqual([id, id]);
    const view = await h.api('GET', `${base}/${wid}`, undefined, resident.token);
    expect(Object.values(view.body.votes[0].mine as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('two role changes that would each leave one lead: one is made, the other refused, and one lead stays', async () => {
    const id = await h.createInitiative();
    const dana = await h.join(id, 'lead', 'Dana Whitfield');
    const lee = await h.join(id, 'lead', 'Lee Park');
    asked.length = 0;
    const answers = await Promise.all(
      [dana, lee].map((lead) => h.api('PATCH', `/api/initiatives/${id}/members/${lead.memberId}`, { role: 'participant' })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(answers.find((a) => a.status === 409)!.body.code).toBe('LAST_LEAD');
    expect(asked).toEqual([id, id]);
    const members = (await h.api('GET', `/api/initiatives/${id}/members`)).body as { role: string }[];
    expect(members.filter((m) => m.role === 'lead')).toHaveLength(1);
  });

  it('a redeemed invite, a removal and a workflow event are decided under the lock of their initiative', async () => {
    const id = await h.createInitiative();
    asked.length = 0;
    const sam = await h.join(id, 'participant', 'Sam Ortiz');
    expect(asked).toEqual([id]);
    expect((await h.api('DELETE', `/api/initiatives/${id}/members/${sam.memberId}`)).status).toBe(204);
    expect(asked).toEqual([id, id]);
    const event = { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The mayor chairs the table.' };
    expect((await h.api('POST', `/api/initiatives/${id}/events`, event)).status).toBe(200);
    expect(asked).toEqual([id, id, id]);
  });
});

describe('two servers on one database whose stores answer later, one lock', () => {
  let h: Harness;
  let second: Convene;
  const shared = new LocalDecisionLock();
  /** Set NO_LOCK=1 to watch these tests fail without the shared lock. */
  const lock: DecisionLock = process.env.NO_LOCK ? { run: (_id, work) => work() } : shared;

  beforeAll(async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'convene-two-'));
    h = await startHarness({ dataDir, stores: remote(openSqliteStores(dataDir)), lock });
    const stores = remote(openSqliteStores(dataDir));
    second = await startConvene({ dataDir, stores, port: 0, adminToken: h.adminToken, demo: false, log: 'silent', unloadDelayMs: 0, lock });
  });
  afterAll(async () => {
    await second.close();
    await h.stop();
  });

  /** The API of the second server. */
  const there = async (method: string, path: string, body: unknown, token = h.adminToken) => {
    const res = await fetch(second.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('a cast on each server, together past the budget: one is placed, the other refused, whichever server answers', async () => {
    // The second server knows the workshop as it was before the vote opened.
    const { facilitator, resident, cards, path, voteId } = await oneDotVote(h, async (base, wid, token) => {
      expect((await there('GET', `${base}/${wid}`, undefined, token)).status).toBe(200);
    });
    const answers = await Promise.all([
      h.api('POST', path, { type: 'vote.cast', voteId, card: cards[0] }, resident.token),
      there('POST', path, { type: 'vote.cast', voteId, card: cards[1] }, resident.token),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    const closed = await there('POST', path, { type: 'vote.close', voteId }, facilitator.token);
    expect(closed.status).toBe(200);
    const results = (closed.body.votes as { results: { dots: number }[] }[])[0].results;
    expect(results.reduce((sum, r) => sum + r.dots, 0)).toBe(1);
  });

  it('a workflow event on each server: the second server decides from the first one’s, and the history keeps both', async () => {
    const id = await h.createInitiative();
    // The second server has loaded the workflow before the first one changes it.
    expect((await there('GET', `/api/initiatives/${id}/workflow`, undefined)).status).toBe(200);
    const assess = (precondition: string) => ({ type: 'readiness.assess', precondition, status: 'met', evidence: 'Minutes of the leadership table.' });
    expect((await h.api('POST', `/api/initiatives/${id}/events`, assess('champion'))).status).toBe(200);
    const after = await there('POST', `/api/initiatives/${id}/events`, assess('urgency'));
    expect(after.status).toBe(200);
    expect((after.body.history as { type: string }[]).map((e) => e.type)).toEqual(['readiness.assess', 'readiness.assess']);
    expect(((await h.api('GET', `/api/initiatives/${id}/workflow`)).body.history as unknown[]).length).toBe(2);
  });
});
