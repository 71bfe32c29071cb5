import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  beyondSpread,
  clockTicksPerSecond,
  cpuMsBetween,
  parseProcStat,
  parseSchedstat,
  parseRssBytes,
  phaseCost,
  ratioSpread,
  readProcess,
  roundRatios,
  toSample,
} from '../../bench/cpu.ts';

/** Burns CPU in this process until its own clock says `ms` more of user+system time went by. */
function busy(ms: number): number {
  const start = process.cpuUsage();
  let x = 0;
  for (;;) {
    for (let i = 0; i < 100_000; i++) x = (x * 31 + i) % 1_000_003;
    const used = process.cpuUsage(start);
    if ((used.user + used.system) / 1000 >= ms) return x;
  }
}

describe('/proc/<pid>/stat', () => {
  it('reads utime and stime (fields 14 and 15) after a command name holding spaces and parentheses', () => {
    // A real line of `cat`, its command name replaced by a hostile one.
    const line = '9610 (my (odd) server) R 9607 9607 6431 0 -1 4194304 99 0 0 0 1234 56 0 0 20 0 3 0 4197555 3133440 412 18446744073709551615 0\n';
    expect(parseProcStat(line)).toEqual({ userTicks: 1234, systemTicks: 56 });
  });

  it('refuses a line that is not a stat line, saying so', () => {
    expect(() => parseProcStat('hello')).toThrow(/not a \/proc\/<pid>\/stat line/);
    expect(() => parseProcStat('1 (x) R 2 3')).toThrow(/without utime and stime/);
  });

  it('reads VmRSS in bytes, and says when it is missing', () => {
    expect(parseRssBytes('Name:\tnode\nVmHWM:\t  9999 kB\nVmRSS:\t  20480 kB\nRssAnon:\t 100 kB\n')).toBe(20480 * 1024);
    expect(() => parseRssBytes('Name:\tnode\n')).toThrow(/no VmRSS/);
  });

  it('the real /proc of this process: its CPU time grows by the busy work done, in clock ticks of getconf CLK_TCK', () => {
    const perSecond = clockTicksPerSecond();
    expect(perSecond).toBeGreaterThan(0);
    // The parser agrees with the kernel's own line for this process.
    const ticks = parseProcStat(readFileSync(`/proc/${process.pid}/stat`, 'utf8'));
    expect(ticks.userTicks).toBeGreaterThan(0);

    const before = readProcess(process.pid);
    const ownBefore = process.cpuUsage();
    busy(200);
    const after = readProcess(process.pid);
    const own = process.cpuUsage(ownBefore);
    const grewMs = after.cpuMs - before.cpuMs;
    const ownMs = (own.user + own.system) / 1000;
    // /proc counts whole ticks and every thread of the process (the GC's too), so allow two ticks less and some more.
    const tickMs = 1000 / perSecond;
    expect(grewMs).toBeGreaterThanOrEqual(ownMs - 2 * tickMs);
    expect(grewMs).toBeLessThan(ownMs * 1.5 + 2 * tickMs);
    expect(after.rssBytes).toBeGreaterThan(1024 * 1024);
  });

  it("each thread's run time (schedstat): the same busy work, to well under a tick", () => {
    const before = readProcess(process.pid);
    expect(before.threadNs?.get(String(process.pid))).toBeGreaterThan(0);
    const ownBefore = process.cpuUsage();
    busy(30);
    const after = readProcess(process.pid);
    const own = process.cpuUsage(ownBefore);
    const ownMs = (own.user + own.system) / 1000;
    const grewMs = cpuMsBetween(before, after);
    // Every thread is counted (the GC's too), so a little more than this thread's own, never less.
    expect(grewMs).toBeGreaterThanOrEqual(ownMs * 0.95);
    expect(grewMs).toBeLessThan(ownMs * 1.3 + 2);
    // What phaseCost takes: the threads' figure, not the ticks'.
    expect(phaseCost(before, after, { edits: 1, delivered: 1, seconds: 1 }).cpuMs).toBe(grewMs);
  });
});

describe('/proc/<pid>/task/<tid>/schedstat', () => {
  it('reads the run time in nanoseconds (its first field), and refuses anything else', () => {
    expect(parseSchedstat('2143962847 73829402 2301\n')).toBe(2143962847);
    expect(() => parseSchedstat('')).toThrow(/not a schedstat line/);
    expect(() => parseSchedstat('x 1 2')).toThrow(/not a schedstat line/);
  });

  it('CPU between two samples: thread by thread, a new thread from zero, an ended one left out; ticks when a sample has no threads', () => {
    const s = (cpuMs: number, threads?: [string, number][]) => ({ cpuMs, systemMs: 0, rssBytes: 0, ...(threads ? { threadNs: new Map(threads) } : {}) });
    const before = s(100, [['1', 5_000_000], ['2', 1_000_000], ['3', 9_000_000]]);
    // Thread 3 ended, thread 4 started and ran 0.5 ms; thread 1 ran 2 ms, thread 2 0.25 ms.
    const after = s(110, [['1', 7_000_000], ['2', 1_250_000], ['4', 500_000]]);
    expect(cpuMsBetween(before, after)).toBeCloseTo(2.75, 9);
    expect(cpuMsBetween(s(100), after)).toBe(10);
    expect(cpuMsBetween(before, s(130))).toBe(30);
  });
});

describe('per-update arithmetic', () => {
  it('turns ticks into milliseconds at the given tick rate', () => {
    expect(toSample({ userTicks: 150, systemTicks: 50 }, 7, 100)).toEqual({ cpuMs: 2000, systemMs: 500, rssBytes: 7 });
    expect(toSample({ userTicks: 150, systemTicks: 50 }, 7, 250)).toEqual({ cpuMs: 800, systemMs: 200, rssBytes: 7 });
  });

  it('CPU per delivered update and per edit, updates per second and per cent of a core', () => {
    const before = { cpuMs: 1000, systemMs: 100, rssBytes: 0 };
    const after = { cpuMs: 1490, systemMs: 150, rssBytes: 0 };
    // 10 rounds of 50 writers in a room of 50: 500 edits, each delivered to 49 others, in 2 s.
    const cost = phaseCost(before, after, { edits: 500, delivered: 500 * 49, seconds: 2 });
    expect(cost.cpuMs).toBe(490);
    expect(cost.cpuMsPerDelivered).toBeCloseTo(0.02, 12);
    expect(cost.cpuMsPerEdit).toBeCloseTo(0.98, 12);
    expect(cost.updatesPerSecond).toBe(250);
    expect(cost.cpuPercent).toBeCloseTo(24.5, 12);
  });

  it('refuses a phase with nothing delivered, or samples out of order, saying which', () => {
    const s = (cpuMs: number) => ({ cpuMs, systemMs: 0, rssBytes: 0 });
    expect(() => phaseCost(s(0), s(10), { edits: 5, delivered: 0, seconds: 1 })).toThrow(/needs edits, deliveries and time/);
    expect(() => phaseCost(s(10), s(0), { edits: 5, delivered: 5, seconds: 1 })).toThrow(/went backwards/);
  });

  it('ratios round by round, their median and spread', () => {
    const ratios = roundRatios([11, 12, 9, 10, 13], [10, 10, 10, 10, 10]);
    expect(ratios.map((r) => Math.round(r * 100) / 100)).toEqual([1.1, 1.2, 0.9, 1, 1.3]);
    const spread = ratioSpread(ratios);
    expect(spread.median).toBeCloseTo(1.1, 12);
    expect(spread.min).toBeCloseTo(0.9, 12);
    expect(spread.max).toBeCloseTo(1.3, 12);
    expect(spread.q1).toBeCloseTo(1.0, 12);
    expect(spread.q3).toBeCloseTo(1.2, 12);
    expect(() => roundRatios([1, 2], [1])).toThrow(/rounds differ/);
    expect(() => roundRatios([1], [0])).toThrow(/no ratio/);
    expect(() => ratioSpread([])).toThrow(/no rounds/);
  });

  it('an A/B ratio inside the A/A spread reads as no difference; outside, as one', () => {
    const aa = ratioSpread([0.97, 1.02, 1.04, 0.99, 1.0]);
    expect(beyondSpread(1.03, aa)).toBe(false);
    expect(beyondSpread(0.97, aa)).toBe(false);
    expect(beyondSpread(1.1, aa)).toBe(true);
    expect(beyondSpread(0.9, aa)).toBe(true);
  });
});
