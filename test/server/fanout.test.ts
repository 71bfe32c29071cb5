/**
 * RedisFanout alone (server/sync/fanout.ts), two of them on one real
 * throwaway Redis: binary-safe, never hears itself, heartbeats on a clock the
 * test moves, a goodbye on close.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RedisFanout, type NodeChange, type RoomMessage } from '../../server/sync/fanout.ts';
import { startRedis, type TestRedis } from '../support/redis.ts';
import { manualClock } from './fanoutClock.ts';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await redis?.stop();
});

async function pair() {
  const [clockOne, clockTwo] = [manualClock(0), manualClock(0)];
  const one = new RedisFanout(redis.url, { node: 'one', clock: clockOne.clock });
  const two = new RedisFanout(redis.url, { node: 'two', clock: clockTwo.clock });
  await vi.waitFor(() => expect(one.ready && two.ready).toBe(true));
  return { one, two, clockOne, clockTwo };
}

describe('RedisFanout', () => {
  it('carries every byte value of an update with its number, to the other process only', async () => {
    const { one, two } = await pair();
    try {
      const heardByOne: RoomMessage[] = [];
      const heardByTwo: RoomMessage[] = [];
      await one.subscribe('room-1', (m) => heardByOne.push(m));
      await two.subscribe('room-1', (m) => heardByTwo.push(m));
      const bytes = Uint8Array.from({ length: 512 }, (_, i) => i % 256);
      one.publishUpdate('room-1', 41, bytes);
      one.publishPresence('room-1', new Uint8Array([0, 255, 13, 10]));
      one.queryPresence('room-1');
      await vi.waitFor(() => expect(heardByTwo).toHaveLength(3));
      expect(heardByTwo[0]).toEqual({ kind: 'update', node: 'one', seq: 41, update: bytes });
      expect(heardByTwo[1]).toEqual({ kind: 'presence', node: 'one', update: new Uint8Array([0, 255, 13, 10]) });
      expect(heardByTwo[2]).toEqual({ kind: 'query', node: 'one' });
      // A message from two shows the order held and that one heard nothing of its own.
      two.queryPresence('room-1');
      await vi.waitFor(() => expect(heardByOne).toEqual([{ kind: 'query', node: 'two' }]));
      // Another room's messages do not reach this room's listeners.
      one.publishUpdate('room-2', 1, bytes);
      two.queryPresence('room-1');
      await vi.waitFor(() => expect(heardByOne).toHaveLength(2));
      expect(heardByTwo).toHaveLength(3);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('keeps the order of what one tick publishes (the first at once, the rest in one write) across rooms and the events channel, and of the ticks after', async () => {
    const { one, two } = await pair();
    try {
      const heard: string[] = [];
      await two.subscribe('room-a', (m) => heard.push(`a:${m.kind === 'update' ? m.seq : m.kind}`));
      await two.subscribe('room-b', (m) => heard.push(`b:${m.kind === 'update' ? m.seq : m.kind}`));
      two.onEvent((text) => heard.push(`event:${text}`));
      const update = new Uint8Array([1, 2, 3]);
      for (let seq = 1; seq <= 5; seq++) one.publishUpdate(seq % 2 ? 'room-a' : 'room-b', seq, update);
      one.publishEvent('decided');
      one.publishPresence('room-a', new Uint8Array([0]));
      await Promise.resolve();
      one.publishUpdate('room-b', 6, update);
      setImmediate(() => one.publishUpdate('room-a', 7, update));
      await vi.waitFor(() => expect(heard).toHaveLength(9));
      expect(heard).toEqual(['a:1', 'b:2', 'a:3', 'b:4', 'a:5', 'event:decided', 'a:presence', 'b:6', 'a:7']);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });

  it('a process silent past the timeout is gone, heard again it is back; one that closes says goodbye at once', async () => {
    const { one, two, clockOne, clockTwo } = await pair();
    const changes: NodeChange[] = [];
    one.onNodeChange((change) => changes.push(change));
    try {
      let resolveHeard = () => {};
      const heard = new Promise<void>((resolve) => (resolveHeard = resolve));
      await one.subscribe('probe', () => resolveHeard());
      // two's heartbeat, then a message after it on the same connection: once that arrives, one has heard both.
      clockTwo.advance(1000);
      two.queryPresence('probe');
      await heard;
      // Silent for 3 s: still there (one's own heartbeats never count); past it: gone.
      clockOne.advance(3000);
      expect(changes).toEqual([]);
      clockOne.advance(1);
      expect(changes).toEqual([{ node: 'two', alive: false }]);
      clockTwo.advance(1000);
      await vi.waitFor(() => expect(changes).toEqual([{ node: 'two', alive: false }, { node: 'two', alive: true }]));
      // Paused far past the timeout (100 timeouts: forgotten), then heard again: back, so the others ask it for
      // what it holds (online members, presence), as for any process that was gone.
      clockOne.advance(3001);
      expect(changes).toHaveLength(3);
      clockOne.advance(100 * 3000);
      clockOne.advance(1000);
      expect(changes).toHaveLength(3);
      clockTwo.advance(1000);
      await vi.waitFor(() => expect(changes).toHaveLength(4));
      expect(changes.slice(2)).toEqual([{ node: 'two', alive: false }, { node: 'two', alive: true }]);
      await two.close();
      await vi.waitFor(() => expect(changes).toHaveLength(5));
      expect(changes[4]).toEqual({ node: 'two', alive: false });
      expect(two.ready).toBe(false);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});
