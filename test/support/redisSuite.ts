/**
 * One throwaway Redis (./redis.ts) for a test file: started before its first
 * test, stopped after its last; what a test pushes onto `ends` (its servers and
 * clients) is ended after that test, in order.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startRedis, type TestRedis } from './redis.ts';

export interface RedisSuite {
  /** The running server (only inside a test or a hook). */
  readonly redis: TestRedis;
  readonly ends: (() => Promise<void>)[];
}

export function redisSuite(): RedisSuite {
  let redis: TestRedis | undefined;
  const ends: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  }, 30_000);
  afterEach(async () => {
    for (const end of ends.splice(0)) await end();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  return {
    get redis() {
      if (!redis) throw new Error('The suite\'s Redis runs only inside a test or a hook.');
      return redis;
    },
    ends,
  };
}
