import { describe, expect, it } from 'vitest';
import {
  clientRemaining,
  isRefusal,
  remaining,
  timer,
  timerView,
  TIMER_MAX_SECONDS,
  type Outcome,
  type TimerState,
} from '../../../machines/workshop/index.ts';
import { T0 } from './fixtures.ts';

const ok = (outcome: Outcome<TimerState>): TimerState => {
  if (isRefusal(outcome)) throw new Error(outcome.refused);
  return outcome;
};
const refusal = (outcome: Outcome<TimerState>) => (isRefusal(outcome) ? outcome.refused : null);

describe('timer: arithmetic on the server clock', () => {
  const idle = timer.idleTimer();

  it('counts down from a start, stops at zero, and reads the same however often it is asked', () => {
    const running = ok(timer.start(idle, 300, T0));
    expect(running).toEqual({ running: true, endsAt: T0 + 300_000 });
    expect(remaining(running, T0)).toBe(300_000);
    expect(remaining(running, T0 + 120_500)).toBe(179_500);
    expect(remaining(running, T0 + 120_500)).toBe(179_500);
    expect(remaining(running, T0 + 300_000)).toBe(0);
    expect(remaining(running, T0 + 999_000)).toBe(0);
    expect(timerView(running, T0 + 60_000)).toEqual({ running: true, endsAt: T0 + 300_000, remainingMs: 240_000 });
    expect(timerView(running, T0 + 400_000)).toEqual({ running: false, endsAt: null, remainingMs: 0 });
  });

  it('pauses with what is left and resumes from it, however long the pause', () => {
    const running = ok(timer.start(idle, 600, T0));
    const paused = ok(timer.pause(running, T0 + 200_000));
    expect(paused).toEqual({ running: false, remainingMs: 400_000 });
    expect(remaining(paused, T0 + 3_600_000)).toBe(400_000);
    const resumed = ok(timer.resume(paused, T0 + 3_600_000));
    expect(resumed).toEqual({ running: true, endsAt: T0 + 3_600_000 + 400_000 });
    expect(remaining(resumed, T0 + 3_700_000)).toBe(300_000);
  });

  it('adds a minute to a running timer, to a paused one, and restarts one that reached zero', () => {
    const running = ok(timer.start(idle, 120, T0));
    expect(remaining(ok(timer.add(running, 60, T0 + 30_000)), T0 + 30_000)).toBe(150_000);
    const paused = ok(timer.pause(running, T0 + 100_000));
    expect(ok(timer.add(paused, 60, T0 + 500_000))).toEqual({ running: false, remainingMs: 80_000 });
    // Past zero: a minute from now, not from the old end.
    expect(ok(timer.add(running, 60, T0 + 500_000))).toEqual({ running: true, endsAt: T0 + 560_000 });
  });

  it('starts afresh over whatever it was doing', () => {
    const paused = ok(timer.pause(ok(timer.start(idle, 600, T0)), T0 + 1000));
    expect(ok(timer.start(paused, 90, T0 + 5000))).toEqual({ running: true, endsAt: T0 + 95_000 });
  });

  it('refuses what makes no sense, in words, and changes nothing', () => {
    const running = ok(timer.start(idle, 60, T0));
    expect(refusal(timer.pause(idle, T0))).toBe('The timer is not running.');
    expect(refusal(timer.pause(running, T0 + 61_000))).toBe('The timer has reached zero: add time or start it again.');
    expect(refusal(timer.resume(running, T0))).toBe('The timer is already running.');
    expect(refusal(timer.resume(idle, T0))).toBe('The timer has no time left: start it with a length or add time.');
    for (const seconds of [0, -5, 1.5, TIMER_MAX_SECONDS + 1, Number.NaN]) {
      expect(refusal(timer.start(idle, seconds, T0))).toBe(
        `Give the timer a whole number of seconds from 1 to ${TIMER_MAX_SECONDS}.`,
      );
      expect(refusal(timer.add(running, seconds, T0))).toMatch(/^Give the timer a whole number of seconds/);
    }
    const long = ok(timer.start(idle, TIMER_MAX_SECONDS, T0));
    expect(refusal(timer.add(long, 60, T0))).toBe('A timer runs at most 4 hours.');
  });
});

describe('timer: every client shows the server’s time left', () => {
  it('answers the same remaining time after a reconnect: the stored state is the same at any moment', () => {
    const running = ok(timer.start(timer.idleTimer(), 300, T0));
    const stored = JSON.stringify(running);
    // A restarted server, or a client that reconnects 42.3 s later, reads the stored state anew.
    const later = T0 + 42_300;
    const reread = JSON.parse(stored) as TimerState;
    expect(timerView(reread, later)).toEqual(timerView(running, later));
    expect(timerView(reread, later).remainingMs).toBe(257_700);
  });

  it('lets a client whose clock is hours off compute the server’s remaining time from the offset', () => {
    const running = ok(timer.start(timer.idleTimer(), 300, T0));
    const serverNow = T0 + 10_000;
    const view = { timer: timerView(running, serverNow), serverNow };
    for (const skew of [0, 3 * 3_600_000, -7 * 60_000 - 123]) {
      const receivedAt = serverNow + skew;
      // 1.5 s later on both clocks: the client shows what the server computes.
      expect(clientRemaining(view, receivedAt, receivedAt + 1_500)).toBe(remaining(running, serverNow + 1_500));
      expect(clientRemaining(view, receivedAt, receivedAt + 400_000)).toBe(0);
    }
    const paused = ok(timer.pause(running, serverNow));
    expect(clientRemaining({ timer: timerView(paused, serverNow), serverNow }, 5, 99_999)).toBe(290_000);
  });
});
