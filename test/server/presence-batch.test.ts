/**
 * Presence at scale: the server relays awareness in batches (server/sync/presenceBatch.ts).
 * Real y-websocket clients against a real server; the batches go out when the
 * test ticks the room's scheduler, never on a timer.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as encoding from 'lib0/encoding';
import { LARGE_ROOM_PEERS, LARGE_ROOM_PRESENCE_BATCH_MS, PRESENCE_BATCH_MS, type BatchScheduler } from '../../server/sync/presenceBatch.ts';
import { encodePresence } from '../../server/sync/presence.ts';
import { MESSAGE_AWARENESS, Room, type Peer } from '../../server/sync/room.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';

/** A scheduler the test drives: batches wait until `tick`. */
function manualScheduler() {
  const waiting = new Set<() => void>();
  const schedule: BatchScheduler = (flush) => {
    waiting.add(flush);
    return () => waiting.delete(flush);
  };
  return {
    schedule,
    get pending() {
      return waiting.size;
    },
    /** Sends every waiting batch now. */
    tick() {
      const due = [...waiting];
      waiting.clear();
      for (const flush of due) flush();
    },
  };
}

const scheduler = manualScheduler();
let h: Harness;
const clients: SyncClient[] = [];
const open = (id: string, token: string) => {
  const client = syncClient(h.url, id, token);
  clients.push(client);
  return client;
};

beforeAll(async () => {
  h = await startHarness({ room: { presenceBatchMs: 50, presenceScheduler: scheduler.schedule } });
});
const rooms: Room[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  // Every connection gone (its presence removed) before the next test counts batches.
  await vi.waitFor(() => expect(rooms.filter((room) => room.size > 0)).toEqual([]));
  rooms.length = 0;
  scheduler.tick();
});
afterAll(async () => {
  await h.stop();
});

type Cursor = { cursor?: { x: number; y: number }; user?: { name?: string; role?: string } } | undefined;
const stateOf = (watcher: SyncClient, of: SyncClient) => watcher.provider.awareness.getStates().get(of.doc.clientID) as Cursor;

/** The server's room (loaded while clients are connected). */
async function serverRoom(id: string): Promise<Room> {
  const room = await h.convene.rooms.open(id);
  h.convene.rooms.joined(room);
  rooms.push(room);
  return room;
}

/** The awareness messages `watcher` receives from now on, as the client ids each one carried. */
function recordMessages(watcher: SyncClient): number[][] {
  const messages: number[][] = [];
  watcher.provider.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
    if (origin === watcher.provider) messages.push([...added, ...updated, ...removed].sort());
  });
  return messages;
}

/** A room of `names`, synced, everyone seeing everyone's presence. */
async function roomOf(names: string[]): Promise<{ id: string; room: Room; people: SyncClient[] }> {
  const id = await h.createInitiative();
  const people: SyncClient[] = [];
  for (const name of names) people.push(open(id, await h.invite(id, 'participant', name)));
  await Promise.all(people.map((p) => p.synced));
  // As the boards do: a first state of one's own (the empty one at clock 0 is nobody's news).
  for (const p of people) p.provider.awareness.setLocalState({ board: 'stakeholders' });
  const room = await serverRoom(id);
  await vi.waitFor(() => expect(room.awareness.getStates().size).toBe(people.length));
  scheduler.tick();
  await vi.waitFor(() => {
    for (const p of people) for (const q of people) expect(stateOf(p, q)).toBeDefined();
  });
  return { id, room, people };
}

describe('presence is relayed in batches', () => {
  it('many pointer moves within a batch reach others as one message with the latest state, names from the server', async () => {
    const { room, people } = await roomOf(['Alice Chen', 'Ben Okafor', 'Chioma Eze']);
    const [alice, ben, chioma] = people;
    const received = recordMessages(ben);
    for (let x = 1; x <= 10; x++) {
      alice.provider.awareness.setLocalState({ user: { name: 'The Mayor', role: 'lead' }, cursor: { x, y: 2 * x } });
      chioma.provider.awareness.setLocalState({ cursor: { x: -x, y: 0 } });
    }
    // The server has them all, and has relayed none of them yet.
    await vi.waitFor(() => {
      expect((room.awareness.getStates().get(alice.doc.clientID) as Cursor)?.cursor).toEqual({ x: 10, y: 20 });
      expect((room.awareness.getStates().get(chioma.doc.clientID) as Cursor)?.cursor).toEqual({ x: -10, y: 0 });
    });
    expect(scheduler.pending).toBe(1);
    expect(received).toEqual([]);
    expect(stateOf(ben, alice)?.cursor).toBeUndefined();

    scheduler.tick();
    await vi.waitFor(() => expect(stateOf(ben, chioma)?.cursor).toEqual({ x: -10, y: 0 }));
    expect(stateOf(ben, alice)?.cursor).toEqual({ x: 10, y: 20 });
    // One message, both people in it.
    expect(received).toEqual([[alice.doc.clientID, chioma.doc.clientID].sort()]);
    // The name and role others see are the server's, not the claimed ones.
    expect(stateOf(ben, alice)?.user).toEqual({ name: 'Alice Chen', role: 'participant' });
  });

  it('document updates are not held back by a waiting presence batch', async () => {
    const { room, people } = await roomOf(['Alice Chen', 'Ben Okafor']);
    const [alice, ben] = people;
    alice.provider.awareness.setLocalState({ cursor: { x: 5, y: 5 } });
    await vi.waitFor(() => expect((room.awareness.getStates().get(alice.doc.clientID) as Cursor)?.cursor).toEqual({ x: 5, y: 5 }));
    expect(scheduler.pending).toBe(1);

    alice.doc.getMap('notes').set('agenda', 'Map the landscape');
    await vi.waitFor(() => expect(ben.doc.getMap('notes').get('agenda')).toBe('Map the landscape'));
    // The edit arrived while the pointer move still waits for its batch.
    expect(scheduler.pending).toBe(1);
    expect(stateOf(ben, alice)?.cursor).toBeUndefined();
    scheduler.tick();
    await vi.waitFor(() => expect(stateOf(ben, alice)?.cursor).toEqual({ x: 5, y: 5 }));
  });

  it('a person who leaves disappears for the others with the next batch', async () => {
    const { room, people } = await roomOf(['Alice Chen', 'Ben Okafor', 'Chioma Eze']);
    const [alice, ben, chioma] = people;
    clients.splice(clients.indexOf(alice), 1);
    alice.destroy();
    await vi.waitFor(() => expect(room.awareness.getStates().has(alice.doc.clientID)).toBe(false));
    expect(scheduler.pending).toBe(1);
    scheduler.tick();
    await vi.waitFor(() => {
      expect(stateOf(ben, alice)).toBeUndefined();
      expect(stateOf(chioma, alice)).toBeUndefined();
    });
    expect(stateOf(ben, chioma)).toBeDefined();
  });

  it('a newcomer gets everyone present at once, without waiting for a batch', async () => {
    const { id, room, people } = await roomOf(['Alice Chen', 'Ben Okafor']);
    const late = open(id, await h.invite(id, 'observer', 'Dana Whitfield'));
    await late.synced;
    late.provider.awareness.setLocalState({ board: 'stakeholders' });
    await vi.waitFor(() => {
      for (const p of people) expect(stateOf(late, p)?.user?.name).toBeDefined();
    });
    // Their own arrival is in a batch not yet sent.
    await vi.waitFor(() => expect(room.awareness.getStates().has(late.doc.clientID)).toBe(true));
    expect(scheduler.pending).toBe(1);
    expect(stateOf(people[0], late)).toBeUndefined();
  });
});

describe('the batch interval', () => {
  /** A peer that keeps what it is sent. */
  const peer = (i: number): Peer & { sent: Uint8Array[] } => {
    const sent: Uint8Array[] = [];
    return { id: `p${i}`, readOnly: false, user: { name: `Person ${i}`, role: 'participant' }, sent, send: (m) => sent.push(m), close: () => {} };
  };
  const presence = (clientID: number, x: number) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(e, encodePresence([{ clientID, clock: x, state: { cursor: { x, y: 0 } } }]));
    return encoding.toUint8Array(e);
  };

  it('is 50 ms in a small room, 100 ms from 30 connections on, and 0 relays at once', async () => {
    const asked: number[] = [];
    const schedule: BatchScheduler = (_flush, ms) => {
      asked.push(ms);
      return () => {};
    };
    const room = await Room.load('r', new MemoryDocStorage(), { presenceScheduler: schedule });
    const peers = Array.from({ length: LARGE_ROOM_PEERS }, (_, i) => peer(i));
    room.join(peers[0]);
    room.join(peers[1]);
    room.receive(peers[0], presence(1000, 1));
    expect(asked).toEqual([PRESENCE_BATCH_MS]);
    room.flushPresence();
    for (const p of peers.slice(2)) room.join(p);
    room.receive(peers[0], presence(1000, 2));
    expect(asked).toEqual([PRESENCE_BATCH_MS, LARGE_ROOM_PRESENCE_BATCH_MS]);
    room.destroy();

    const immediate = await Room.load('r2', new MemoryDocStorage(), { presenceBatchMs: 0, presenceScheduler: schedule });
    const [a, b] = [peer(0), peer(1)];
    immediate.join(a);
    immediate.join(b);
    const before = b.sent.length;
    immediate.receive(a, presence(2000, 1));
    immediate.receive(a, presence(2000, 2));
    expect(b.sent.length - before).toBe(2);
    expect(asked).toHaveLength(2);
    immediate.destroy();
  });
});
