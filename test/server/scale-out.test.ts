/**
 * The environment's say over several processes (server/scaleOut.ts): nothing
 * without DATABASE_URL, a sentence for REDIS_URL alone, and Redis's repeated
 * errors while it is down logged once per window.
 */
import { describe, expect, it } from 'vitest';
import { scaleOutFrom, throttle } from '../../server/scaleOut.ts';
import { createLogger } from '../../server/log.ts';

const log = createLogger('silent');

describe('scaleOutFrom', () => {
  it('opens nothing without DATABASE_URL: one process on SQLite, as always', async () => {
    expect(await scaleOutFrom({}, log)).toEqual({ readyChecks: [] });
    expect(await scaleOutFrom({ DATABASE_URL: '', REDIS_URL: '' }, log)).toEqual({ readyChecks: [] });
  });

  it('refuses REDIS_URL without DATABASE_URL, saying why', async () => {
    await expect(scaleOutFrom({ REDIS_URL: 'redis://127.0.0.1:1' }, log)).rejects.toThrow(
      'REDIS_URL is set without DATABASE_URL: processes share rooms through PostgreSQL, so set both (docs/deploy.md).',
    );
  });
});

describe('throttle', () => {
  it('passes the first call of each window and drops the rest', () => {
    let now = 0;
    const calls: number[] = [];
    const warn = throttle(
      (n: number) => calls.push(n),
      10_000,
      () => now,
    );
    warn(1);
    now = 9_999;
    warn(2);
    now = 10_000;
    warn(3);
    now = 15_000;
    warn(4);
    now = 20_001;
    warn(5);
    expect(calls).toEqual([1, 3, 5]);
  });
});
