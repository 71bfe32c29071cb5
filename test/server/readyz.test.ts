/**
 * `/readyz` on a real server (server/health.ts): ready while every dependency
 * answers; 503 naming each one that fails or hangs, within its timeout; and
 * `/healthz` stays liveness only, 200 all the while.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { performance } from 'node:perf_hooks';
import { startHarness, type Harness } from './harness.ts';
import { call } from './sync-helpers.ts';

type State = 'up' | 'down' | 'hang';
let redis: State = 'up';
let cache: State = 'up';
/** Releases the checks left hanging, so nothing outlives the test. */
const hanging: (() => void)[] = [];

const HANG_TIMEOUT_MS = 300;

function dependency(state: () => State): () => Promise<void> {
  return () => {
    const now = state();
    if (now === 'down') return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379'));
    if (now === 'hang') return new Promise<void>((resolve) => hanging.push(resolve));
    return Promise.resolve();
  };
}

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({
    readyChecks: [
      {
        name: 'redis',
        unreachable: 'Redis cannot be reached.',
        check: dependency(() => redis),
        timeoutMs: HANG_TIMEOUT_MS,
      },
      {
        name: 'cache',
        unreachable: 'The cache cannot be reached.',
        check: dependency(() => cache),
        timeoutMs: HANG_TIMEOUT_MS,
      },
    ],
  });
});
afterAll(async () => {
  for (const release of hanging.splice(0)) release();
  await harness?.stop();
});

describe('/readyz', () => {
  it('answers 200 ready when the database and every other dependency answer', async () => {
    redis = cache = 'up';
    const res = await call(harness.url, 'GET', '/readyz');
    expect(res).toMatchObject({ status: 200, text: 'ready' });
  });

  it('answers 503 naming the dependency that fails, while /healthz stays 200; ready again once it is back', async () => {
    redis = 'down';
    cache = 'up';
    const res = await call(harness.url, 'GET', '/readyz');
    expect(res.status).toBe(503);
    // The sentence, and nothing of the cause (an address, a port) for whoever asks.
    expect(res.text).toBe('Redis cannot be reached.');
    expect((await call(harness.url, 'GET', '/healthz')).status).toBe(200);

    redis = 'up';
    expect(await call(harness.url, 'GET', '/readyz')).toMatchObject({ status: 200, text: 'ready' });
  });

  it('a dependency that hangs gives 503 within its timeout, not a hang; every failing one is named', async () => {
    redis = 'hang';
    cache = 'down';
    const started = performance.now();
    const res = await call(harness.url, 'GET', '/readyz');
    const took = performance.now() - started;
    expect(res.status).toBe(503);
    expect(res.text).toBe('Redis cannot be reached. The cache cannot be reached.');
    // It waited for the timeout (the hang was really waited on), and not much longer.
    expect(took).toBeGreaterThanOrEqual(HANG_TIMEOUT_MS - 5);
    expect(took).toBeLessThan(HANG_TIMEOUT_MS + 3000);
    redis = cache = 'up';
  });
});
