/**
 * What one person sees of a workshop (`GET …/workshops/:wid`, every event of
 * its stream): the agenda with planned and actual times, the current item, the
 * timer with the server's clock, the votes without anyone's ballot, their own
 * private cards only, the decisions and the attendance.
 *
 * The guarantees (docs/workshops.md): no view carries another person's dots
 * while a vote is open, nor ever for an anonymous vote (only its totals); no
 * view carries another person's private card, nor its text, nor who wrote it.
 */
import type { Sector } from '../domain.ts';
import type { Board } from '../entities.ts';
import { plannedTimes, type AgendaItem } from './agenda.ts';
import { missingSectors, type AttendanceEntry } from './attendance.ts';
import { currentItem, type WorkshopContext, type WorkshopStatus } from './context.ts';
import type { Decision } from './decisions.ts';
import { timerView, type TimerView } from './timer.ts';
import { dotsOf, finishedCount, type CardResult, type Turnout, type Vote } from './votes.ts';

export interface AgendaItemView extends AgendaItem {
  index: number;
  /** Planned start and end (ms): from the actual start once started, from the date before; null without either. */
  plannedStart: number | null;
  plannedEnd: number | null;
  /** Actual times (ISO) and the time spent so far (ms, the current stretch included). */
  startedAt: string | null;
  endedAt: string | null;
  spentMs: number;
}

export interface VoteView {
  id: string;
  status: 'open' | 'closed';
  board?: Board;
  cards: string[];
  budget: number;
  maxPerCard: number;
  anonymous: boolean;
  /** How many people have placed their whole budget. */
  finished: number;
  /** Once closed: per card, most dots first, and how many people voted (per group of the breakdowns). */
  results?: CardResult[];
  turnout?: Turnout;
  /** While open: the caller's own dots per card. */
  mine?: Record<string, number>;
}

export interface PrivateCardView {
  id: string;
  text: string;
  board: Board;
  item: number;
  at: string;
}

export interface WorkshopView {
  title: string;
  date: string | null;
  status: WorkshopStatus;
  startedAt: string | null;
  endedAt: string | null;
  agenda: AgendaItemView[];
  current: { index: number; item: AgendaItem } | null;
  timer: TimerView;
  /** The server's clock when the view was made (ms): clients compute the time left from their offset to it. */
  serverNow: number;
  votes: VoteView[];
  /** The caller's own private cards, not yet revealed. */
  privateCards: PrivateCardView[];
  /** How many private cards everyone holds (a count only), and how many were revealed. */
  privateHeld: number;
  revealed: number;
  decisions: Decision[];
  attendance: { people: AttendanceEntry[]; missingSectors: Sector[] };
}

/** Who is looking: only their own dots and private cards are theirs to see. */
export interface WorkshopCaller {
  id: string;
}

export function voteView(vote: Vote, caller: WorkshopCaller): VoteView {
  const { id, status, board, cards, budget, maxPerCard, anonymous } = vote;
  const view: VoteView = {
    id,
    status,
    cards: [...cards],
    budget,
    maxPerCard,
    anonymous,
    finished: finishedCount(vote),
  };
  if (board) view.board = board;
  if (vote.status === 'open') view.mine = dotsOf(vote, caller.id);
  else {
    view.turnout = structuredClone(vote.turnout);
    view.results = vote.results.map(({ card, dots, bySector, byRole, voters }) => {
      const result: CardResult = { card, dots, bySector: { ...bySector }, byRole: { ...byRole } };
      if (!anonymous && voters) result.voters = voters.map((v) => ({ ...v }));
      return result;
    });
  }
  return view;
}

function agendaView(context: WorkshopContext, now: number): AgendaItemView[] {
  const from = context.startedAt ?? context.date;
  const start = from === null ? NaN : Date.parse(from);
  const planned = Number.isNaN(start) ? null : plannedTimes(context.agenda, start);
  return context.agenda.map((item, index) => {
    const record = context.items[index];
    const running = record.since === null ? 0 : now - record.since;
    return {
      ...item,
      index,
      plannedStart: planned?.[index].startsAt ?? null,
      plannedEnd: planned?.[index].endsAt ?? null,
      startedAt: record.startedAt,
      endedAt: record.endedAt,
      spentMs: record.spentMs + Math.max(0, running),
    };
  });
}

/** The workshop in `status` with `context`, as `caller` sees it at the server's `now`. */
export function workshopView(
  status: WorkshopStatus,
  context: WorkshopContext,
  caller: WorkshopCaller,
  now: number,
): WorkshopView {
  const item = currentItem(context);
  return {
    title: context.title,
    date: context.date,
    status,
    startedAt: context.startedAt,
    endedAt: context.endedAt,
    agenda: agendaView(context, now),
    current: item === null ? null : { index: context.current!, item: { ...item } },
    timer: timerView(context.timer, now),
    serverNow: now,
    votes: context.votes.map((vote) => voteView(vote, caller)),
    privateCards: context.notes
      .filter((note) => note.author.id === caller.id)
      .map(({ id, text, board, item: index, at }) => ({ id, text, board, item: index, at })),
    privateHeld: context.notes.length,
    revealed: context.revealed,
    decisions: context.decisions.map((d) => ({ ...d, by: { ...d.by } })),
    attendance: {
      people: context.attendance.map((e) => ({ ...e })),
      missingSectors: missingSectors(context.attendance),
    },
  };
}
