import { describe, expect, it } from 'vitest';
import {
  NewWorkshop,
  toWorkshopEvent,
  unknownWorkshopCommand,
  isWorkshopCommandType,
  WORKSHOP_COMMAND_ACTIONS,
  WORKSHOP_COMMAND_SCHEMAS,
  type WorkshopCommand,
} from '../../src/contract/workshop.ts';
import { isRefusal, WORKSHOP_EVENT_TYPES, workshopRefusal } from '../../machines/workshop/index.ts';
import { facilitator, resident, startWorkshop, T0 } from '../machines/workshop/fixtures.ts';

/** The first refusal's field and message, or null when the body parses. */
function problem(
  schema: {
    safeParse(v: unknown): { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  body: unknown,
) {
  const result = schema.safeParse(body);
  if (result.success) return null;
  const [issue] = result.error!.issues;
  return { field: issue.path.join('.'), message: issue.message };
}

const AGENDA = [{ title: 'Map the landscape', minutes: 30, activity: 'brainstorm', board: 'stakeholders' }];

describe('contract: creating a workshop', () => {
  it('takes a title, an optional date and an agenda, trimmed', () => {
    expect(NewWorkshop.parse({ title: '  Kick-off ', date: '2026-12-03T09:00:00+01:00', agenda: AGENDA })).toEqual({
      title: 'Kick-off',
      date: '2026-12-03T09:00:00+01:00',
      agenda: AGENDA,
    });
  });

  it('refuses a bad body naming the field, in words', () => {
    expect(problem(NewWorkshop, { title: ' ', agenda: AGENDA })).toEqual({
      field: 'title',
      message: 'A workshop needs a title.',
    });
    expect(problem(NewWorkshop, { title: 'K', agenda: [] })).toEqual({
      field: 'agenda',
      message: 'Add at least one item to the agenda.',
    });
    expect(problem(NewWorkshop, { title: 'K', date: 'next Tuesday', agenda: AGENDA })).toEqual({
      field: 'date',
      message: 'A date and time such as 2026-12-03T09:00:00+01:00.',
    });
    expect(problem(NewWorkshop, { title: 'K', agenda: [{ ...AGENDA[0], minutes: 0 }] })).toEqual({
      field: 'agenda.0.minutes',
      message: 'A whole number of minutes from 1 to 480.',
    });
    expect(problem(NewWorkshop, { title: 'K', agenda: [{ ...AGENDA[0], activity: 'party' }] })).toEqual({
      field: 'agenda.0.activity',
      message: 'Choose an activity: discuss, brainstorm, vote, decide.',
    });
    expect(problem(NewWorkshop, { title: 'K', agenda: [{ ...AGENDA[0], step: 'initiate.x' }] })?.field).toBe(
      'agenda.0.step',
    );
    expect(problem(NewWorkshop, { title: 'K', agenda: [{ ...AGENDA[0], board: 'kitchen' }] })?.message).toBe(
      'Choose a board: stakeholders, boundaries, framework, governance.',
    );
  });
});

describe('contract: commands', () => {
  it('has a schema and a permission for every command the statechart takes from people', () => {
    const fromPeople = WORKSHOP_EVENT_TYPES.filter((t) => t !== 'attendance.seen');
    expect(Object.keys(WORKSHOP_COMMAND_SCHEMAS).sort()).toEqual([...fromPeople].sort());
    expect(Object.keys(WORKSHOP_COMMAND_ACTIONS).sort()).toEqual([...fromPeople].sort());
    const takePart = Object.entries(WORKSHOP_COMMAND_ACTIONS).filter(([, a]) => a === 'takePartInWorkshop');
    expect(takePart.map(([t]) => t).sort()).toEqual(['private.add', 'vote.cast', 'vote.retract']);
    expect(isWorkshopCommandType('vote.cast')).toBe(true);
    expect(isWorkshopCommandType('toString')).toBe(false);
    expect(unknownWorkshopCommand('vote.steal')).toMatch(
      /^Unknown command "vote.steal". Known commands: workshop.start, /,
    );
  });

  it('refuses malformed commands in words', () => {
    const S = WORKSHOP_COMMAND_SCHEMAS;
    expect(problem(S['timer.add'], { type: 'timer.add', seconds: 1.5 })).toEqual({
      field: 'seconds',
      message: 'A whole number of seconds from 1 to 14400.',
    });
    expect(problem(S['vote.open'], { type: 'vote.open', budget: 5, maxPerCard: 2, anonymous: true })).toEqual({
      field: 'cards',
      message: 'Say which cards the vote is on: a board (all its cards) or a list of cards.',
    });
    expect(problem(S['vote.open'], { type: 'vote.open', board: 'framework', budget: 5, maxPerCard: 2 })).toEqual({
      field: 'anonymous',
      message: 'Say whether the vote is anonymous: true or false.',
    });
    expect(problem(S['vote.cast'], { type: 'vote.cast', voteId: 'vote-1' })).toEqual({
      field: 'card',
      message: 'Say which card.',
    });
    expect(problem(S['private.add'], { type: 'private.add', text: '   ' })).toEqual({
      field: 'text',
      message: 'A card needs text.',
    });
    expect(problem(S['private.reveal'], { type: 'private.reveal', anonymous: false, groupBy: 'mood' })?.message).toBe(
      'Group by author or sector.',
    );
    expect(problem(S['agenda.goto'], { type: 'agenda.goto', index: -1 })?.field).toBe('index');
  });

  it('turns a parsed command into the statechart’s event, reading a board’s cards and a member', () => {
    const stamp = { by: facilitator, now: T0 };
    const resolve = {
      boardCards: (board: string) => (board === 'framework' ? ['strategy-a', 'strategy-b'] : []),
      person: (id: string) => (id === resident.id ? resident : null),
    };
    const open = S('vote.open', { type: 'vote.open', board: 'framework', budget: 2, maxPerCard: 1, anonymous: true });
    expect(toWorkshopEvent(open, stamp, resolve)).toEqual({
      type: 'vote.open',
      board: 'framework',
      cards: ['strategy-a', 'strategy-b'],
      budget: 2,
      maxPerCard: 1,
      anonymous: true,
      ...stamp,
    });
    const chosen = S('vote.open', { type: 'vote.open', cards: ['x'], budget: 1, maxPerCard: 1, anonymous: false });
    expect(toWorkshopEvent(chosen, stamp, resolve)).toMatchObject({ cards: ['x'] });
    const present = S('attendance.set', { type: 'attendance.set', member: resident.id, present: true });
    expect(toWorkshopEvent(present, stamp, resolve)).toEqual({
      type: 'attendance.set',
      person: resident,
      present: true,
      ...stamp,
    });
    const stranger = S('attendance.set', { type: 'attendance.set', member: 'nobody', present: true });
    expect(toWorkshopEvent(stranger, stamp, resolve)).toEqual({
      refused: 'There is no such member in this initiative.',
    });

    // The machine takes what the contract makes: an empty board is refused in words, not by a crash.
    const actor = startWorkshop();
    actor.send({ type: 'workshop.start', ...stamp });
    const empty = toWorkshopEvent(S('vote.open', { ...open, board: 'boundaries' }), stamp, resolve);
    expect(isRefusal(empty)).toBe(false);
    if (!isRefusal(empty))
      expect(workshopRefusal('running', actor.getSnapshot().context, empty)).toBe('A vote needs at least one card.');
  });
});

function S<T extends WorkshopCommand['type']>(type: T, body: unknown) {
  return WORKSHOP_COMMAND_SCHEMAS[type].parse(body) as Extract<WorkshopCommand, { type: T }>;
}
