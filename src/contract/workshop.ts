/**
 * Workshop mode's part of the contract (docs/workshops.md): the body that
 * creates a workshop, every command of `POST …/workshops/:wid/commands` as a
 * zod schema with the sentences a refusal carries, which permission each
 * command needs, how a parsed command becomes the statechart's event, and the
 * shapes the server answers with. The statechart (machines/workshop) decides
 * whether a command is possible now and answers 409 with a sentence when not.
 */
import { z } from 'zod';
import { STEP_IDS } from '../../machines/steps.ts';
import { BOARDS, type Board } from '../../machines/entities.ts';
import { NOTE_MAX_LENGTH } from '../../machines/events.ts';
import type { Action } from './permissions.ts';
import {
  ACTIVITIES,
  AGENDA_LIMITS,
  NOTE_LIMITS,
  REVEAL_GROUPINGS,
  TIMER_MAX_SECONDS,
  VOTE_LIMITS,
  type Attendee,
  type Refusal,
  type WorkshopEvent,
  type WorkshopStamp,
  type WorkshopStatus,
} from '../../machines/workshop/index.ts';

export type { WorkshopView, VoteView, AgendaItemView, PrivateCardView } from '../../machines/workshop/view.ts';
export type { Placement } from '../../machines/workshop/notes.ts';

const text = (max: number, required: string) =>
  z.string(required).trim().min(1, required).max(max, `At most ${max} characters.`);
const board = z.enum(BOARDS, `Choose a board: ${BOARDS.join(', ')}.`);
const step = z.enum(STEP_IDS as [string, ...string[]], 'No such step: see docs/workflow.md for the step ids.');
const id = (what: string) => z.string(`Say which ${what}.`).min(1, `Say which ${what}.`).max(200, `No such ${what}.`);
const seconds = z
  .number(`A whole number of seconds from 1 to ${TIMER_MAX_SECONDS}.`)
  .int(`A whole number of seconds from 1 to ${TIMER_MAX_SECONDS}.`)
  .min(1, `A whole number of seconds from 1 to ${TIMER_MAX_SECONDS}.`)
  .max(TIMER_MAX_SECONDS, `A whole number of seconds from 1 to ${TIMER_MAX_SECONDS}.`);
const yesNo = (what: string) => z.boolean(`Say whether ${what}: true or false.`);

const { minutesMin, minutesMax } = AGENDA_LIMITS;
const minutesRange = `A whole number of minutes from ${minutesMin} to ${minutesMax}.`;

export const AgendaItemBody = z.object({
  title: text(AGENDA_LIMITS.titleMax, 'An agenda item needs a title.'),
  minutes: z.number(minutesRange).int(minutesRange).min(minutesMin, minutesRange).max(minutesMax, minutesRange),
  activity: z.enum(ACTIVITIES, `Choose an activity: ${ACTIVITIES.join(', ')}.`),
  board: board.optional(),
  prompt: z.string().trim().max(AGENDA_LIMITS.promptMax, `At most ${AGENDA_LIMITS.promptMax} characters.`).optional(),
  step: step.optional(),
});

/** `POST /api/initiatives/:id/workshops` → `201 { id }`. `date`: when it is planned to start (ISO, with its offset). */
export const NewWorkshop = z.object({
  title: text(AGENDA_LIMITS.titleMax, 'A workshop needs a title.'),
  date: z.iso.datetime({ offset: true, error: 'A date and time such as 2026-12-03T09:00:00+01:00.' }).optional(),
  agenda: z
    .array(AgendaItemBody, 'An agenda is a list of items.')
    .min(1, 'Add at least one item to the agenda.')
    .max(AGENDA_LIMITS.itemsMax, `An agenda holds at most ${AGENDA_LIMITS.itemsMax} items.`),
});
export type NewWorkshop = z.infer<typeof NewWorkshop>;

const budgetRange = `A whole number of dots from 1 to ${VOTE_LIMITS.budgetMax}.`;
const dots = z.number(budgetRange).int(budgetRange).min(1, budgetRange).max(VOTE_LIMITS.budgetMax, budgetRange);

export const WORKSHOP_COMMAND_SCHEMAS = {
  'workshop.start': z.object({ type: z.literal('workshop.start') }),
  'workshop.end': z.object({ type: z.literal('workshop.end') }),
  'agenda.next': z.object({ type: z.literal('agenda.next') }),
  'agenda.goto': z.object({
    type: z.literal('agenda.goto'),
    index: z
      .number('Say which item: its place in the agenda, from 0.')
      .int('Say which item: its place in the agenda, from 0.')
      .min(0, 'Say which item: its place in the agenda, from 0.'),
  }),
  'timer.start': z.object({ type: z.literal('timer.start'), seconds }),
  'timer.pause': z.object({ type: z.literal('timer.pause') }),
  'timer.resume': z.object({ type: z.literal('timer.resume') }),
  'timer.add': z.object({ type: z.literal('timer.add'), seconds }),
  'vote.open': z
    .object({
      type: z.literal('vote.open'),
      cards: z
        .array(id('card'), 'Cards are a list of card ids.')
        .min(1, 'A vote needs at least one card.')
        .max(VOTE_LIMITS.cardsMax, `A vote takes at most ${VOTE_LIMITS.cardsMax} cards.`)
        .optional(),
      board: board.optional(),
      budget: dots,
      maxPerCard: dots,
      anonymous: yesNo('the vote is anonymous'),
    })
    .refine((c) => c.cards !== undefined || c.board !== undefined, {
      message: 'Say which cards the vote is on: a board (all its cards) or a list of cards.',
      path: ['cards'],
    }),
  'vote.cast': z.object({ type: z.literal('vote.cast'), voteId: id('vote'), card: id('card') }),
  'vote.retract': z.object({ type: z.literal('vote.retract'), voteId: id('vote'), card: id('card') }),
  'vote.close': z.object({ type: z.literal('vote.close'), voteId: id('vote') }),
  'private.add': z.object({
    type: z.literal('private.add'),
    text: text(NOTE_LIMITS.textMax, 'A card needs text.'),
    board: board.optional(),
  }),
  'private.reveal': z.object({
    type: z.literal('private.reveal'),
    anonymous: yesNo('authors stay anonymous'),
    groupBy: z.enum(REVEAL_GROUPINGS, `Group by ${REVEAL_GROUPINGS.join(' or ')}.`).optional(),
  }),
  'decision.record': z.object({
    type: z.literal('decision.record'),
    text: text(NOTE_MAX_LENGTH, 'A decision needs text: say what was decided.'),
    voteId: id('vote').optional(),
    step: step.optional(),
  }),
  'attendance.set': z.object({
    type: z.literal('attendance.set'),
    member: id('member'),
    present: yesNo('they attended'),
  }),
} as const;

export type WorkshopCommandType = keyof typeof WORKSHOP_COMMAND_SCHEMAS;
export type WorkshopCommand = {
  [T in WorkshopCommandType]: z.infer<(typeof WORKSHOP_COMMAND_SCHEMAS)[T]>;
}[WorkshopCommandType];

export function isWorkshopCommandType(type: unknown): type is WorkshopCommandType {
  return typeof type === 'string' && Object.hasOwn(WORKSHOP_COMMAND_SCHEMAS, type);
}

/** Said when a body's `type` is no workshop command. */
export function unknownWorkshopCommand(type: unknown): string {
  return `Unknown command ${JSON.stringify(type ?? null)}. Known commands: ${Object.keys(WORKSHOP_COMMAND_SCHEMAS).join(', ')}.`;
}

/**
 * The permission each command needs (actions of permissions.ts):
 * `runWorkshop` (admin, lead, facilitator) and `takePartInWorkshop` (admin,
 * lead, facilitator, participant). Seeing a workshop is `viewInitiative`.
 */
export type WorkshopAction = Extract<Action, 'runWorkshop' | 'takePartInWorkshop'>;

export const WORKSHOP_COMMAND_ACTIONS: Record<WorkshopCommandType, WorkshopAction> = {
  'workshop.start': 'runWorkshop',
  'workshop.end': 'runWorkshop',
  'agenda.next': 'runWorkshop',
  'agenda.goto': 'runWorkshop',
  'timer.start': 'runWorkshop',
  'timer.pause': 'runWorkshop',
  'timer.resume': 'runWorkshop',
  'timer.add': 'runWorkshop',
  'vote.open': 'runWorkshop',
  'vote.cast': 'takePartInWorkshop',
  'vote.retract': 'takePartInWorkshop',
  'vote.close': 'runWorkshop',
  'private.add': 'takePartInWorkshop',
  'private.reveal': 'runWorkshop',
  'decision.record': 'runWorkshop',
  'attendance.set': 'runWorkshop',
};

/** What the server looks up to turn a command into the statechart's event. */
export interface WorkshopResolver {
  /** The ids of the cards on `board`, in board order. */
  boardCards(board: Board): string[];
  /** A member of the initiative as an attendee, or null when there is none by that id. */
  person(memberId: string): Attendee | null;
}

/**
 * The statechart's event for a parsed command, stamped with who and the
 * server's clock; or a sentence when the command names a member who is not in
 * the initiative (404-like, answered as 409 by the server). A vote on a board
 * without a list of cards is on all of that board's cards.
 */
export function toWorkshopEvent(
  command: WorkshopCommand,
  stamp: WorkshopStamp,
  resolve: WorkshopResolver,
): WorkshopEvent | Refusal {
  switch (command.type) {
    case 'vote.open': {
      const { cards, ...rest } = command;
      return { ...rest, cards: cards ?? resolve.boardCards(command.board!), ...stamp };
    }
    case 'attendance.set': {
      const person = resolve.person(command.member);
      if (!person) return { refused: 'There is no such member in this initiative.' };
      return { type: 'attendance.set', person, present: command.present, ...stamp };
    }
    default:
      return { ...command, ...stamp };
  }
}

/** `GET /api/initiatives/:id/workshops`: one entry per workshop, newest first. */
export interface WorkshopSummary {
  id: string;
  title: string;
  date: string | null;
  status: WorkshopStatus;
  startedAt: string | null;
  endedAt: string | null;
  items: number;
  decisions: number;
}

/** `201` to `POST …/workshops`. */
export interface CreatedWorkshop {
  id: string;
}

/** `409` to a workshop command: the one sentence of the condition not met. */
export interface WorkshopRefused {
  error: string;
}
