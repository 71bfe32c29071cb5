/**
 * The windows that gather an initiative's document changes heard with log
 * numbers (server/portfolio/windows.ts): when each is due, what it answers for,
 * and how the changes heard meanwhile form the next one. The schedule and the
 * check are the test's; the check's effect on the stored figures is tested
 * across processes in portfolio-processes.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ChangeWindows, type Heard } from '../../server/portfolio/windows.ts';
import type { Schedule } from '../../server/workflow/runner.ts';

function windows(options: { pending?: (id: string) => boolean; recomputes?: boolean; gate?: Promise<void> } = {}) {
  const due: { task: () => void; ms: number; cancelled: boolean }[] = [];
  const schedule: Schedule = (task, ms) => {
    const entry = { task, ms, cancelled: false };
    due.push(entry);
    return () => void (entry.cancelled = true);
  };
  const checked: [string, Heard][] = [];
  const subject = new ChangeWindows({
    schedule,
    delayMs: 500,
    pending: options.pending ?? (() => false),
    check: async (id, window) => {
      checked.push([id, { ...window }]);
      await options.gate;
      return options.recomputes ?? true;
    },
    jitter: () => 0,
    failed: (_id, error) => {
      throw error;
    },
  });
  return {
    subject,
    checked,
    waiting: () => due.filter((e) => !e.cancelled).map((e) => e.ms),
    run: async () => {
      await Promise.all(due.splice(0).filter((e) => !e.cancelled).map((e) => Promise.resolve(e.task() as unknown)));
    },
  };
}

describe('ChangeWindows', () => {
  it('a window of ours is due after the delay, one of other processes after twice it; one per initiative', async () => {
    const w = windows();
    w.subject.heard('city', 4, true, 1_000);
    w.subject.heard('harbour', 9, false, 1_000);
    w.subject.heard('city', 5, true, 1_010);
    expect(w.waiting()).toEqual([500, 1_000]);
    await w.run();
    // Each answers for its first change; the city's second waits for the next window.
    expect(w.checked).toEqual([
      ['city', { seq: 4, stamp: 1_000, local: true }],
      ['harbour', { seq: 9, stamp: 1_000, local: false }],
    ]);
    expect(w.waiting()).toEqual([500]);
    await w.run();
    expect(w.checked[2]).toEqual(['city', { seq: 5, stamp: 1_010, local: true }]);
    expect(w.waiting()).toEqual([]);
  });

  it('a change of ours in a window of other processes makes it due after the delay', () => {
    const w = windows();
    w.subject.heard('city', 4, false, 1_000);
    expect(w.waiting()).toEqual([1_000]);
    w.subject.heard('city', 5, true, 1_200);
    expect(w.waiting()).toEqual([500]);
  });

  it('the next window answers for the highest number and latest time heard meanwhile, due as soon as one was ours', async () => {
    const w = windows();
    w.subject.heard('city', 4, false, 1_000);
    w.subject.heard('city', 7, false, 1_300);
    w.subject.heard('city', 6, true, 1_200);
    await w.run();
    expect(w.waiting()).toEqual([500]);
    await w.run();
    expect(w.checked.at(-1)).toEqual(['city', { seq: 7, stamp: 1_300, local: true }]);
  });

  it('after a check that found the figures stored, the next window follows: due after twice the delay, changes of ours too', async () => {
    const w = windows({ recomputes: false });
    w.subject.heard('city', 4, true, 1_000);
    w.subject.heard('city', 5, true, 1_100);
    await w.run();
    expect(w.waiting()).toEqual([1_000]);
    w.subject.heard('city', 6, true, 1_200);
    expect(w.waiting()).toEqual([1_000]);
  });

  it('windows wait a little more at random by default, up to a quarter of the delay', () => {
    const waits: number[] = [];
    const subject = new ChangeWindows({
      schedule: (_task, ms) => (waits.push(ms), () => {}),
      delayMs: 500,
      pending: () => false,
      check: async () => true,
      failed: () => {},
    });
    for (let i = 0; i < 50; i++) subject.heard(`initiative ${i}`, 1, true, 1_000);
    expect(waits.every((ms) => ms >= 500 && ms < 625)).toBe(true);
    expect(new Set(waits).size).toBeGreaterThan(1);
  });

  it('nothing is checked while a full recomputation already waits for the initiative', async () => {
    const w = windows({ pending: (id) => id === 'city' });
    w.subject.heard('city', 4, true, 1_000);
    w.subject.heard('city', 5, true, 1_100);
    await w.run();
    expect(w.checked).toEqual([]);
    expect(w.waiting()).toEqual([]);
  });

  it('closing checks every waiting window at once, with what was heard meanwhile', async () => {
    const w = windows();
    w.subject.heard('city', 4, false, 1_000);
    w.subject.heard('city', 8, true, 1_400);
    await w.subject.closeAll();
    expect(w.checked).toEqual([['city', { seq: 8, stamp: 1_400, local: true }]]);
    expect(w.waiting()).toEqual([]);
  });

  it('closing while a check runs: the close waits for it, checks what was heard meanwhile, and arms nothing more', async () => {
    let open = () => {};
    const w = windows({ gate: new Promise<void>((resolve) => (open = resolve)) });
    w.subject.heard('city', 4, true, 1_000);
    const running = w.run();
    await Promise.resolve();
    expect(w.checked).toHaveLength(1);
    // Heard while the check waits on the store: it would form the next window.
    w.subject.heard('city', 5, true, 1_010);
    let closed = false;
    const closing = w.subject.closeAll().then(() => void (closed = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(closed).toBe(false);
    open();
    await Promise.all([running, closing]);
    expect(w.checked.map(([, heard]) => heard.seq)).toEqual([4, 5]);
    expect(w.waiting()).toEqual([]);
  });
});
