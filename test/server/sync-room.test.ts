/** The room without sockets: durability before relay, ordering, compaction, malformed input, presence. */
import { describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MESSAGE_AWARENESS, MESSAGE_SYNC, ProtocolError, Room, type Peer } from '../../server/sync/room.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import type { StoredDoc } from '../../server/storage/types.ts';
import { encodePresence, type PresenceUser } from '../../server/sync/presence.ts';
import { AsyncDocStorage } from './sync-helpers.ts';

interface FakePeer extends Peer {
  messages: Uint8Array[];
  closedWith: number | null;
  /** The `written` callbacks of sends, run by the test when it wants the message to have left. */
  pendingWrites: (() => void)[];
}

function fakePeer(id: string, user: PresenceUser = { name: `Person ${id}`, role: 'participant' }, readOnly = false): FakePeer {
  const peer: FakePeer = {
    id,
    readOnly,
    user,
    messages: [],
    closedWith: null,
    pendingWrites: [],
    send: (m, written) => {
      peer.messages.push(m);
      if (written) peer.pendingWrites.push(written);
    },
    close: (code) => (peer.closedWith = code),
  };
  return peer;
}

function updateMessage(update: Uint8Array): Uint8Array {
  return syncMessage(syncProtocol.messageYjsUpdate, update);
}

function presenceMessage(entries: { clientID: number; clock: number; state: unknown }[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(e, encodePresence(entries));
  return encoding.toUint8Array(e);
}

/** The presence a peer knows from what the room sent it, in order (destroy it after use). */
function relayedPresence(peer: FakePeer): awarenessProtocol.Awareness {
  const relayed = new awarenessProtocol.Awareness(new Y.Doc());
  for (const m of peer.messages.filter((x) => x[0] === MESSAGE_AWARENESS)) {
    const d = decoding.createDecoder(m);
    decoding.readVarUint(d);
    awarenessProtocol.applyAwarenessUpdate(relayed, decoding.readVarUint8Array(d), null);
  }
  return relayed;
}

/** The updates (sync messages of type update) a peer received, in order. */
function receivedUpdates(peer: FakePeer): Uint8Array[] {
  return syncPayloads(peer, syncProtocol.messageYjsUpdate);
}

/** Client-side edits, one update each: `list` gets 0..n-1 pushed in order. */
function clientEdits(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getArray<number>('list').push([i]);
  return updates;
}

function syncMessage(kind: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  encoding.writeVarUint(e, kind);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

/** The payloads of the sync messages of one kind (step 1, step 2 or update) a peer received. */
function syncPayloads(peer: FakePeer, kind: number): Uint8Array[] {
  return peer.messages
    .filter((m) => m[0] === MESSAGE_SYNC && m[1] === kind)
    .map((m) => {
      const d = decoding.createDecoder(m);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      return decoding.readVarUint8Array(d);
    });
}

/**
 * A storage holding one stored document with `n` entries in map `m`, that
 * document, and the document as it was after its first half.
 */
function storedRoom(n: number): { storage: MemoryDocStorage; stored: Y.Doc; firstHalf: Uint8Array } {
  const stored = new Y.Doc();
  let firstHalf = Y.encodeStateAsUpdate(stored);
  for (let i = 0; i < n; i++) {
    if (i === Math.floor(n / 2)) firstHalf = Y.encodeStateAsUpdate(stored);
    stored.getMap('m').set(`k${i}`, `value ${i}`);
  }
  const storage = new MemoryDocStorage();
  storage.append('r', Y.encodeStateAsUpdate(stored));
  return { storage, stored, firstHalf };
}

/** A room on an asynchronous storage, with two peers, a and b. */
async function twoPeersOnAsyncStorage() {
  const storage = new AsyncDocStorage();
  const room = await Room.load('r', storage);
  const a = fakePeer('a');
  const b = fakePeer('b');
  room.join(a);
  room.join(b);
  return { storage, room, a, b };
}

describe('room', () => {
  it('relays an update only once the asynchronous storage made it durable, in order', async () => {
    const { storage, room, a, b } = await twoPeersOnAsyncStorage();
    storage.appendGate.close();
    const updates = clientEdits(5);
    for (const u of updates) room.receive(a, updateMessage(u));
    // A sync step 1 behind them: its answer must not show what is not durable yet.
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    const before = b.messages.length;
    room.receive(b, encoding.toUint8Array(step1));
    await new Promise((resolve) => setImmediate(resolve));
    expect(storage.appends).toBe(0);
    expect(b.messages.length).toBe(before);

    storage.appendGate.open();
    await vi.waitFor(() => expect(receivedUpdates(b)).toHaveLength(5));
    const replica = new Y.Doc();
    const seen: number[][] = [];
    for (const u of receivedUpdates(b)) {
      Y.applyUpdate(replica, u);
      seen.push(replica.getArray<number>('list').toArray());
    }
    // Each relayed update applies on top of the ones before: order kept.
    expect(seen).toEqual([[0], [0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 3, 4]]);
    await vi.waitFor(() => expect(b.messages.some((m) => m[0] === MESSAGE_SYNC && m[1] === syncProtocol.messageYjsSyncStep2)).toBe(true));
    // The writer never gets its own updates back.
    expect(receivedUpdates(a)).toHaveLength(0);
    expect(storage.appends).toBe(5);
  });

  it('answers a sync step 1 with what was durable or queued before it, never with an update that arrived after it and is not stored yet', async () => {
    const { storage, room, a, b } = await twoPeersOnAsyncStorage();
    storage.appendGate.close();
    const [first, second] = clientEdits(2);
    room.receive(a, updateMessage(first));
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, new Y.Doc());
    room.receive(b, encoding.toUint8Array(step1));
    // The second edit arrives after the step 1, while the first is still being written.
    room.receive(a, updateMessage(second));
    // What the storage holds at the moment the reply leaves for b.
    const storedAtReply: number[] = [];
    const send = b.send;
    b.send = (m, written) => {
      if (m[0] === MESSAGE_SYNC && m[1] === syncProtocol.messageYjsSyncStep2)
        storedAtReply.push((storage.inner.load('r') as StoredDoc | null)?.entries ?? 0);
      send(m, written);
    };
    storage.appendGate.open();
    await vi.waitFor(() => expect(receivedUpdates(b)).toHaveLength(2));
    const replies = syncPayloads(b, syncProtocol.messageYjsSyncStep2);
    expect(replies).toHaveLength(1);
    const replica = new Y.Doc();
    Y.applyUpdate(replica, replies[0]);
    // Only the first edit: the second was not stored when the reply left.
    expect(replica.getArray<number>('list').toArray()).toEqual([0]);
    expect(storedAtReply).toEqual([1]);
  });

  it('compacts the log past the threshold, off the hot path, and keeps appends made meanwhile', async () => {
    for (const storage of [new MemoryDocStorage(), new AsyncDocStorage()]) {
      const room = await Room.load('r', storage, { compactAfterEntries: 10 });
      const a = fakePeer('a');
      room.join(a);
      const updates = clientEdits(45);
      for (const u of updates) room.receive(a, updateMessage(u));
      // Synchronously after the appends, nothing was compacted yet.
      if (storage instanceof MemoryDocStorage) expect(storage.load('r')!.entries).toBe(45);
      await room.idle();
      const stored = (await storage.load('r'))!;
      expect(stored.entries).toBeLessThanOrEqual(11);
      const loaded = new Y.Doc();
      Y.applyUpdate(loaded, stored.update);
      expect(loaded.getArray('list').toArray()).toEqual([...Array(45).keys()]);
      expect(room.log.entries).toBe(stored.entries);
      room.destroy();
    }
  });

  it('a malformed update changes neither the document nor the log', async () => {
    const storage = new MemoryDocStorage();
    const room = await Room.load('r', storage);
    const a = fakePeer('a');
    room.join(a);
    const [first, second] = clientEdits(2);
    room.receive(a, updateMessage(first));
    const vector = Y.encodeStateVector(room.doc);
    const truncated = second.slice(0, second.length - 3);
    const corrupted = second.slice();
    corrupted[corrupted.length - 4] ^= 0xff;
    for (const bad of [truncated, corrupted, new Uint8Array([1, 200, 3])]) {
      try {
        room.receive(a, updateMessage(bad));
      } catch (error) {
        expect(error).toBeInstanceOf(ProtocolError);
      }
    }
    expect(room.receive.bind(room, a, updateMessage(truncated))).toThrow(ProtocolError);
    expect(Y.encodeStateVector(room.doc)).toEqual(vector);
    const stored = storage.load('r')!;
    expect(stored.entries).toBe(1);
    Y.applyUpdate(new Y.Doc(), stored.update);
  });

  it('a storage failure closes every connection of the room with 1011', async () => {
    const { storage, room, a, b } = await twoPeersOnAsyncStorage();
    storage.failAppends = true;
    room.receive(a, updateMessage(clientEdits(1)[0]));
    await vi.waitFor(() => expect([a.closedWith, b.closedWith]).toEqual([1011, 1011]));
    expect(room.failed).toBe(true);
    expect(receivedUpdates(b)).toHaveLength(0);
  });

  it('presence: the session name and role overwrite the claimed ones; ids belong to their first announcer, capped', async () => {
    const room = await Room.load('r', new MemoryDocStorage(), { maxPresenceIdsPerPeer: 2 });
    const mallory = fakePeer('m', { name: 'Mallory Jones', role: 'observer' }, true);
    const alice = fakePeer('a', { name: 'Alice Chen', role: 'facilitator' });
    room.join(mallory);
    room.join(alice);
    room.receive(alice, presenceMessage([{ clientID: 100, clock: 1, state: { user: { name: 'Alice', color: '#0a0' }, cursor: { x: 1 } } }]));
    room.receive(
      mallory,
      presenceMessage([
        { clientID: 200, clock: 1, state: { user: { name: 'The Mayor', role: 'lead', color: '#f00' } } },
        { clientID: 100, clock: 5, state: { user: { name: 'Alice (hijacked)' } } }, // owned by alice
        { clientID: 201, clock: 1, state: {} },
        { clientID: 202, clock: 1, state: {} }, // past the cap of 2
        { clientID: room.doc.clientID, clock: 1, state: {} }, // the server's own id
      ]),
    );
    const states = room.awareness.getStates();
    expect(states.get(100)).toEqual({ user: { name: 'Alice Chen', role: 'facilitator', color: '#0a0' }, cursor: { x: 1 } });
    expect(states.get(200)).toEqual({ user: { name: 'Mallory Jones', role: 'observer', color: '#f00' } });
    expect(states.get(201)).toEqual({ user: { name: 'Mallory Jones', role: 'observer' } });
    expect(states.has(202)).toBe(false);
    expect(states.has(room.doc.clientID)).toBe(false);
    // Mallory cannot remove Alice's presence either.
    room.receive(mallory, presenceMessage([{ clientID: 100, clock: 9, state: null }]));
    expect(states.has(100)).toBe(true);
    // What alice receives (with the next presence batch) is the rewritten state.
    room.flushPresence();
    const relayed = relayedPresence(alice);
    expect((relayed.getStates().get(200) as { user: { name: string } }).user.name).toBe('Mallory Jones');
    // Leaving releases the ids and removes their states.
    room.leave(mallory);
    expect([...room.awareness.getStates().keys()]).toEqual([100]);
    // Malformed presence closes the connection: nothing of it is applied.
    const bad = presenceMessage([{ clientID: 300, clock: 1, state: {} }]);
    expect(() => room.receive(alice, bad.slice(0, bad.length - 2))).toThrow(ProtocolError);
    expect(room.awareness.getStates().has(300)).toBe(false);
    relayed.destroy();
    room.destroy();
  });
  it('a role change while connected: the next edit is judged by the new role, presence shows it to everyone', async () => {
    const storage = new MemoryDocStorage();
    const room = await Room.load('r', storage);
    const ana = fakePeer('ana', { name: 'Ana Ruiz', role: 'participant' });
    const ben = fakePeer('ben', { name: 'Ben Okafor', role: 'lead' });
    room.join(ana);
    room.join(ben);
    room.receive(ana, presenceMessage([{ clientID: 100, clock: 1, state: { user: { color: '#0a0' }, cursor: { x: 3 } } }]));
    const [first, second, third] = clientEdits(3);
    room.receive(ana, updateMessage(first));

    room.changeAccess(ana, true, { name: 'Ana Ruiz', role: 'observer' });
    // Her presence now says observer, for everyone, the rest of it kept.
    expect(room.awareness.getStates().get(100)).toEqual({ user: { color: '#0a0', name: 'Ana Ruiz', role: 'observer' }, cursor: { x: 3 } });
    room.flushPresence();
    const relayed = relayedPresence(ben);
    expect((relayed.getStates().get(100) as { user: { role: string } }).user.role).toBe('observer');
    relayed.destroy();
    // Her next edit is dropped: not in the document, the log, or anyone's messages.
    room.receive(ana, updateMessage(second));
    expect(room.doc.getArray('list').toArray()).toEqual([0]);
    expect(storage.load('r')!.entries).toBe(1);
    expect(receivedUpdates(ben)).toHaveLength(1);

    // Made participant again: she gets our state vector, as on a reconnect...
    const stepsBefore = syncPayloads(ana, syncProtocol.messageYjsSyncStep1).length;
    room.changeAccess(ana, false, { name: 'Ana Ruiz', role: 'participant' });
    const vectors = syncPayloads(ana, syncProtocol.messageYjsSyncStep1);
    expect(vectors).toHaveLength(stepsBefore + 1);
    // ...her next edit builds on the dropped one, so alone it cannot land yet...
    room.receive(ana, updateMessage(third));
    expect(room.doc.getArray('list').toArray()).toEqual([0]);
    // ...and her client's answer to our state vector brings both.
    const client = new Y.Doc();
    for (const u of [first, second, third]) Y.applyUpdate(client, u);
    room.receive(ana, syncMessage(syncProtocol.messageYjsSyncStep2, Y.encodeStateAsUpdate(client, vectors.at(-1))));
    expect(room.doc.getArray('list').toArray()).toEqual([0, 1, 2]);
    client.destroy();
    // Promoting a peer that could already edit sends nothing more.
    room.changeAccess(ana, false, { name: 'Ana Ruiz', role: 'facilitator' });
    expect(syncPayloads(ana, syncProtocol.messageYjsSyncStep1)).toHaveLength(stepsBefore + 1);
    room.destroy();
  });

  describe('a large stored document is built after the first reply', () => {
    const deferred = { deferBuildAboveBytes: 0, hydrateAfterMs: 60_000 };

    it('answers a fresh client from the stored bytes, then builds once the reply has left and sends its state vector', async () => {
      const { storage, stored } = storedRoom(200);
      const room = await Room.load('r', storage, deferred);
      const a = fakePeer('a');
      room.join(a);
      // Our step 1 needs the document, so it waits.
      expect(syncPayloads(a, syncProtocol.messageYjsSyncStep1)).toHaveLength(0);
      room.receive(a, syncMessage(syncProtocol.messageYjsSyncStep1, Y.encodeStateVector(new Y.Doc())));
      const [reply] = syncPayloads(a, syncProtocol.messageYjsSyncStep2);
      expect(reply).toEqual(storage.load('r')!.update);
      expect(room.hydrated).toBe(false);
      // The reply has left: the room builds on the next turn and then sends its step 1.
      for (const written of a.pendingWrites.splice(0)) written();
      await vi.waitFor(() => expect(room.hydrated).toBe(true));
      const [vector] = syncPayloads(a, syncProtocol.messageYjsSyncStep1);
      expect(Y.decodeStateVector(vector)).toEqual(Y.decodeStateVector(Y.encodeStateVector(stored)));
      expect(room.doc.getMap('m').toJSON()).toEqual(stored.getMap('m').toJSON());
      // Building from storage wrote nothing back to the log.
      expect(storage.load('r')!.entries).toBe(1);
      room.destroy();
    });

    it('builds at once when something needs the document: a client with state, or an edit', async () => {
      const { storage, stored, firstHalf } = storedRoom(50);
      const room = await Room.load('r', storage, deferred);
      const a = fakePeer('a');
      const b = fakePeer('b');
      room.join(a);
      room.join(b);
      // `a` knows the first half of the document: it gets exactly the rest.
      const half = new Y.Doc();
      Y.applyUpdate(half, firstHalf);
      const known = Y.encodeStateVector(half);
      half.getMap('m').set('mine', 'offline edit');
      room.receive(a, syncMessage(syncProtocol.messageYjsSyncStep1, known));
      expect(room.hydrated).toBe(true);
      expect(syncPayloads(a, syncProtocol.messageYjsSyncStep1)).toHaveLength(1);
      expect(syncPayloads(b, syncProtocol.messageYjsSyncStep1)).toHaveLength(1);
      const [rest] = syncPayloads(a, syncProtocol.messageYjsSyncStep2);
      const restOnly = new Y.Doc();
      Y.applyUpdate(restOnly, rest);
      expect(restOnly.getMap('m').has('k0')).toBe(false);
      Y.applyUpdate(half, rest);
      expect(half.getMap('m').get('k49')).toBe('value 49');
      // Its own edit is applied to the full document, stored, and relayed.
      room.receive(a, updateMessage(Y.encodeStateAsUpdate(half, Y.encodeStateVector(stored))));
      expect(room.doc.getMap('m').get('mine')).toBe('offline edit');
      expect(room.doc.getMap('m').get('k49')).toBe('value 49');
      expect(receivedUpdates(b)).toHaveLength(1);
      expect(storage.load('r')!.entries).toBe(2);
      room.destroy();

      const edited = await Room.load('r', storage, deferred);
      const c = fakePeer('c');
      edited.join(c);
      const edit = new Y.Doc();
      edit.getMap('other').set('x', 1);
      edited.receive(c, updateMessage(Y.encodeStateAsUpdate(edit)));
      expect(edited.hydrated).toBe(true);
      expect(edited.doc.getMap('m').get('mine')).toBe('offline edit');
      edited.destroy();
    });

    it('builds after hydrateAfterMs when nobody asks, so a silent client still gets our state vector', async () => {
      const { storage } = storedRoom(20);
      const room = await Room.load('r', storage, { deferBuildAboveBytes: 0, hydrateAfterMs: 5 });
      const a = fakePeer('a');
      room.join(a);
      expect(room.hydrated).toBe(false);
      await vi.waitFor(() => expect(syncPayloads(a, syncProtocol.messageYjsSyncStep1)).toHaveLength(1));
      expect(room.doc.getMap('m').size).toBe(20);
      room.destroy();
    });

    it('stored bytes that do not read fail the room with 1011 when it builds, and nothing throws', async () => {
      const storage = new MemoryDocStorage();
      storage.append('r', new Uint8Array([1, 200, 3, 7, 7, 7]));
      const failures: string[] = [];
      const room = await Room.load('r', storage, { ...deferred, hooks: { failed: (name) => failures.push(name) } });
      const a = fakePeer('a');
      room.join(a);
      expect(room.hydrated).toBe(false);
      const edit = new Y.Doc();
      edit.getMap('m').set('x', 1);
      room.receive(a, updateMessage(Y.encodeStateAsUpdate(edit)));
      expect(room.failed).toBe(true);
      expect(a.closedWith).toBe(1011);
      expect(failures).toEqual(['r']);
      expect(storage.load('r')!.entries).toBe(1);
      room.destroy();
    });

    it('a small stored document is built on load', async () => {
      const { storage } = storedRoom(20);
      const room = await Room.load('r', storage);
      expect(room.hydrated).toBe(true);
      const a = fakePeer('a');
      room.join(a);
      expect(syncPayloads(a, syncProtocol.messageYjsSyncStep1)).toHaveLength(1);
      room.destroy();
    });
  });
});
