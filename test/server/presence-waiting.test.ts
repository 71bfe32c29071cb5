/**
 * Presence claims that wait (#14 point 2): a client that reconnects while its
 * old connection, or the process it was on, is not yet forgotten is refused
 * its awareness id until the holder lets go, and is present the moment it
 * does, never earlier. `PresenceOwners` on its own first; then one room loaded
 * by three processes without servers (x, y, z), each with a real RedisFanout on
 * a throwaway Redis and a heartbeat clock the test moves, so "x died" is three
 * seconds of y's and z's clocks without a word from x.
 */
import { describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import { RedisFanout } from '../../server/sync/fanout.ts';
import { encodePresence, PresenceOwners, type PresenceEntry } from '../../server/sync/presence.ts';
import type { BatchScheduler } from '../../server/sync/presenceBatch.ts';
import { MESSAGE_AWARENESS, Room, type Peer } from '../../server/sync/room.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import { redisSuite } from '../support/redisSuite.ts';
import { manualClock } from './fanoutClock.ts';

const entry = (clientID: number, clock: number, cursor: number | null): PresenceEntry => ({
  clientID,
  clock,
  state: cursor === null ? null : { cursor: { x: cursor, y: cursor } },
});

describe('PresenceOwners: a refused claim waits for its holder to let go', () => {
  it('is granted when the connection holding the id leaves, not before, and to the first in line', () => {
    const owners = new PresenceOwners<string>(4);
    expect(owners.claim('old', entry(7, 1, 1))).toBe(true);
    expect(owners.claim('new', entry(7, 3, 2))).toBe(false);
    expect(owners.claim('third', entry(7, 4, 3))).toBe(false);
    // The holder is alive and moves: nothing changes hands.
    expect(owners.claim('old', entry(7, 2, 5))).toBe(true);
    expect(owners.retry([7])).toEqual([]);
    // A newer entry replaces the one kept.
    expect(owners.claim('new', entry(7, 5, 4))).toBe(false);
    expect(owners.release('old')).toEqual([7]);
    expect(owners.retry([7])).toEqual([{ owner: 'new', entry: entry(7, 5, 4) }]);
    expect(owners.idsOf('new')).toEqual([7]);
    // The others' claims were dropped: the new holder's leaving frees the id for nobody.
    owners.release('new');
    expect(owners.retry([7])).toEqual([]);
    expect(owners.owns(7)).toBe(false);
  });

  it('keeps no claim that is not newer than the state held: an echo of what a client received', () => {
    const owners = new PresenceOwners<string>(4);
    expect(owners.claim('alice', entry(7, 5, 1), 0)).toBe(true);
    // Ben's y-websocket sends Alice's state back as it receives it, at the clock the room holds (or older).
    expect(owners.claim('ben', entry(7, 5, 1), 5)).toBe(false);
    expect(owners.claim('ben', entry(7, 4, 1), 5)).toBe(false);
    owners.release('alice');
    expect(owners.retry([7])).toEqual([]);
    expect(owners.owns(7)).toBe(false);
  });

  it('drops a kept claim once the holder sets a state at its clock or past it: an echo that arrived before its original', () => {
    const owners = new PresenceOwners<string>(4);
    expect(owners.claim('alice', entry(7, 1, 1), 0)).toBe(true);
    // Ben's tab heard Alice's clock 2 over BroadcastChannel and echoed it before Alice's own message arrived.
    expect(owners.claim('ben', entry(7, 2, 2), 1)).toBe(false);
    // Alice's clock 2 is applied: the kept entry was an echo.
    owners.settle(7, 2);
    owners.release('alice');
    expect(owners.retry([7])).toEqual([]);
    // A claim newer than anything the holder set still waits, and is granted when she goes.
    expect(owners.claim('alice', entry(8, 1, 1), 0)).toBe(true);
    expect(owners.claim('ben', entry(8, 5, 2), 1)).toBe(false);
    owners.settle(8, 3);
    owners.release('alice');
    expect(owners.retry([8])).toEqual([{ owner: 'ben', entry: entry(8, 5, 2) }]);
  });

  it('waits on a reserved id (another process’s client) until it is no longer reserved', () => {
    const remote = new Set([9]);
    const owners = new PresenceOwners<string>(4, remote);
    expect(owners.claim('back', entry(9, 4, 1))).toBe(false);
    expect(owners.retry([9])).toEqual([]);
    remote.delete(9);
    expect(owners.retry([9])).toEqual([{ owner: 'back', entry: entry(9, 4, 1) }]);
    expect(owners.owns(9)).toBe(true);
  });

  it('drops a kept claim when its connection removes the id or leaves, and keeps at most the bound', () => {
    const remote = new Set([1, 2, 3, 4, 5]);
    const owners = new PresenceOwners<string>(2, remote);
    expect(owners.claim('p', entry(1, 2, 1))).toBe(false);
    expect(owners.claim('p', entry(1, 2, null))).toBe(false);
    expect(owners.claim('q', entry(2, 2, 2))).toBe(false);
    owners.release('q');
    // At most 2 kept (the bound on ids owned), and an id granted only within that bound.
    expect(owners.claim('r', entry(3, 1, 1))).toBe(false);
    expect(owners.claim('r', entry(4, 1, 1))).toBe(false);
    expect(owners.claim('r', entry(5, 1, 1))).toBe(false);
    expect(owners.claim('r', entry(10, 1, 1))).toBe(true);
    remote.clear();
    expect(owners.retry([1, 2, 3, 4, 5])).toEqual([{ owner: 'r', entry: entry(3, 1, 1) }]);
    expect(owners.idsOf('r').sort()).toEqual([10, 3]);
    expect(owners.owns(4) || owners.owns(5)).toBe(false);
  });
});

/** The awareness message a client sends. */
function presenceMessage(...entries: PresenceEntry[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, encodePresence(entries));
  return encoding.toUint8Array(e);
}

function peer(id: string): Peer {
  return { id, readOnly: false, user: { name: id, role: 'participant' }, send: () => {}, close: () => {} };
}

const storage = new MemoryDocStorage();
const suite = redisSuite();
const { ends } = suite;

/** The same room on three processes, x, y and z; presence relayed at once; link timers never run. */
async function threeProcesses() {
  const never: BatchScheduler = () => () => {};
  const name = `room-${randomBytes(4).toString('hex')}`;
  const process = async (node: string) => {
    const time = manualClock();
    const fanout = new RedisFanout(suite.redis.url, { node, clock: time.clock });
    await vi.waitFor(() => expect(fanout.ready).toBe(true));
    const room = await Room.load(name, storage, { presenceBatchMs: 0, link: { fanout, scheduler: never } });
    ends.push(async () => {
      room.destroy();
      await fanout.close();
    });
    const state = (id: number) => room.awareness.getStates().get(id) as { cursor?: unknown; user?: { name?: string } } | undefined;
    return { room, time, fanout, name, state };
  };
  const [x, y, z] = [await process('x'), await process('y'), await process('z')];
  // Each room asked the others for their presence as it loaded: once x and y have heard z's marker, they
  // have answered those questions too (one Redis connection delivers in order), and no renewal is on its way.
  const marker = peer('marker');
  z.room.join(marker);
  z.room.receive(marker, presenceMessage(entry(999, 1, 0)));
  await vi.waitFor(() => expect(x.state(999) && y.state(999)).toBeDefined());
  z.room.leave(marker);
  await vi.waitFor(() => expect(x.state(999) ?? y.state(999)).toBeUndefined());
  return { x, y, z };
}

const ID = 501;
/** The clock a process holds for ID's state. */
const clockOn = (p: { room: Room }) => p.room.awareness.meta.get(ID)?.clock ?? 0;

type Process = Awaited<ReturnType<typeof threeProcesses>>['x'];

/** A client of x holds ID, seen on y and z; a connection on y claims it (its clock two up) and is refused. */
async function claimedOnY({ x, y, z }: { x: Process; y: Process; z: Process }) {
  const [onX, backOnY] = [peer('on-x'), peer('back-on-y')];
  x.room.join(onX);
  x.room.receive(onX, presenceMessage(entry(ID, 4, 1)));
  await vi.waitFor(() => {
    expect(y.state(ID)?.cursor).toEqual({ x: 1, y: 1 });
    expect(z.state(ID)?.cursor).toEqual({ x: 1, y: 1 });
  });
  y.room.join(backOnY);
  y.room.receive(backOnY, presenceMessage(entry(ID, 6, 2)));
  expect(y.state(ID)?.cursor).toEqual({ x: 1, y: 1 });
  return { onX, backOnY };
}

describe('a claim refused for another process’s client, applied once that client is gone', () => {
  it('process x dies: the client back on y is present on y and z as soon as y times x out, and not while x is heard', async () => {
    const { x, y, z } = await threeProcesses();
    const [onX, otherOnX, backOnY, echoing] = [peer('on-x'), peer('other-on-x'), peer('back-on-y'), peer('echoing')];
    x.room.join(onX);
    x.room.join(otherOnX);
    y.room.join(echoing);
    x.room.receive(onX, presenceMessage(entry(ID, 4, 1)));
    await vi.waitFor(() => {
      expect(y.state(ID)?.cursor).toEqual({ x: 1, y: 1 });
      expect(z.state(ID)?.cursor).toEqual({ x: 1, y: 1 });
    });
    // A client on y sends back what it received, as y-websocket does: an echo, not a claim worth keeping.
    y.room.receive(echoing, presenceMessage(entry(ID, 4, 1)));
    // The client's socket to x broke, x does not know yet, and it is back on y, its clock two up.
    y.room.join(backOnY);
    y.room.receive(backOnY, presenceMessage(entry(ID, 6, 2)));
    expect(y.state(ID)?.cursor).toEqual({ x: 1, y: 1 });

    // Up to the timeout, x is heard (another client of x moves): the claim still waits.
    y.time.advance(3000);
    x.room.receive(otherOnX, presenceMessage(entry(502, 1, 9)));
    await vi.waitFor(() => expect(y.state(502)?.cursor).toEqual({ x: 9, y: 9 }));
    // z asks twice for everyone's presence (as a process does when it loads the room or hears one again):
    // x renews its client's state, each clock one up, to the clock of the claim.
    z.fanout.queryPresence(z.name);
    z.fanout.queryPresence(z.name);
    await vi.waitFor(() => expect(clockOn(y)).toBe(6));
    y.time.advance(1000);
    expect(y.state(ID)?.cursor).toEqual({ x: 1, y: 1 });

    // x is killed: its heartbeat clock is frozen already, and it says nothing more, not even goodbye.
    x.room.destroy();
    // Three seconds of y's clock without a word from x are not yet the timeout…
    y.time.advance(1000);
    y.time.advance(1000);
    expect(y.state(ID)?.cursor).toEqual({ x: 1, y: 1 });
    // …past it, y drops x's clients and gives the id to the one waiting, at once, with the session's name, and
    // with a clock past x's last renewal: the claim's own 6 would be ignored everywhere.
    y.time.advance(1000);
    expect(y.state(502)).toBeUndefined();
    expect(y.state(ID)?.cursor).toEqual({ x: 2, y: 2 });
    expect(y.state(ID)?.user?.name).toBe('back-on-y');
    expect(clockOn(y)).toBe(7);
    // z has not timed x out yet, and takes the state from y already (its clock is newer).
    await vi.waitFor(() => expect(z.state(ID)?.cursor).toEqual({ x: 2, y: 2 }));
    // It is y's client now: each second it moves, z sees it (so z hears y), and z's own timeout of x leaves it.
    for (let i = 0; i < 4; i++) {
      z.time.advance(1000);
      expect(z.state(ID)?.cursor).toEqual({ x: 2 + i, y: 2 + i });
      y.room.receive(backOnY, presenceMessage(entry(ID, clockOn(y) + 1, 3 + i)));
      await vi.waitFor(() => expect(z.state(ID)?.cursor).toEqual({ x: 3 + i, y: 3 + i }));
    }
    expect(z.state(502)).toBeUndefined();
  });

  it('the client leaves x cleanly (x publishes the removal): the claim waiting on y is applied as the removal arrives', async () => {
    const { x, y, z } = await threeProcesses();
    const { onX } = await claimedOnY({ x, y, z });
    x.room.leave(onX);
    await vi.waitFor(() => {
      expect(y.state(ID)?.cursor).toEqual({ x: 2, y: 2 });
      expect(z.state(ID)?.cursor).toEqual({ x: 2, y: 2 });
      expect(x.state(ID)?.cursor).toEqual({ x: 2, y: 2 });
    });
  });

  it('a waiting claim whose connection left is dropped: the id, once free, is nobody’s', async () => {
    const { x, y, z } = await threeProcesses();
    const { backOnY } = await claimedOnY({ x, y, z });
    y.room.leave(backOnY);
    for (let i = 0; i < 4; i++) {
      y.time.advance(1000);
      z.time.advance(1000);
    }
    expect(y.state(ID)).toBeUndefined();
    expect(z.state(ID)).toBeUndefined();
  });
});

describe('a claim refused for a connection of the same process', () => {
  it('a client back before its old connection closed is present everywhere the moment that connection goes', async () => {
    const { x, z } = await threeProcesses();
    const [old, back] = [peer('old'), peer('back')];
    x.room.join(old);
    x.room.receive(old, presenceMessage(entry(ID, 4, 1)));
    x.room.join(back);
    x.room.receive(back, presenceMessage(entry(ID, 6, 2)));
    expect(x.state(ID)?.cursor).toEqual({ x: 1, y: 1 });
    await vi.waitFor(() => expect(z.state(ID)?.cursor).toEqual({ x: 1, y: 1 }));
    x.room.leave(old);
    expect(x.state(ID)?.cursor).toEqual({ x: 2, y: 2 });
    expect(x.state(ID)?.user?.name).toBe('back');
    await vi.waitFor(() => expect(z.state(ID)?.cursor).toEqual({ x: 2, y: 2 }));
  });
  it('an echo that reached the room before the state it repeats does not keep the id alive after its holder leaves', async () => {
    const { x, z } = await threeProcesses();
    const [tab, other] = [peer('tab'), peer('other')];
    x.room.join(tab);
    x.room.join(other);
    x.room.receive(tab, presenceMessage(entry(ID, 1, 1)));
    // The other tab heard clock 2 over BroadcastChannel and sent it back before the tab's own message arrived.
    x.room.receive(other, presenceMessage(entry(ID, 2, 2)));
    x.room.receive(tab, presenceMessage(entry(ID, 2, 2)));
    x.room.receive(tab, presenceMessage(entry(ID, 3, 3)));
    await vi.waitFor(() => expect(z.state(ID)?.cursor).toEqual({ x: 3, y: 3 }));
    // The tab closes without a removal (y-websocket sends none on unload): its presence goes everywhere.
    x.room.leave(tab);
    expect(x.state(ID)).toBeUndefined();
    await vi.waitFor(() => expect(z.state(ID)).toBeUndefined());
  });
});

describe('a connection’s own update after the server raised its clock', () => {
  it('is applied with the next clock everywhere; what it sends back unchanged is dropped', async () => {
    const { x, z } = await threeProcesses();
    const client = peer('client');
    x.room.join(client);
    x.room.receive(client, presenceMessage(entry(ID, 2, 1)));
    await vi.waitFor(() => expect(z.state(ID)?.cursor).toEqual({ x: 1, y: 1 }));
    // z asks for everyone's presence: x renews its client's state at clock 3, which the client does not hear of
    // before it moves at its own next clock, 3.
    z.fanout.queryPresence(z.name);
    await vi.waitFor(() => expect(clockOn(z)).toBe(3));
    x.room.receive(client, presenceMessage(entry(ID, 3, 2)));
    expect(x.state(ID)?.cursor).toEqual({ x: 2, y: 2 });
    expect(clockOn(x)).toBe(4);
    await vi.waitFor(() => expect(z.state(ID)?.cursor).toEqual({ x: 2, y: 2 }));
    // y-websocket sends back the state it got from x (clock 4, with the session's name): a repeat, dropped.
    const changes: unknown[] = [];
    x.room.awareness.on('update', (change: unknown) => changes.push(change));
    x.room.receive(client, presenceMessage({ clientID: ID, clock: 4, state: x.state(ID) ?? null }));
    expect(changes).toEqual([]);
    expect(clockOn(x)).toBe(4);
  });
});
