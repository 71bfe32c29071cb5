import { describe, expect, it } from 'vitest';
import { ClockOffset } from '../../src/workshop/clockOffset.ts';

// The server's clock reads 1,000,000 ms more than this browser's performance.now().
const THETA = 1_000_000;

describe('the estimate of the server clock', () => {
  it('is unknown before any view', () => {
    expect(new ClockOffset().offset).toBeNaN();
  });

  it('a slow view (a reload on a loaded machine) is corrected by a faster one, never the other way', () => {
    const clock = new ClockOffset();
    // Stamped at local 100 (server 100 + θ), arrived 400 ms later.
    clock.sample(100 + THETA, 500);
    expect(THETA - clock.offset).toBe(400);
    // A stream view that took 20 ms.
    clock.sample(1_000 + THETA, 1_020);
    expect(THETA - clock.offset).toBe(20);
    // A slower one later does not undo it.
    clock.sample(2_000 + THETA, 2_500);
    expect(THETA - clock.offset).toBe(20);
  });

  it('an answer to a request bounds it from both sides: the middle is within half the round trip', () => {
    const clock = new ClockOffset();
    // Sent at 0, stamped at local 300 (the server was slow to start), arrived at 310.
    clock.sample(300 + THETA, 310, 0);
    expect(Math.abs(clock.offset - THETA)).toBeLessThanOrEqual(155);
    // A quick second reading: sent 1,000, stamped 1,004, arrived 1,010.
    clock.sample(1_004 + THETA, 1_010, 1_000);
    expect(Math.abs(clock.offset - THETA)).toBeLessThanOrEqual(5);
  });

  it('starts over when the bounds cross (the server clock jumped)', () => {
    const clock = new ClockOffset();
    clock.sample(1_004 + THETA, 1_010, 1_000);
    // The server's clock went back an hour.
    clock.sample(2_004 + THETA - 3_600_000, 2_010, 2_000);
    expect(Math.abs(clock.offset - (THETA - 3_600_000))).toBeLessThanOrEqual(5);
  });

  it('says how far off it may be: unknown with only lower bounds, half the narrowest bounds after a round trip', () => {
    const clock = new ClockOffset();
    expect(clock.uncertainty).toBe(Infinity);
    clock.sample(100 + THETA, 500);
    expect(clock.uncertainty).toBe(Infinity);
    // Sent at 1,000, arrived at 1,300: the offset lies within a 300 ms window.
    clock.sample(1_150 + THETA, 1_300, 1_000);
    expect(clock.uncertainty).toBe(150);
    // A quick reading narrows it: sent 2,000, arrived 2,020.
    clock.sample(2_010 + THETA, 2_020, 2_000);
    expect(clock.uncertainty).toBe(10);
    expect(Math.abs(clock.offset - THETA)).toBeLessThanOrEqual(clock.uncertainty);
  });
});
