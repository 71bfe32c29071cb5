/**
 * The fanout's events channel (server/sync/fanout.ts, `EventChannel`) and the
 * notices it carries (server/events/notices.ts), on a real Redis: a notice
 * reaches the other process and never its sender, every text survives, and
 * after Redis restarts each process is told that notices may have been lost.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseNotice, type Notice } from '../../server/events/notices.ts';
import { RedisFanout } from '../../server/sync/fanout.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { Redis } from 'ioredis';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

describe('the events channel', () => {
  it('carries a notice to the other process only, and says after a Redis restart that notices were lost', async () => {
    const one = new RedisFanout(redis.url, { node: 'one' });
    const two = new RedisFanout(redis.url, { node: 'two' });
    try {
      const heardByOne: string[] = [];
      const heardByTwo: string[] = [];
      one.onEvent((text) => heardByOne.push(text));
      two.onEvent((text) => heardByTwo.push(text));
      let lostByTwo = 0;
      two.onEventsLost(() => lostByTwo++);
      await vi.waitFor(() => expect(one.ready && two.ready).toBe(true));
      await vi.waitFor(() => expect(lostByTwo).toBeGreaterThanOrEqual(1));

      const text = JSON.stringify({ kind: 'workshops', initiative: 'i-1', workshop: 'w-1', entered: [0, 2] } satisfies Notice);
      one.publishEvent(text);
      await vi.waitFor(() => expect(heardByTwo).toEqual([text]));
      // An answer from two, heard by one, shows that one never heard its own notice.
      two.publishEvent('{"kind":"people","initiative":null}');
      await vi.waitFor(() => expect(heardByOne).toEqual(['{"kind":"people","initiative":null}']));

      const before = lostByTwo;
      await redis.restart({ crash: true });
      await vi.waitFor(() => expect(lostByTwo).toBeGreaterThan(before), { timeout: 10_000, interval: 50 });
      await vi.waitFor(() => expect(one.ready).toBe(true), { timeout: 10_000, interval: 50 });
      one.publishEvent(text);
      await vi.waitFor(() => expect(heardByTwo).toEqual([text, text]), { timeout: 10_000, interval: 50 });
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  }, 30_000);
});

describe('a sender cut off from Redis', () => {
  it('makes the others catch up once it is back: the notices it could not publish are not silently lost', async () => {
    const two = new RedisFanout(redis.url, { node: 'two' });
    const admin = new Redis(redis.url);
    let one: RedisFanout | undefined;
    try {
      const heardByTwo: string[] = [];
      two.onEvent((text) => heardByTwo.push(text));
      let lostByTwo = 0;
      two.onEventsLost(() => lostByTwo++);
      // Two's own subscription: it missed whatever was said before.
      await vi.waitFor(() => expect(two.ready && lostByTwo === 1).toBe(true), { timeout: 10_000, interval: 20 });
      // One starts: nothing was lost, nobody catches up.
      one = new RedisFanout(redis.url, { node: 'one' });
      await vi.waitFor(() => expect(one!.ready).toBe(true), { timeout: 10_000, interval: 20 });

      // One's publishing connection drops (two's subscription stays): a notice made meanwhile cannot go out.
      const sender = one;
      const pub = (sender as unknown as { pub: Redis }).pub;
      const dropped = new Promise<void>((resolve) =>
        pub.once('close', () => {
          sender.publishEvent('{"kind":"people","initiative":null}');
          resolve();
        }),
      );
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
      await dropped;
      // Once one's connection is back, two is told that notices were lost, and catches up from the stores.
      await vi.waitFor(() => expect(lostByTwo).toBe(2), { timeout: 10_000, interval: 20 });
      expect(heardByTwo).toEqual([]);
    } finally {
      admin.disconnect();
      await Promise.all([one?.close(), two.close()]);
    }
  });
});

describe('notices', () => {
  it('are read back as sent, and anything else is no notice', () => {
    const notices: Notice[] = [
      { kind: 'workflow', initiative: 'i-1' },
      { kind: 'workshops', initiative: 'i-1' },
      { kind: 'workshops', initiative: 'i-1', workshop: 'w-1', entered: [1] },
      { kind: 'people', initiative: null },
      { kind: 'people', initiative: 'i-2' },
      { kind: 'measures', initiative: 'i-1', indicators: ['a'], accessChanged: [] },
      { kind: 'portfolio', ids: ['i-1', 'i-2'] },
      { kind: 'online', node: 'n-1', whole: false, sets: [{ initiative: 'i-1', members: ['m-1', 'm-2'] }, { initiative: 'i-2', members: [] }] },
      { kind: 'online?', node: 'n-1' },
    ];
    for (const notice of notices) expect(parseNotice(JSON.stringify(notice))).toEqual(notice);
    for (const text of ['', 'null', '[]', '{"kind":"workflow"}', '{"kind":"vote","initiative":"i"}', '{"kind":"workshops","initiative":"i","entered":[-1]}', '{"kind":"measures","initiative":"i","indicators":[1],"accessChanged":[]}', '{"kind":"portfolio","ids":"i"}', '{"kind":"online","node":"n","sets":[]}', '{"kind":"online","node":"n","whole":true,"sets":[{"initiative":"i","members":[1]}]}', '{"kind":"online?"}']) {
      expect(parseNotice(text), text).toBeNull();
    }
  });
});
