import { describe, expect, it, vi } from 'vitest';
import { createActor, type SnapshotFrom } from 'xstate';
import { adjacencyMapToArray, getAdjacencyMap, getShortestPaths, getSimplePaths } from 'xstate/graph';
import {
  statusOf,
  workshopMachine,
  workshopRefusal,
  type Placement,
  type WorkshopEvent,
} from '../../../machines/workshop/index.ts';
import { AGENDA, INPUT, facilitator, funder, resident, startWorkshop, testClock } from './fixtures.ts';

type Snapshot = SnapshotFrom<typeof workshopMachine>;
const MIN = 60_000;

/** The machine with its effects recorded. */
function recorded() {
  const effects = {
    itemEntered: vi.fn<(p: { index: number; board: string | null }) => void>(),
    notesRevealed: vi.fn<(p: { placements: Placement[] }) => void>(),
    decisionRecorded: vi.fn<(p: { decision: { id: string; text: string; step?: string } }) => void>(),
    workshopEnded: vi.fn<() => void>(),
  };
  const machine = workshopMachine.provide({
    actions: {
      itemEntered: (_, p) => effects.itemEntered(p),
      notesRevealed: (_, p) => effects.notesRevealed(p),
      decisionRecorded: (_, p) => effects.decisionRecorded(p),
      workshopEnded: () => effects.workshopEnded(),
    },
  });
  return { effects, actor: startWorkshop(INPUT, machine) };
}

/** Sends `event` and answers the refusal the rules give for it beforehand (null when accepted). */
function send(actor: ReturnType<typeof startWorkshop>, event: WorkshopEvent): string | null {
  const before = actor.getSnapshot();
  const refusal = workshopRefusal(statusOf(before.value), before.context, event);
  expect(before.can(event)).toBe(refusal === null);
  actor.send(event);
  if (refusal !== null) expect(actor.getSnapshot().context).toBe(before.context);
  return refusal;
}

describe('workshop: lifecycle', () => {
  it('starts as a draft holding the agenda, and only starting is possible', () => {
    const clock = testClock();
    const { actor } = recorded();
    const snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('draft');
    expect(snapshot.context).toMatchObject({ title: 'Kick-off convening', agenda: AGENDA, current: null });
    expect(send(actor, clock.event({ type: 'agenda.next' }))).toBe('The workshop has not started yet: start it first.');
    expect(send(actor, clock.event({ type: 'vote.cast', voteId: 'vote-1', card: 'a' }, resident))).toBe(
      'The workshop has not started yet: start it first.',
    );
  });

  it('runs item by item: start enters the first, next brings everyone to the next item’s board', () => {
    const clock = testClock();
    const { actor, effects } = recorded();
    expect(send(actor, clock.event({ type: 'workshop.start' }))).toBeNull();
    let snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('running');
    expect(snapshot.context).toMatchObject({ current: 0, startedAt: '2026-12-03T09:00:00.000Z' });
    expect(snapshot.context.timer).toEqual({ running: false, remainingMs: 10 * MIN });
    expect(snapshot.context.attendance.map((e) => e.id)).toEqual([facilitator.id]);
    expect(effects.itemEntered).toHaveBeenLastCalledWith({ index: 0, board: null });

    clock.advance(12 * MIN);
    expect(send(actor, clock.event({ type: 'agenda.next' }))).toBeNull();
    snapshot = actor.getSnapshot();
    expect(effects.itemEntered).toHaveBeenLastCalledWith({ index: 1, board: 'stakeholders' });
    expect(snapshot.context.items[0]).toEqual({
      startedAt: '2026-12-03T09:00:00.000Z',
      endedAt: '2026-12-03T09:12:00.000Z',
      spentMs: 12 * MIN,
      since: null,
    });
    expect(snapshot.context.timer).toEqual({ running: false, remainingMs: 30 * MIN });

    // Back to the first item for 3 minutes: it keeps its first start and adds up its time.
    expect(send(actor, clock.event({ type: 'agenda.goto', index: 0 }))).toBeNull();
    clock.advance(3 * MIN);
    expect(send(actor, clock.event({ type: 'agenda.goto', index: 3 }))).toBeNull();
    snapshot = actor.getSnapshot();
    expect(snapshot.context.items[0]).toMatchObject({ startedAt: '2026-12-03T09:00:00.000Z', spentMs: 15 * MIN });
    expect(effects.itemEntered).toHaveBeenCalledTimes(4);

    expect(send(actor, clock.event({ type: 'agenda.next' }))).toBe(
      '"Facilitate community outreach" is the last item: end the workshop instead.',
    );
    expect(send(actor, clock.event({ type: 'agenda.goto', index: 3 }))).toBe(
      '"Facilitate community outreach" is the current item.',
    );
    expect(send(actor, clock.event({ type: 'agenda.goto', index: 4 }))).toBe(
      'There is no item 5: the agenda has 4 items.',
    );
    expect(send(actor, clock.event({ type: 'workshop.start' }))).toBe('The workshop is already running.');
    expect(effects.itemEntered).toHaveBeenCalledTimes(4);

    clock.advance(5 * MIN);
    expect(send(actor, clock.event({ type: 'workshop.end' }))).toBeNull();
    snapshot = actor.getSnapshot();
    expect(snapshot.value).toBe('ended');
    expect(snapshot.status).toBe('done');
    expect(snapshot.context).toMatchObject({ current: null, endedAt: '2026-12-03T09:20:00.000Z' });
    expect(snapshot.context.items[3]).toMatchObject({ spentMs: 5 * MIN, endedAt: '2026-12-03T09:20:00.000Z' });
    expect(effects.workshopEnded).toHaveBeenCalledTimes(1);
    expect(workshopRefusal('ended', snapshot.context, clock.event({ type: 'timer.resume' }))).toBe(
      'The workshop has ended.',
    );
  });

  it('runs the timer on the clock of the events, and resumes it after a restart where it was', () => {
    const clock = testClock();
    const { actor } = recorded();
    send(actor, clock.event({ type: 'workshop.start' }));
    expect(send(actor, clock.event({ type: 'timer.pause' }))).toBe('The timer is not running.');
    expect(send(actor, clock.event({ type: 'timer.resume' }))).toBeNull();
    clock.advance(4 * MIN);
    expect(send(actor, clock.event({ type: 'timer.pause' }))).toBeNull();
    expect(actor.getSnapshot().context.timer).toEqual({ running: false, remainingMs: 6 * MIN });
    clock.advance(MIN);
    send(actor, clock.event({ type: 'timer.add', seconds: 60 }));
    send(actor, clock.event({ type: 'timer.resume' }));
    expect(actor.getSnapshot().context.timer).toEqual({ running: true, endsAt: clock.now() + 7 * MIN });
    expect(send(actor, clock.event({ type: 'timer.start', seconds: 0 }))).toMatch(/^Give the timer a whole number/);

    // kill -9 and restart: the persisted snapshot, read back as JSON, answers the same time left.
    const persisted = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    const restored = createActor(workshopMachine, { snapshot: persisted, input: INPUT });
    restored.start();
    clock.advance(90_000);
    expect(restored.getSnapshot().value).toBe('running');
    expect(restored.getSnapshot().context.timer).toEqual(actor.getSnapshot().context.timer);
    send(restored, clock.event({ type: 'timer.pause' }));
    expect(restored.getSnapshot().context.timer).toEqual({ running: false, remainingMs: 7 * MIN - 90_000 });
  });
});

describe('workshop: votes, private cards and decisions through the machine', () => {
  it('keeps the budget across casts, closes open votes at the end, and keeps no voter of an anonymous vote', () => {
    const clock = testClock();
    const { actor } = recorded();
    send(actor, clock.event({ type: 'workshop.start' }));
    expect(send(actor, clock.event({ type: 'vote.cast', voteId: 'vote-1', card: 'a' }, resident))).toBe(
      'There is no vote "vote-1" in this workshop.',
    );
    const settings = { cards: ['a', 'b', 'c'], budget: 3, maxPerCard: 2 };
    expect(send(actor, clock.event({ type: 'vote.open', ...settings, anonymous: true }))).toBeNull();
    expect(
      send(actor, clock.event({ type: 'vote.open', ...settings, anonymous: false, board: 'framework' })),
    ).toBeNull();
    expect(actor.getSnapshot().context.votes.map((v) => [v.id, v.status, v.item])).toEqual([
      ['vote-1', 'open', 0],
      ['vote-2', 'open', 0],
    ]);
    // Twenty casts from one person's two tabs, one after the other: three dots land.
    const landed = Array.from({ length: 20 }, (_, i) =>
      send(actor, clock.event({ type: 'vote.cast', voteId: 'vote-1', card: ['a', 'b', 'c'][i % 3] }, resident)),
    ).filter((r) => r === null);
    expect(landed).toHaveLength(3);
    expect(send(actor, clock.event({ type: 'vote.cast', voteId: 'vote-1', card: 'a' }, resident))).toBe(
      'You have used all 3 of your dots.',
    );
    send(actor, clock.event({ type: 'vote.cast', voteId: 'vote-1', card: 'b' }, funder));
    send(actor, clock.event({ type: 'vote.cast', voteId: 'vote-2', card: 'b' }, funder));
    expect(send(actor, clock.event({ type: 'vote.retract', voteId: 'vote-1', card: 'c' }, funder))).toBe(
      'You have no dot on that card to take back.',
    );
    expect(send(actor, clock.event({ type: 'vote.close', voteId: 'vote-2' }))).toBeNull();
    expect(send(actor, clock.event({ type: 'vote.cast', voteId: 'vote-2', card: 'a' }, resident))).toBe(
      'This vote is closed.',
    );
    send(actor, clock.event({ type: 'workshop.end' }));

    const [anonymous, named] = actor.getSnapshot().context.votes;
    expect(anonymous).toMatchObject({ status: 'closed', finished: 1 });
    expect(anonymous.status === 'closed' && anonymous.results.map((r) => [r.card, r.dots])).toEqual([
      ['b', 2],
      ['a', 1],
      ['c', 1],
    ]);
    expect(named.status === 'closed' && named.results[0].voters).toEqual([{ id: funder.id, dots: 1 }]);
    // The whole persisted workshop: neither voter of the anonymous vote is named anywhere in its record of it.
    const stored = JSON.stringify(actor.getPersistedSnapshot());
    expect(JSON.stringify(anonymous)).not.toContain(resident.id);
    expect(stored).not.toContain(resident.id);
    expect(stored.split(funder.id)).toHaveLength(2); // once: in the named vote's results
  });

  it('holds private cards apart until the reveal, which answers the placements and empties the store', () => {
    const clock = testClock();
    const { actor, effects } = recorded();
    send(actor, clock.event({ type: 'workshop.start' }));
    expect(send(actor, clock.event({ type: 'private.add', text: 'Youth council' }, resident))).toBe(
      'Private cards are written during a brainstorm item; the current item is not one.',
    );
    send(actor, clock.event({ type: 'agenda.next' }));
    expect(send(actor, clock.event({ type: 'private.reveal', anonymous: false }))).toBe(
      'There are no private cards to reveal.',
    );
    expect(send(actor, clock.event({ type: 'private.add', text: '  Youth council ' }, resident))).toBeNull();
    clock.advance(1000);
    expect(
      send(actor, clock.event({ type: 'private.add', text: 'Bus drivers', board: 'governance' }, funder)),
    ).toBeNull();
    expect(actor.getSnapshot().context.notes.map((n) => [n.id, n.text, n.board, n.author.id])).toEqual([
      ['note-1', 'Youth council', 'stakeholders', resident.id],
      ['note-2', 'Bus drivers', 'governance', funder.id],
    ]);
    expect(send(actor, clock.event({ type: 'private.reveal', anonymous: true, groupBy: 'author' }))).toBeNull();
    expect(effects.notesRevealed).toHaveBeenCalledWith({
      placements: [
        { note: 'note-1', text: 'Youth council', board: 'stakeholders', author: null, group: 'Person 1' },
        { note: 'note-2', text: 'Bus drivers', board: 'governance', author: null, group: 'Person 2' },
      ],
    });
    expect(actor.getSnapshot().context).toMatchObject({ notes: [], revealed: 2 });
    expect(JSON.stringify(actor.getPersistedSnapshot())).not.toContain('Youth council');
  });

  it('records a decision with its vote and judgement step, and hands it to the runner to confirm the step', () => {
    const clock = testClock();
    const { actor, effects } = recorded();
    send(actor, clock.event({ type: 'workshop.start' }));
    send(actor, clock.event({ type: 'agenda.goto', index: 3 }));
    expect(
      send(actor, clock.event({ type: 'decision.record', text: 'Go', step: 'initiate.planning.landscape' })),
    ).toMatch(/a decision cannot confirm it\.$/);
    const text = '  We met the youth council and two parent groups; both join the steering committee. ';
    expect(send(actor, clock.event({ type: 'decision.record', text, step: 'initiate.community.outreach' }))).toBeNull();
    const decision = {
      id: 'decision-1',
      text: text.trim(),
      step: 'initiate.community.outreach',
      by: { id: facilitator.id, name: facilitator.name },
      at: '2026-12-03T09:00:00.000Z',
      item: 3,
    };
    expect(actor.getSnapshot().context.decisions).toEqual([decision]);
    expect(effects.decisionRecorded).toHaveBeenCalledWith({ decision });
  });
});

describe('model: every path through the workshop', () => {
  const clock = testClock();
  const E = (body: Parameters<typeof clock.event>[0]) => clock.event(body);
  const events: WorkshopEvent[] = [
    E({ type: 'workshop.start' }),
    E({ type: 'workshop.end' }),
    E({ type: 'agenda.next' }),
    ...[0, 2, 3, 7].map((index) => E({ type: 'agenda.goto', index })),
    E({ type: 'timer.start', seconds: 60 }),
    E({ type: 'timer.pause' }),
    E({ type: 'timer.resume' }),
    E({ type: 'timer.add', seconds: 60 }),
  ];
  /** What the rules can see of this event set: the status, the item, whether the timer runs or has time left. */
  const serializeState = (s: Snapshot) =>
    `${String(s.value)} ${s.context.current} ${s.context.timer.running ? 'running' : s.context.timer.remainingMs > 0 ? 'set' : 'zero'}`;
  const options = { events, serializeState, input: INPUT };

  it('reaches the draft, every item with its timer running or paused, and the end; nothing else', () => {
    const reached = getShortestPaths(workshopMachine, options).map((p) => serializeState(p.state));
    const items = [0, 1, 2, 3].flatMap((i) => [`running ${i} set`, `running ${i} running`]);
    expect(new Set(reached)).toEqual(new Set(['draft null zero', ...items, 'ended null zero']));
  });

  it('agrees with the refusals on every edge, and a refused event changes nothing', () => {
    const edges = adjacencyMapToArray(getAdjacencyMap(workshopMachine, options));
    expect(edges.length).toBe(10 * events.length);
    for (const { state, event, nextState } of edges) {
      const refusal = workshopRefusal(statusOf(state.value), state.context, event);
      expect(state.can(event)).toBe(refusal === null);
      if (refusal !== null) expect(nextState.context).toEqual(state.context);
      if (state.value === 'ended') expect(refusal).toBe('The workshop has ended.');
      if (nextState.value === 'running') {
        expect(nextState.context.current).toBeGreaterThanOrEqual(0);
        expect(nextState.context.current).toBeLessThan(AGENDA.length);
      }
      // Moving to an item sets its timer, paused, to the item's minutes.
      if (refusal === null && (event.type === 'agenda.next' || event.type === 'agenda.goto')) {
        expect(nextState.context.timer).toEqual({
          running: false,
          remainingMs: AGENDA[nextState.context.current!].minutes * MIN,
        });
      }
    }
  });

  it('only ends a workshop that was started, and every way to the end passes through running', () => {
    const paths = getSimplePaths(workshopMachine, { ...options, toState: (s) => s.value === 'ended' });
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) {
      const types = path.steps.map((s) => s.event.type);
      expect(types.indexOf('workshop.start')).toBeLessThan(types.lastIndexOf('workshop.end'));
      expect(path.steps.filter((s) => s.state.value === 'running').length).toBeGreaterThan(0);
    }
  });
});
