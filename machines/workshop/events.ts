/**
 * What the workshop's statechart receives (./workshop.ts): the commands of
 * docs/workshops.md once the server has resolved and stamped them: who sent it
 * (`by`, from the session and the member record) and the server's clock
 * (`now`, ms since the epoch). The request body never carries either.
 *
 * Two commands arrive resolved: `vote.open` carries the card ids (the server
 * reads a board's cards from the document when the caller named a board only),
 * and `attendance.set` the person (the caller names a member id).
 */
import type { Board } from '../entities.ts';
import type { AgendaItem } from './agenda.ts';
import type { Attendee } from './attendance.ts';
import type { RevealGrouping } from './notes.ts';

export interface WorkshopStamp {
  by: Attendee;
  /** The server's clock when the command arrived, ms since the epoch. */
  now: number;
}

type Stamped<E> = E & WorkshopStamp;

export type WorkshopEvent = Stamped<
  | { type: 'workshop.start' }
  | { type: 'workshop.end' }
  | { type: 'agenda.next' }
  | { type: 'agenda.goto'; index: number }
  | { type: 'timer.start'; seconds: number }
  | { type: 'timer.pause' }
  | { type: 'timer.resume' }
  | { type: 'timer.add'; seconds: number }
  | { type: 'vote.open'; cards: string[]; board?: Board; budget: number; maxPerCard: number; anonymous: boolean }
  | { type: 'vote.cast'; voteId: string; card: string }
  | { type: 'vote.retract'; voteId: string; card: string }
  | { type: 'vote.close'; voteId: string }
  | { type: 'private.add'; text: string; board?: Board }
  | { type: 'private.reveal'; anonymous: boolean; groupBy?: RevealGrouping }
  | { type: 'decision.record'; text: string; voteId?: string; step?: string }
  | { type: 'attendance.seen' }
  | { type: 'attendance.set'; person: Attendee; present: boolean }
>;

export type WorkshopEventType = WorkshopEvent['type'];

export const WORKSHOP_EVENT_TYPES = [
  'workshop.start',
  'workshop.end',
  'agenda.next',
  'agenda.goto',
  'timer.start',
  'timer.pause',
  'timer.resume',
  'timer.add',
  'vote.open',
  'vote.cast',
  'vote.retract',
  'vote.close',
  'private.add',
  'private.reveal',
  'decision.record',
  'attendance.seen',
  'attendance.set',
] as const satisfies readonly WorkshopEventType[];

/** What the workshop is created with (`POST …/workshops`), once validated. */
export interface WorkshopInput {
  title: string;
  /** When it is planned to start, an ISO date-time; null when not said. */
  date: string | null;
  agenda: AgendaItem[];
}
