/**
 * OnlineAcross (server/people/onlineAcross.ts) on two RedisFanouts over one
 * real throwaway Redis, their heartbeats on clocks the test moves: a member
 * registered in one process is online in the other; a process timed out takes
 * its members with it; heard again, its state comes back whole, without any
 * change of its own (it may not know it was dropped), without a member who
 * left meanwhile.
 */
import { describe, expect, it, vi } from 'vitest';
import { OnlineAcross } from '../../server/people/onlineAcross.ts';
import { AccessWatch } from '../../server/people/watch.ts';
import type { Access, Member } from '../../server/people/types.ts';
import { RedisFanout } from '../../server/sync/fanout.ts';
import { redisSuite } from '../support/redisSuite.ts';
import { manualClock } from './fanoutClock.ts';

const suite = redisSuite();

const member = (id: string, initiativeId: string): Access => ({
  role: 'participant',
  member: { id, initiativeId, role: 'participant', label: null, name: id, joinedAt: '2026-12-02T08:00:00.000Z', lastSeenAt: null, sector: null, organisation: null } satisfies Member,
});

function processWith(node: string) {
  const clock = manualClock(0);
  const fanout = new RedisFanout(suite.redis.url, { node, clock: clock.clock });
  const watch = new AccessWatch(async () => null);
  const online = new OnlineAcross(watch, fanout, fanout);
  suite.ends.push(async () => {
    online.stop();
    await fanout.close();
  });
  /** Registers a connection of `id` to `initiative`; answers the function that closes it. */
  const connect = (id: string, initiative: string) => watch.register(initiative, { kind: 'session', hash: id }, member(id, initiative), () => {});
  return { fanout, online, clock, connect };
}

const sorted = (ids: Set<string>) => [...ids].sort();

describe('members online across processes', () => {
  it('hears the other process’s members, drops them with it, and gets them back whole when it is heard again', async () => {
    const one = processWith('one');
    const two = processWith('two');
    await vi.waitFor(() => expect(one.fanout.ready && two.fanout.ready).toBe(true));
    const closeAda = one.connect('ada', 'i-1');
    const closeBo = one.connect('bo', 'i-1');
    one.connect('cy', 'i-2');
    two.connect('di', 'i-1');
    await vi.waitFor(() => {
      expect(sorted(two.online.online('i-1'))).toEqual(['ada', 'bo', 'di']);
      expect(sorted(two.online.online('i-2'))).toEqual(['cy']);
      expect(sorted(one.online.online('i-1'))).toEqual(['ada', 'bo', 'di']);
    });

    // Ada leaves: gone elsewhere with the next notice, not with a timeout.
    closeAda();
    await vi.waitFor(() => expect(sorted(two.online.online('i-1'))).toEqual(['bo', 'di']));

    // One is silent past the timeout (a stall): two drops its members, keeps its own. First two hears one's
    // heartbeat (a message after it on the same connection arrives after it).
    let probed = () => {};
    const heard = new Promise<void>((resolve) => (probed = resolve));
    await two.fanout.subscribe('probe', () => probed());
    one.clock.advance(1000);
    one.fanout.queryPresence('probe');
    await heard;
    two.clock.advance(3001);
    expect(sorted(two.online.online('i-1'))).toEqual(['di']);
    expect(sorted(two.online.online('i-2'))).toEqual([]);

    // One is heard again: two asks, and one tells its whole state, though nothing changed at one.
    one.clock.advance(1000);
    await vi.waitFor(() => {
      expect(sorted(two.online.online('i-1'))).toEqual(['bo', 'di']);
      expect(sorted(two.online.online('i-2'))).toEqual(['cy']);
    });
    // Bo leaves while one is timed out again: once heard again, one's state at two has no Bo.
    two.clock.advance(3001);
    expect(sorted(two.online.online('i-1'))).toEqual(['di']);
    closeBo();
    one.clock.advance(1000);
    await vi.waitFor(() => {
      expect(sorted(two.online.online('i-1'))).toEqual(['di']);
      expect(sorted(two.online.online('i-2'))).toEqual(['cy']);
    });
  });

  it('a whole state replaces what was kept of that process: an initiative it does not name has none of its members', async () => {
    const one = processWith('one');
    const two = processWith('two');
    await vi.waitFor(() => expect(one.fanout.ready && two.fanout.ready).toBe(true));
    one.connect('cy', 'i-2');
    one.connect('ed', 'i-3');
    await vi.waitFor(() => expect(sorted(two.online.online('i-2'))).toEqual(['cy']));
    // As if one's notice of Cy's leaving had been lost, and one then told its whole state: only i-3.
    const other = new RedisFanout(suite.redis.url, { node: 'other', clock: manualClock(0).clock });
    suite.ends.push(() => other.close());
    await vi.waitFor(() => expect(other.ready).toBe(true));
    other.publishEvent(JSON.stringify({ kind: 'online', node: 'one', whole: true, sets: [{ initiative: 'i-3', members: ['ed'] }] }));
    await vi.waitFor(() => expect(sorted(two.online.online('i-2'))).toEqual([]));
    expect(sorted(two.online.online('i-3'))).toEqual(['ed']);
  });
});
