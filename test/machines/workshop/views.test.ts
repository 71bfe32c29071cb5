import { describe, expect, it } from 'vitest';
import { statusOf, workshopView, type WorkshopView } from '../../../machines/workshop/index.ts';
import { facilitator, funder, resident, startWorkshop, T0, teacher, testClock } from './fixtures.ts';

const MIN = 60_000;
const PEOPLE = [facilitator, resident, funder, teacher];

/** A workshop in its brainstorm item with private cards and an open anonymous vote. */
function midway() {
  const clock = testClock();
  const actor = startWorkshop();
  const send = (...args: Parameters<typeof clock.event>) => actor.send(clock.event(...args));
  send({ type: 'workshop.start' });
  clock.advance(10 * MIN);
  send({ type: 'agenda.next' });
  send({ type: 'attendance.seen' }, resident);
  send({ type: 'attendance.seen' }, funder);
  send({ type: 'private.add', text: 'Rosa’s secret idea' }, resident);
  send({ type: 'private.add', text: 'Priya’s own thought' }, funder);
  send({ type: 'timer.start', seconds: 300 });
  send({ type: 'vote.open', cards: ['card-a', 'card-b'], budget: 2, maxPerCard: 1, anonymous: true });
  // Ids count up across votes, cards and decisions: the two private cards took 1 and 2.
  const voteId = actor.getSnapshot().context.votes[0].id;
  expect(voteId).toBe('vote-3');
  send({ type: 'vote.cast', voteId, card: 'card-a' }, resident);
  send({ type: 'vote.cast', voteId, card: 'card-b' }, resident);
  send({ type: 'vote.cast', voteId, card: 'card-b' }, funder);
  const viewFor = (caller: { id: string }, at = clock.now()): WorkshopView => {
    const snapshot = actor.getSnapshot();
    return workshopView(statusOf(snapshot.value), snapshot.context, caller, at);
  };
  return { actor, clock, send, viewFor, voteId };
}

describe('workshop views: what each person sees', () => {
  it('shows the current item, the timer with the server clock, and the agenda with planned and actual times', () => {
    const { clock, viewFor } = midway();
    clock.advance(30_000);
    const view = viewFor(resident);
    expect(view.status).toBe('running');
    expect(view.current).toEqual({
      index: 1,
      item: expect.objectContaining({ title: 'Map the landscape', prompt: 'Who is missing?' }),
    });
    expect(view.serverNow).toBe(clock.now());
    expect(view.timer).toEqual({ running: true, endsAt: T0 + 10 * MIN + 300_000, remainingMs: 270_000 });
    expect(view.agenda.map((i) => [i.index, i.plannedStart, i.startedAt, i.spentMs])).toEqual([
      [0, T0, '2026-12-03T09:00:00.000Z', 10 * MIN],
      [1, T0 + 10 * MIN, '2026-12-03T09:10:00.000Z', 30_000],
      [2, T0 + 40 * MIN, null, 0],
      [3, T0 + 60 * MIN, null, 0],
    ]);
    expect(view.attendance.people.map((p) => p.name)).toEqual(['Jonas Berg', 'Rosa Delgado', 'Priya Nair']);
    expect(view.attendance.missingSectors).toEqual(['government', 'business', 'education', 'health', 'faith', 'media']);
  });

  it('plans from the date before the start, and plans nothing without a date', () => {
    const draft = startWorkshop().getSnapshot();
    expect(workshopView('draft', draft.context, resident, T0 - 86_400_000).agenda[1].plannedStart).toBe(T0 + 10 * MIN);
    const undated = startWorkshop({ title: 'Open', date: null, agenda: draft.context.agenda }).getSnapshot();
    expect(workshopView('draft', undated.context, resident, T0).agenda[0]).toMatchObject({
      plannedStart: null,
      plannedEnd: null,
    });
    expect(workshopView('draft', undated.context, resident, T0).timer).toEqual({
      running: false,
      endsAt: null,
      remainingMs: 0,
    });
  });

  it('shows each person their own private cards only: no byte of another’s text reaches their view', () => {
    const { viewFor } = midway();
    expect(viewFor(resident).privateCards.map((c) => c.text)).toEqual(['Rosa’s secret idea']);
    expect(viewFor(funder).privateCards.map((c) => c.text)).toEqual(['Priya’s own thought']);
    for (const caller of [facilitator, teacher]) {
      const view = viewFor(caller);
      expect(view.privateCards).toEqual([]);
      expect(view.privateHeld).toBe(2);
      const json = JSON.stringify(view);
      expect(json).not.toContain('secret idea');
      expect(json).not.toContain('own thought');
    }
    expect(JSON.stringify(viewFor(resident))).not.toContain('own thought');
  });

  it('shows no one’s dots while a vote is open, only how many finished and the caller’s own', () => {
    const { viewFor, voteId } = midway();
    for (const caller of PEOPLE) {
      const [vote] = viewFor(caller).votes;
      expect(vote).toMatchObject({ id: voteId, status: 'open', finished: 1, anonymous: true });
      expect(vote.results).toBeUndefined();
      const others = PEOPLE.filter((p) => p.id !== caller.id);
      const json = JSON.stringify(viewFor(caller).votes);
      for (const other of others) expect(json).not.toContain(other.id);
    }
    expect(viewFor(resident).votes[0].mine).toEqual({ 'card-a': 1, 'card-b': 1 });
    expect(viewFor(funder).votes[0].mine).toEqual({ 'card-b': 1 });
    expect(viewFor(teacher).votes[0].mine).toEqual({});
  });

  it('shows the results to all once an anonymous vote is closed, and no voter id in any view, ever', () => {
    const { send, viewFor, voteId } = midway();
    send({ type: 'vote.close', voteId });
    for (const caller of PEOPLE) {
      const [vote] = viewFor(caller).votes;
      // Two voters: too few to break down without exposing one to the other.
      expect(vote.results).toEqual([
        { card: 'card-b', dots: 2, bySector: { other: 2 }, byRole: { other: 2 } },
        { card: 'card-a', dots: 1, bySector: { other: 1 }, byRole: { other: 1 } },
      ]);
      expect(vote.turnout).toEqual({ voters: 2, bySector: { other: 2 }, byRole: { other: 2 } });
      expect(vote.mine).toBeUndefined();
      const json = JSON.stringify(viewFor(caller).votes);
      for (const person of PEOPLE) expect(json).not.toContain(person.id);
    }
    send({ type: 'workshop.end' });
    expect(JSON.stringify(viewFor(facilitator).votes)).not.toContain(resident.id);
  });

  it('keeps unrevealed private cards private after the end, and shows the revealed count', () => {
    const { send, viewFor } = midway();
    send({ type: 'workshop.end' });
    expect(viewFor(resident).privateCards).toHaveLength(1);
    expect(JSON.stringify(viewFor(facilitator))).not.toContain('secret idea');
    expect(viewFor(facilitator)).toMatchObject({ status: 'ended', current: null, revealed: 0, privateHeld: 2 });
  });
});
