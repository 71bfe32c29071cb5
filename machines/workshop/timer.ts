/**
 * The shared timer, on the server's clock. Pure arithmetic over an explicit
 * `now` (ms since the epoch, read from the server's clock by whoever calls):
 * nothing here reads a clock, so tests drive time and a restarted server
 * resumes the timer where it was.
 *
 * A running timer stores when it ends (`endsAt`), never a countdown, so its
 * state does not change as time passes and every client computes the same
 * remaining time from it (docs/workshops.md, "Time"). A paused timer stores
 * what is left.
 */
import { plural, refuse, type Outcome } from './outcome.ts';

export type TimerState = { running: true; endsAt: number } | { running: false; remainingMs: number };

/** What every view carries: `endsAt` while running (null when paused), and what is left at `now`. */
export interface TimerView {
  running: boolean;
  endsAt: number | null;
  remainingMs: number;
}

/** The longest timer and the most added at once, in seconds (4 hours). */
export const TIMER_MAX_SECONDS = 4 * 60 * 60;

const SECOND = 1000;

export const idleTimer = (remainingMs = 0): TimerState => ({ running: false, remainingMs });

/** What is left at `now`, in ms: never below zero. */
export function remaining(timer: TimerState, now: number): number {
  return timer.running ? Math.max(0, timer.endsAt - now) : timer.remainingMs;
}

/** Whether the timer has run down to zero (a running timer past its end). */
export const atZero = (timer: TimerState, now: number) => remaining(timer, now) === 0;

function secondsProblem(seconds: number): string | null {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > TIMER_MAX_SECONDS) {
    return `Give the timer a whole number of seconds from 1 to ${TIMER_MAX_SECONDS}.`;
  }
  return null;
}

/** A fresh countdown of `seconds` from `now`, whatever the timer was doing. */
export function start(_timer: TimerState, seconds: number, now: number): Outcome<TimerState> {
  const problem = secondsProblem(seconds);
  return problem ? refuse(problem) : { running: true, endsAt: now + seconds * SECOND };
}

export function pause(timer: TimerState, now: number): Outcome<TimerState> {
  if (!timer.running) return refuse('The timer is not running.');
  if (atZero(timer, now)) return refuse('The timer has reached zero: add time or start it again.');
  return { running: false, remainingMs: remaining(timer, now) };
}

export function resume(timer: TimerState, now: number): Outcome<TimerState> {
  // A running timer past its end reads as stopped at zero (timerView): nothing to resume.
  if (remaining(timer, now) === 0) return refuse('The timer has no time left: start it with a length or add time.');
  if (timer.running) return refuse('The timer is already running.');
  return { running: true, endsAt: now + timer.remainingMs };
}

/**
 * `seconds` more: a running timer ends later (one that reached zero restarts
 * from `now`), a paused one has more left.
 */
export function add(timer: TimerState, seconds: number, now: number): Outcome<TimerState> {
  const problem = secondsProblem(seconds);
  if (problem) return refuse(problem);
  const left = remaining(timer, now) + seconds * SECOND;
  if (left > TIMER_MAX_SECONDS * SECOND) {
    return refuse(`A timer runs at most ${plural(TIMER_MAX_SECONDS / 3600, 'hour')}.`);
  }
  return timer.running ? { running: true, endsAt: now + left } : { running: false, remainingMs: left };
}

/** The timer as views show it at `now`: a timer at zero reads as not running. */
export function timerView(timer: TimerState, now: number): TimerView {
  const left = remaining(timer, now);
  return timer.running && left > 0
    ? { running: true, endsAt: timer.endsAt, remainingMs: left }
    : { running: false, endsAt: null, remainingMs: left };
}

/**
 * What a client shows at its own `clientNow`, from a view it received when
 * its clock read `receivedAt` and the server's read `view.serverNow`: the
 * offset between the clocks cancels out, so a client whose clock is hours off
 * shows the same time left as the server.
 */
export function clientRemaining(
  view: { timer: TimerView; serverNow: number },
  receivedAt: number,
  clientNow: number,
): number {
  const { timer, serverNow } = view;
  if (!timer.running || timer.endsAt === null) return timer.remainingMs;
  const serverNowEstimate = serverNow + (clientNow - receivedAt);
  return Math.max(0, timer.endsAt - serverNowEstimate);
}
