/**
 * How a room relays another process's updates to its own clients (#14 point 7):
 * the next entry in order, with no gap open and nothing pending in the document,
 * goes out as it came, before the document applies it; an entry past a gap, the
 * one that fills it, and anything while the document holds pending structs go
 * out as the document takes them, so a client never misses what a gap held
 * back; bytes that do not read reach no one. One room on process x with a real
 * RedisFanout on a throwaway Redis; the entries come from process z's real
 * RedisFanout with the numbers the test chooses; link timers never run.
 */
import { describe, expect, it, vi } from 'vitest';
import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { RedisFanout } from '../../server/sync/fanout.ts';
import type { BatchScheduler } from '../../server/sync/presenceBatch.ts';
import { MESSAGE_SYNC, Room, type Peer } from '../../server/sync/room.ts';
import { Rooms, type DocChange } from '../../server/sync/rooms.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import type { DocStorage } from '../../server/storage/types.ts';
import { redisSuite } from '../support/redisSuite.ts';
import { manualClock } from './fanoutClock.ts';

const suite = redisSuite();
const { ends } = suite;

/** A client's connection to x that notes each document update it is sent, and whether x's document had it then. */
function watchingPeer(room: () => Room) {
  const updates: Uint8Array[] = [];
  const docHadIt: boolean[] = [];
  const peer: Peer = {
    id: 'client',
    readOnly: false,
    user: { name: 'Client', role: 'participant' },
    send(message) {
      const decoder = decoding.createDecoder(message);
      if (decoding.readVarUint(decoder) !== MESSAGE_SYNC || decoding.readVarUint(decoder) !== syncProtocol.messageYjsUpdate) return;
      const update = decoding.readVarUint8Array(decoder);
      updates.push(update);
      const keys = [...Y.decodeUpdate(update).structs].flatMap((s) => ('parentSub' in s && s.parentSub ? [s.parentSub] : []));
      docHadIt.push(keys.every((k) => room().doc.getMap('entities').has(k)));
    },
    close: () => {},
  };
  return { peer, updates, docHadIt };
}

/** The room on x with one client, and z publishing entries of the room's log. */
async function linked<S extends DocStorage = MemoryDocStorage>(storage: S = new MemoryDocStorage() as DocStorage as S) {
  const never: BatchScheduler = () => () => {};
  const name = `room-${randomBytes(4).toString('hex')}`;
  const [x, z] = [new RedisFanout(suite.redis.url, { node: 'x', clock: manualClock().clock }), new RedisFanout(suite.redis.url, { node: 'z', clock: manualClock().clock })];
  await vi.waitFor(() => expect(x.ready && z.ready).toBe(true));
  const errors: unknown[] = [];
  const room = await Room.load(name, storage, { link: { fanout: x, scheduler: never, onError: (_room, error) => errors.push(error) } });
  const client = watchingPeer(() => room);
  room.join(client.peer);
  ends.push(async () => {
    room.destroy();
    await Promise.all([x.close(), z.close()]);
  });
  return { room, name, z, storage, client, errors, has: (key: string) => room.doc.getMap('entities').has(key) };
}

/** The memory log, answering appends after the turn as a database does. */
class LaterStorage implements DocStorage {
  readonly memory = new MemoryDocStorage();
  load(room: string) {
    return this.memory.load(room);
  }
  loadSince(room: string, seq: number) {
    return this.memory.loadSince(room, seq);
  }
  append(room: string, update: Uint8Array): Promise<number> {
    return Promise.resolve().then(() => this.memory.append(room, update));
  }
  compact(room: string, snapshot: Uint8Array, uptoSeq: number) {
    return this.memory.compact(room, snapshot, uptoSeq);
  }
  flush() {}
}

/** A storage whose appends become durable only when the test says so. */
class GatedStorage extends LaterStorage {
  readonly waiting: (() => void)[] = [];
  override append(room: string, update: Uint8Array): Promise<number> {
    const seq = this.memory.append(room, update);
    return new Promise((resolve) => this.waiting.push(() => resolve(seq)));
  }
}

/** A client's sync update message carrying `update`. */
function syncUpdate(update: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, MESSAGE_SYNC);
  syncProtocol.writeUpdate(e, update);
  return encoding.toUint8Array(e);
}

/** An update made on a document of its own, so it depends on what that document held before. */
function editor() {
  const doc = new Y.Doc();
  return (key: string) => {
    let update: Uint8Array = new Uint8Array();
    const capture = (u: Uint8Array) => (update = u);
    doc.once('update', capture);
    doc.getMap('entities').set(key, { name: key });
    return update;
  };
}

describe("another process's updates reach this room's clients", () => {
  it('the next entry in order goes out as it came, before the document applies it', async () => {
    const { name, z, client, has } = await linked();
    const edit = editor();
    const [first, second] = [edit('library'), edit('clinic')];
    z.publishUpdate(name, 1, first);
    z.publishUpdate(name, 2, second);
    await vi.waitFor(() => expect(has('clinic')).toBe(true));
    expect(client.updates).toEqual([first, second]);
    expect(client.docHadIt).toEqual([false, false]);
  });

  it('an entry past a gap, and the one that fills it, go out as the document takes them; the client ends with everything', async () => {
    const { room, name, z, client, has } = await linked();
    const edit = editor();
    const [first, second, third, fourth] = [edit('library'), edit('clinic'), edit('school'), edit('garden')];
    z.publishUpdate(name, 1, first);
    // Entry 2 is late (another process's message crossing): 3 arrives first, and depends on 2.
    z.publishUpdate(name, 3, third);
    z.publishUpdate(name, 2, second);
    z.publishUpdate(name, 4, fourth);
    await vi.waitFor(() => expect(has('garden')).toBe(true));
    // Relayed before applied: entry 1 only, and 4, which came in order once the gap had closed.
    expect(client.docHadIt).toEqual([false, true, false]);
    const mirror = new Y.Doc();
    for (const update of client.updates) Y.applyUpdate(mirror, update);
    expect([...mirror.getMap('entities').keys()].sort()).toEqual(['clinic', 'garden', 'library', 'school']);
    expect(Y.encodeStateVector(mirror)).toEqual(Y.encodeStateVector(room.doc));
    expect(mirror.store.pendingStructs).toBeNull();
  });

  it('while the document holds pending structs, an entry in order goes out as the document takes it', async () => {
    const { room, name, z, client, has } = await linked();
    const edit = editor();
    const [first, second] = [edit('library'), edit('clinic')];
    // A client back from another process sends what it made there, built on entry 1, which x has not heard
    // yet: Yjs holds it pending. Entry 1 releases it; the client here must get both.
    const returning: Peer = { id: 'returning', readOnly: false, user: { name: 'Back', role: 'participant' }, send: () => {}, close: () => {} };
    room.join(returning);
    room.receive(returning, syncUpdate(second));
    expect(room.doc.store.pendingStructs).not.toBeNull();
    z.publishUpdate(name, 1, first);
    await vi.waitFor(() => expect(has('clinic')).toBe(true));
    const mirror = new Y.Doc();
    for (const update of client.updates) Y.applyUpdate(mirror, update);
    expect([...mirror.getMap('entities').keys()].sort()).toEqual(['clinic', 'library']);
    expect(mirror.store.pendingStructs).toBeNull();
  });

  it("a client's update that Yjs holds back is appended and published with the entry that releases it, and reaches clients here then", async () => {
    const { room, name, z, storage, client, has } = await linked();
    const heard: { seq: number; update: Uint8Array }[] = [];
    await z.subscribe(name, (message) => {
      if (message.kind === 'update') heard.push(message);
    });
    const edit = editor();
    const [first, second] = [edit('library'), edit('clinic')];
    const returning: Peer = { id: 'returning', readOnly: false, user: { name: 'Back', role: 'participant' }, send: () => {}, close: () => {} };
    room.join(returning);
    room.receive(returning, syncUpdate(second));
    expect(has('clinic')).toBe(false);
    // Only what Yjs takes is ever written: nothing of it while it is held.
    expect(storage.load(name)).toBeNull();
    z.publishUpdate(name, 1, first);
    await vi.waitFor(() => expect(has('clinic')).toBe(true));
    // Released, it is in the log and reaches the other processes.
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    const onZ = new Y.Doc();
    Y.applyUpdate(onZ, heard[0].update);
    expect(onZ.getMap('entities').has('clinic')).toBe(true);
    const fromLog = new Y.Doc();
    Y.applyUpdate(fromLog, storage.load(name)!.update);
    expect(fromLog.getMap('entities').has('clinic')).toBe(true);
    const mirror = new Y.Doc();
    for (const update of client.updates) Y.applyUpdate(mirror, update);
    expect([...mirror.getMap('entities').keys()].sort()).toEqual(['clinic', 'library']);
  });

  it('a held-back update released by an entry reaches the clients here only once it is durable', async () => {
    const storage = new GatedStorage();
    const { room, name, z, client, has } = await linked(storage);
    const edit = editor();
    const [first, second] = [edit('library'), edit('clinic')];
    const returning: Peer = { id: 'returning', readOnly: false, user: { name: 'Back', role: 'participant' }, send: () => {}, close: () => {} };
    room.join(returning);
    room.receive(returning, syncUpdate(second));
    expect(storage.waiting).toHaveLength(0);
    z.publishUpdate(name, 1, first);
    await vi.waitFor(() => expect(has('clinic')).toBe(true));
    expect(storage.waiting).toHaveLength(1);
    expect(client.updates).toEqual([]);
    storage.waiting.shift()!();
    await vi.waitFor(() => expect(client.updates.length).toBe(1));
    const mirror = new Y.Doc();
    Y.applyUpdate(mirror, client.updates[0]);
    expect([...mirror.getMap('entities').keys()].sort()).toEqual(['clinic', 'library']);
  });

  it('a deletion of content the room has not got is never appended; the edits after it are appended once each', async () => {
    const { room, name, z } = await linked();
    const heard: Uint8Array[] = [];
    await z.subscribe(name, (message) => {
      if (message.kind === 'update') heard.push(message.update);
    });
    // Made on another document: the room never had the entry this deletes, so Yjs keeps the deletion pending.
    const elsewhere = new Y.Doc();
    elsewhere.getMap('entities').set('ghost', { name: 'ghost' });
    let deletion: Uint8Array = new Uint8Array();
    elsewhere.once('update', (u: Uint8Array) => (deletion = u));
    elsewhere.getMap('entities').delete('ghost');
    const returning: Peer = { id: 'returning', readOnly: false, user: { name: 'Back', role: 'participant' }, send: () => {}, close: () => {} };
    room.join(returning);
    room.receive(returning, syncUpdate(deletion));
    expect(room.doc.store.pendingDs).not.toBeNull();
    const edit = editor();
    const edits = [edit('library'), edit('clinic'), edit('school')];
    for (const update of edits) room.receive(returning, syncUpdate(update));
    await vi.waitFor(() => expect(heard).toEqual(edits));
  });

  it('bytes that do not read reach no client, and the next entry still does', async () => {
    const { name, z, client, errors, has } = await linked();
    const edit = editor();
    z.publishUpdate(name, 1, new Uint8Array([0xff, 0xff, 0xff, 0x01, 0x02]));
    await vi.waitFor(() => expect(errors.length).toBeGreaterThan(0));
    expect(client.updates).toEqual([]);
    const first = edit('library');
    z.publishUpdate(name, 1, first);
    await vi.waitFor(() => expect(has('library')).toBe(true));
    expect(client.updates).toEqual([first]);
  });
});

describe("another process's updates and what follows a change", () => {
  /** Rooms on x, linked through Redis, telling `heard` of every change onAnyChange hears. */
  async function linkedRooms() {
    const never: BatchScheduler = () => () => {};
    const name = `room-${randomBytes(4).toString('hex')}`;
    const [x, z] = [new RedisFanout(suite.redis.url, { node: 'x', clock: manualClock().clock }), new RedisFanout(suite.redis.url, { node: 'z', clock: manualClock().clock })];
    await vi.waitFor(() => expect(x.ready && z.ready).toBe(true));
    const storage = new LaterStorage();
    const rooms = new Rooms(storage, 60_000, { link: { fanout: x, scheduler: never, onError: () => {} } });
    const heard: [string, DocChange][] = [];
    const stop = rooms.onAnyChange((room, change) => heard.push([room, change]));
    ends.push(async () => {
      stop();
      await rooms.closeAll();
      await Promise.all([x.close(), z.close()]);
    });
    const has = (key: string) => rooms.withDoc(name, (doc) => doc.getMap('entities').has(key));
    return { rooms, name, z, heard, has, storage };
  }

  it('onAnyChange hears every change, ours and those another process made, each with a log number it lies at or past', async () => {
    const { rooms, name, z, heard, has } = await linkedRooms();
    await rooms.withDoc(name, (doc) => doc.getMap('entities').set('library', { name: 'library' }));
    // Ours: its entry's number is past every one the document held (none yet).
    expect(heard).toEqual([[name, { elsewhere: false, seq: 1 }]]);
    const edit = editor();
    // Applied as it comes (no client here), then relayed before applied (a client here): both heard, with their numbers.
    z.publishUpdate(name, 2, edit('clinic'));
    await vi.waitFor(async () => expect(await has('clinic')).toBe(true));
    const room = await rooms.open(name);
    const client = watchingPeer(() => room);
    room.join(client.peer);
    z.publishUpdate(name, 3, edit('school'));
    await vi.waitFor(async () => expect(await has('school')).toBe(true));
    expect(client.docHadIt).toEqual([false]);
    room.leave(client.peer);
    rooms.release(room);
    expect(heard).toEqual([
      [name, { elsewhere: false, seq: 1 }],
      [name, { elsewhere: true, seq: 2 }],
      [name, { elsewhere: true, seq: 3 }],
    ]);
  });

  it("a client's held-back update that another process's entry releases is heard, as that entry's change", async () => {
    const { rooms, name, z, heard, has, storage } = await linkedRooms();
    const room = await rooms.open(name);
    const edit = editor();
    const [first, second] = [edit('library'), edit('clinic')];
    const returning: Peer = { id: 'returning', readOnly: false, user: { name: 'Back', role: 'participant' }, send: () => {}, close: () => {} };
    room.join(returning);
    room.receive(returning, syncUpdate(second));
    expect(room.doc.getMap('entities').has('clinic')).toBe(false);
    expect(heard).toEqual([]);
    // z appended it as number 1 before it published it.
    z.publishUpdate(name, await storage.append(name, first), first);
    await vi.waitFor(async () => expect(await has('clinic')).toBe(true));
    // One transaction holds the entry and what it released; appended here as number 2, it is heard past number 1.
    expect(heard).toEqual([[name, { elsewhere: true, seq: 1 }]]);
    await vi.waitFor(() => expect(room.seq).toBe(2));
    room.leave(returning);
    rooms.release(room);
  });
});
