/**
 * The workshop's rules in one pure function: what an event changes in the
 * context, or why it is refused, in words. The statechart (./workshop.ts)
 * guards every event with it and assigns what it answers; the server answers
 * `409` with the same sentence (`workshopRefusal`), so the two cannot disagree.
 */
import { markSeen, setAttendance } from './attendance.ts';
import { currentItem, type ItemRecord, type WorkshopContext, type WorkshopStatus } from './context.ts';
import { decisionProblem, type Decision } from './decisions.ts';
import type { WorkshopEvent } from './events.ts';
import { noteProblem, revealPlacements, type Placement } from './notes.ts';
import { isRefusal, refuse, type Outcome } from './outcome.ts';
import * as timer from './timer.ts';
import { castDot, closeVote, openVote, retractDot, type Vote } from './votes.ts';

export type Patch = Partial<WorkshopContext>;

const iso = (now: number) => new Date(now).toISOString();

/** The item records with the current stretch ended at `now`. */
function leaveItem(context: WorkshopContext, now: number): ItemRecord[] {
  const items = context.items.map((r) => ({ ...r }));
  const record = context.current === null ? undefined : items[context.current];
  if (record && record.since !== null) {
    record.spentMs += now - record.since;
    record.endedAt = iso(now);
    record.since = null;
  }
  return items;
}

/** Into item `index`: its record started, the timer set (paused) to the item's minutes. */
function enterItem(context: WorkshopContext, index: number, now: number): Patch {
  const items = leaveItem(context, now);
  const record = items[index];
  record.startedAt ??= iso(now);
  record.endedAt = null;
  record.since = now;
  return { current: index, items, timer: timer.idleTimer(context.agenda[index].minutes * 60_000) };
}

const nextId = (context: WorkshopContext, kind: string) => ({ seq: context.seq + 1, id: `${kind}-${context.seq + 1}` });

function withVote(context: WorkshopContext, voteId: string, change: (vote: Vote) => Outcome<Vote>): Outcome<Patch> {
  const index = context.votes.findIndex((v) => v.id === voteId);
  if (index === -1) return refuse(`There is no vote "${voteId}" in this workshop.`);
  const vote = change(context.votes[index]);
  if (isRefusal(vote)) return vote;
  const votes = [...context.votes];
  votes[index] = vote;
  return { votes };
}

const timerPatch = (outcome: Outcome<timer.TimerState>): Outcome<Patch> =>
  isRefusal(outcome) ? outcome : { timer: outcome };

/** What `event` changes while the workshop is in `status`, or why it is refused. */
export function applyEvent(status: WorkshopStatus, context: WorkshopContext, event: WorkshopEvent): Outcome<Patch> {
  const { now } = event;
  const at = iso(now);
  if (status === 'ended') return refuse('The workshop has ended.');
  if (status === 'draft') {
    if (event.type !== 'workshop.start') return refuse('The workshop has not started yet: start it first.');
    if (context.agenda.length === 0) return refuse('Add at least one item to the agenda first.');
    return { ...enterItem(context, 0, now), startedAt: at, attendance: markSeen(context.attendance, event.by, at) };
  }
  switch (event.type) {
    case 'workshop.start':
      return refuse('The workshop is already running.');
    case 'workshop.end': {
      const votes = context.votes.map((v) => (v.status === 'open' ? (closeVote(v, at) as Vote) : v));
      return { items: leaveItem(context, now), current: null, endedAt: at, timer: timer.idleTimer(), votes };
    }
    case 'agenda.next': {
      const index = (context.current ?? -1) + 1;
      if (index >= context.agenda.length) {
        return refuse(`"${currentItem(context)?.title}" is the last item: end the workshop instead.`);
      }
      return enterItem(context, index, now);
    }
    case 'agenda.goto': {
      const { index } = event;
      const count = context.agenda.length;
      if (!Number.isInteger(index) || index < 0 || index >= count) {
        return refuse(`There is no item ${index + 1}: the agenda has ${count} ${count === 1 ? 'item' : 'items'}.`);
      }
      if (index === context.current) return refuse(`"${context.agenda[index].title}" is the current item.`);
      return enterItem(context, index, now);
    }
    case 'timer.start':
      return timerPatch(timer.start(context.timer, event.seconds, now));
    case 'timer.pause':
      return timerPatch(timer.pause(context.timer, now));
    case 'timer.resume':
      return timerPatch(timer.resume(context.timer, now));
    case 'timer.add':
      return timerPatch(timer.add(context.timer, event.seconds, now));
    case 'vote.open': {
      const { seq, id } = nextId(context, 'vote');
      const { cards, board, budget, maxPerCard, anonymous } = event;
      const vote = openVote(id, { cards, board, budget, maxPerCard, anonymous }, at, context.current);
      return isRefusal(vote) ? vote : { seq, votes: [...context.votes, vote] };
    }
    case 'vote.cast':
      return withVote(context, event.voteId, (v) => castDot(v, event.by, event.card));
    case 'vote.retract':
      return withVote(context, event.voteId, (v) => retractDot(v, event.by.id, event.card));
    case 'vote.close':
      return withVote(context, event.voteId, (v) => closeVote(v, at));
    case 'private.add': {
      const item = currentItem(context);
      const problem = noteProblem(item, event.text, event.board, context.notes.length);
      if (problem) return refuse(problem);
      const { seq, id } = nextId(context, 'note');
      const { id: authorId, name, sector } = event.by;
      const note = {
        id,
        author: { id: authorId, name, sector },
        text: event.text.trim(),
        board: (event.board ?? item!.board)!,
        item: context.current!,
        at,
      };
      return { seq, notes: [...context.notes, note] };
    }
    case 'private.reveal':
      if (context.notes.length === 0) return refuse('There are no private cards to reveal.');
      return { notes: [], revealed: context.revealed + context.notes.length };
    case 'decision.record': {
      const problem = decisionProblem(event, context.votes);
      if (problem) return refuse(problem);
      const { seq, id } = nextId(context, 'decision');
      const decision: Decision = {
        id,
        text: event.text.trim(),
        by: { id: event.by.id, name: event.by.name },
        at,
        item: context.current,
      };
      if (event.voteId !== undefined) decision.voteId = event.voteId;
      if (event.step !== undefined) decision.step = event.step;
      return { seq, decisions: [...context.decisions, decision] };
    }
    case 'attendance.seen':
      return { attendance: markSeen(context.attendance, event.by, at) };
    case 'attendance.set':
      return { attendance: setAttendance(context.attendance, event.person, event.present, at) };
  }
}

/** Why the workshop would refuse `event` now, in one sentence; null when it would be accepted. */
export function workshopRefusal(status: WorkshopStatus, context: WorkshopContext, event: WorkshopEvent): string | null {
  const outcome = applyEvent(status, context, event);
  return isRefusal(outcome) ? outcome.refused : null;
}

/** The cards a `private.reveal` places, from the notes held before it. */
export function placementsOf(context: WorkshopContext, event: WorkshopEvent): Placement[] {
  if (event.type !== 'private.reveal') return [];
  return revealPlacements(context.notes, { anonymous: event.anonymous, groupBy: event.groupBy ?? 'author' });
}
