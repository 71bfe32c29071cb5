/** A heartbeat clock for RedisFanout that the test moves (server/sync/fanout.ts `FanoutClock`). */
import type { FanoutClock } from '../../server/sync/fanout.ts';

/** `advance` moves the time and runs every periodic task (the heartbeat and its timeout check) once. */
export function manualClock(start = 1_000_000) {
  let now = start;
  const ticks = new Set<() => void>();
  const clock: FanoutClock = {
    now: () => now,
    every: (_ms, tick) => {
      ticks.add(tick);
      return () => void ticks.delete(tick);
    },
  };
  return {
    clock,
    advance(ms: number) {
      now += ms;
      for (const tick of [...ticks]) tick();
    },
  };
}
