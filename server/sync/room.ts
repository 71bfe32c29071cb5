/**
 * A room: one initiative's live document, its presence, and the connections in
 * it. Protocol logic only: no sockets here (see ./endpoint.ts), so a room can be
 * driven by any transport and tested without one.
 *
 * Every document update goes to the storage log before it is relayed to anyone,
 * in order: the room's AppendQueue (../storage/appendQueue.ts) sees to that,
 * and to compaction.
 *
 * The parts that stand alone are apart: presence (./presence.ts,
 * ./presenceBatch.ts), the cold load (./hydration.ts), other processes' entries
 * (./roomLink.ts keeps their books, ./remoteEntries.ts applies and relays them),
 * the message encoding (./messages.ts) and the queue.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocStorage, StoredDoc } from '../storage/types.ts';
import { AppendQueue } from '../storage/appendQueue.ts';
import { isDatabaseUnreachable, SAVING_PAUSED } from '../storage/outage.ts';
import { CLOSE } from '../../src/contract/closeCodes.ts';
import { decodePresence, PresenceOwners, PresenceStates, withSessionUser, type PresenceUser } from './presence.ts';
import { LARGE_ROOM_PEERS, PresenceBatch } from './presenceBatch.ts';
import { REMOTE, RoomLink } from './roomLink.ts';
import { ProtocolError, ROOM_DEFAULTS, type Peer, type RoomOptions } from './roomOptions.ts';
import { encodeMessage, MESSAGE_AUTH, MESSAGE_AWARENESS, MESSAGE_QUERY_AWARENESS, MESSAGE_SYNC } from './messages.ts';
import { Hydration, LOADED } from './hydration.ts';
import { RELAYED, RemoteEntries } from './remoteEntries.ts';

export { ProtocolError, type Peer, type RoomHooks, type RoomOptions } from './roomOptions.ts';
export { MESSAGE_AWARENESS, MESSAGE_SYNC } from './messages.ts';
export { fromAnotherProcess } from './remoteEntries.ts';

export class Room {
  private readonly ydoc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.ydoc);
  private readonly peers = new Set<Peer>();
  private readonly presence: PresenceOwners<Peer>;
  /** The awareness's states with their bytes, each encoded once (see ./presence.ts). */
  private readonly presenceStates = new PresenceStates(this.awareness);
  private readonly options: Required<Omit<RoomOptions, 'hooks' | 'presenceScheduler' | 'link'>>;
  /** Presence changes waiting for the next batch (see ./presenceBatch.ts). */
  private readonly presenceBatch: PresenceBatch;
  /** The durable log: every update is appended there before it is relayed. */
  private readonly appends: AppendQueue;
  private destroyed = false;
  /** The stored document until it is built (see ./hydration.ts). */
  private readonly hydration: Hydration;
  /** Other processes' entries, and whether a client's update waits for one (see ./remoteEntries.ts). */
  private readonly remote = new RemoteEntries(() => this.doc, this.peers);
  /** Set when storage failed because the database could not be reached (see `outage`). */
  private unreachable = false;
  private readonly failureListeners: (() => void)[] = [];

  /** Loads the room's stored document (after subscribing to other processes' news of it); the room answers no one before that. */
  static async load(name: string, storage: DocStorage, options: RoomOptions = {}): Promise<Room> {
    const link = options.link ? await RoomLink.open(name, storage, options.link) : null;
    try {
      return new Room(name, storage, await storage.load(name), options, link);
    } catch (error) {
      link?.close();
      throw error;
    }
  }

  private constructor(
    readonly name: string,
    private readonly storage: DocStorage,
    stored: StoredDoc | null,
    options: RoomOptions,
    private readonly link: RoomLink | null,
  ) {
    this.options = { ...ROOM_DEFAULTS, ...options };
    this.appends = new AppendQueue(name, storage, stored, {
      compactAfterEntries: this.options.compactAfterEntries,
      compactAfterBytes: this.options.compactAfterBytes,
      // Compaction reads the document; until it is built, it waits (see ./hydration.ts).
      source: {
        ready: () => this.hydrated && !this.destroyed,
        snapshot: () => Y.encodeStateAsUpdate(this.ydoc),
        // With other processes appending, only what is known to be in the document.
        upto: link ? () => link.seq : undefined,
      },
      // The document now holds updates that never became durable: nobody is served from it again.
      // Clients keep their edits and send them again to the room reloaded from storage.
      onFailure: (error) => {
        this.unreachable = isDatabaseUnreachable(error);
        for (const peer of [...this.peers]) this.refuse(peer);
        for (const listener of this.failureListeners.splice(0)) listener();
      },
      hooks: options.hooks,
    });
    // Neither the server's own id nor another process's client's may be claimed.
    this.presence = new PresenceOwners<Peer>(this.options.maxPresenceIdsPerPeer, {
      has: (id) => id === this.ydoc.clientID || (link?.isRemote(id) ?? false),
    });
    // The server itself is not present in the room.
    this.awareness.setLocalState(null);
    this.hydration = new Hydration(this.ydoc, this.options.hydrateAfterMs, {
      step1: () => this.step1(),
      failed: (error) => this.appends.fail(error),
      built: () => this.appends.maybeCompact(),
    });
    this.hydration.start(stored, this.options.deferBuildAboveBytes);
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOADED) return;
      this.hydration.changed();
      if (origin === RELAYED) return;
      const message = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
      // From another process: durable there already; relayed to our clients only, unless a client's
      // update is held back here, which it may release (./remoteEntries.ts): then appended like an edit.
      if (origin === REMOTE && this.remote.relayOnly()) for (const peer of this.peers) peer.send(message);
      else
        this.appends.append(update, (seq) => {
          // The other processes first: their hop is the longer one (docs/performance.md, session 22: cluster).
          this.link?.appended(seq, update);
          for (const peer of this.peers) if (peer !== origin) peer.send(message);
        });
    });
    // One message per batch for everyone, encoded once, with each changed client's state as it is
    // when the batch goes out (a removal included): the latest wins.
    this.presenceBatch = new PresenceBatch(
      () => (this.peers.size >= LARGE_ROOM_PEERS ? this.options.largeRoomPresenceBatchMs : this.options.presenceBatchMs),
      (ids) => {
        if (this.destroyed) return;
        this.link?.publishPresence((own) => this.presenceStates.encode(own));
        if (this.peers.size === 0) return;
        const message = this.presenceMessage(ids);
        for (const peer of this.peers) peer.send(message);
      },
      options.presenceScheduler,
    );
    // A new state set by its holder (here or elsewhere) outdates the claims kept for its id; a renewal of the
    // same state (no 'change') or a removal does not.
    this.awareness.on('change', ({ added, updated }: AwarenessChange) => {
      for (const id of [...added, ...updated]) this.presence.settle(id, this.awareness.meta.get(id)?.clock ?? 0);
    });
    this.awareness.on('update', (change: AwarenessChange, origin: unknown) => {
      this.link?.presenceChanged(change, origin);
      this.presenceBatch.add([...change.added, ...change.updated, ...change.removed]);
    });
    this.appends.maybeCompact();
    link?.attach(
      {
        applyUpdate: (update, next) => this.remote.apply(update, next),
        applyPresence: (entries) => this.presenceStates.apply(entries, REMOTE),
        removePresence: (ids) => awarenessProtocol.removeAwarenessStates(this.awareness, ids.filter((id) => this.awareness.states.has(id)), REMOTE),
        renewLocalPresence: () => {
          const { states, meta } = this.awareness;
          const own = this.presence.allIds().filter((id) => states.has(id));
          this.presenceStates.apply(own.map((id) => ({ clientID: id, clock: (meta.get(id)?.clock ?? 0) + 1, state: states.get(id) })), null);
        },
        ownsLocally: (id) => this.presence.owns(id),
        released: (ids) => this.grantWaiting(ids),
        connected: () => this.peers.size > 0,
      },
      stored?.seq ?? 0,
    );
  }

  /** Applies what other processes appended that this one has not heard of yet (at once without a link). */
  catchUp(): Promise<void> {
    return this.link?.catchUp() ?? Promise.resolve();
  }

  /** The live document, built from storage first if it was not yet (which can take a while for a large one). */
  get doc(): Y.Doc {
    this.hydration.build();
    return this.ydoc;
  }

  /** Replaces the stored log by one snapshot of the document soon, whatever its size (what was deleted leaves the disk). */
  compactSoon(): void {
    this.appends.compactSoon();
  }

  /** The stored update while the document is not built from it yet (see ./hydration.ts), else null. */
  get unbuilt(): Uint8Array | null {
    return this.hydration.unbuilt;
  }

  /** True once the stored document is applied (see ./hydration.ts). */
  get hydrated(): boolean {
    return this.hydration.hydrated;
  }

  get size(): number {
    return this.peers.size;
  }

  /**
   * The storage lost appends it had already answered (a failed group commit):
   * the document may hold updates that never became durable, so the room fails
   * as on a failed append (1011 to all, then dropped).
   */
  storageLost(error: unknown): void {
    this.appends.fail(error);
  }

  /** True once storage failed; the room then refuses work and is dropped. */
  get failed(): boolean {
    return this.appends.failed;
  }

  /** True when storage failed because the database could not be reached (../storage/outage.ts): peers got 1013, not 1011. */
  get outage(): boolean {
    return this.unreachable;
  }

  /** Runs `listener` once, when storage fails (at once if it has). */
  onFailed(listener: () => void): void {
    if (this.failed) listener();
    else this.failureListeners.push(listener);
  }

  private refuse(peer: Peer): void {
    if (this.unreachable) peer.close(CLOSE.tryAgain, SAVING_PAUSED);
    else peer.close(CLOSE.serverError, 'Storage failure.');
  }

  /** Adds a peer and opens the sync: our state vector, and everyone's presence. */
  join(peer: Peer): void {
    if (this.failed || this.destroyed) return this.refuse(peer);
    this.peers.add(peer);
    this.hydration.step1To(peer, true);
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) peer.send(this.presenceMessage(present));
  }

  /** Removes a peer and the presence it owned. */
  leave(peer: Peer): void {
    // A room dropped while peers were connected (its storage failed) has no presence left to change.
    if (!this.peers.delete(peer) || this.destroyed) return;
    this.hydration.left(peer);
    const released = this.presence.release(peer);
    const ids = released.filter((id) => this.awareness.getStates().has(id));
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
    this.grantWaiting(released);
  }

  /**
   * A peer's role changed while it is connected: from its next message on, its
   * edits are dropped (`readOnly`) or applied, and its presence carries `user`.
   * Its present awareness states are rewritten with the new user for everyone
   * at once. A peer that may edit again gets our state vector, as on a
   * reconnect: the edits it made meanwhile were dropped, and its later ones
   * build on them, so the document needs them to take those (see docs/sync.md).
   */
  changeAccess(peer: Peer, readOnly: boolean, user: PresenceUser): void {
    const mayEditAgain = peer.readOnly && !readOnly;
    peer.readOnly = readOnly;
    peer.user = user;
    if (!this.peers.has(peer)) return;
    const states = this.awareness.getStates();
    const meta = this.awareness.meta;
    const rewritten = this.presence
      .idsOf(peer)
      .filter((id) => states.has(id))
      .map((id) => ({ clientID: id, clock: (meta.get(id)?.clock ?? 0) + 1, state: withSessionUser(states.get(id), user) }));
    if (rewritten.length > 0) this.presenceStates.apply(rewritten, peer);
    if (!mayEditAgain || this.destroyed) return;
    this.hydration.step1To(peer, false);
  }

  /** Handles one binary message from `peer`. Throws ProtocolError when it is malformed. */
  receive(peer: Peer, message: Uint8Array): void {
    if (!this.peers.has(peer) || this.failed) return;
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC:
          return this.receiveSync(peer, decoder);
        case MESSAGE_AWARENESS:
          return this.receivePresence(peer, decoding.readVarUint8Array(decoder));
        case MESSAGE_QUERY_AWARENESS:
          return peer.send(this.presenceMessage([...this.awareness.getStates().keys()]));
        case MESSAGE_AUTH:
          return;
        default:
          throw new ProtocolError(`unknown message type ${type}`);
      }
    } catch (error) {
      if (error instanceof ProtocolError) throw error;
      throw new ProtocolError(`malformed message: ${(error as Error).message}`);
    }
  }

  private receiveSync(peer: Peer, decoder: decoding.Decoder): void {
    const kind = decoding.readVarUint(decoder);
    switch (kind) {
      case syncProtocol.messageYjsSyncStep1: {
        const stateVector = decoding.readVarUint8Array(decoder);
        const empty = Y.decodeStateVector(stateVector).size === 0; // throws when malformed
        // The reply only shows what is durable: it is made now, from updates stored or queued before
        // this point, and leaves once those are durable; an update arriving meanwhile is not in it
        // (it reaches this peer when it is durable, as it reaches everyone).
        const pristine = empty ? this.hydration.pristine : null;
        const fromStorage = pristine !== null;
        const update = pristine ?? Y.encodeStateAsUpdate(this.doc, stateVector);
        const reply = encodeMessage(MESSAGE_SYNC, (e) => {
          encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
          encoding.writeVarUint8Array(e, update);
        });
        this.appends.whenDurable(() => {
          if (this.destroyed) return;
          // Build the document once the reply has left, not while it is still being written.
          if (fromStorage && !this.hydrated) peer.send(reply, () => setImmediate(() => this.hydration.build()));
          else peer.send(reply);
        });
        return;
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder);
        // Read the whole update before any of it touches the document, so a
        // malformed one changes nothing.
        const read = Y.decodeUpdate(update);
        // An observer's edits never reach the document, the log or anyone else.
        if (peer.readOnly) return;
        const { store } = this.doc;
        Y.applyUpdate(this.doc, update, peer);
        // What Yjs took went out above; a part it held back waits for another process's entry (./remoteEntries.ts).
        this.remote.clientApplied(store, read);
        return;
      }
      default:
        throw new ProtocolError(`unknown sync message type ${kind}`);
    }
  }

  private receivePresence(peer: Peer, update: Uint8Array): void {
    const accepted = decodePresence(update)
      .filter((entry) => this.presence.claim(peer, entry, this.awareness.meta.get(entry.clientID)?.clock))
      .map((entry) => ({ ...entry, state: withSessionUser(entry.state, peer.user) }));
    if (accepted.length > 0) this.presenceStates.applyOwned(accepted, peer);
  }

  /**
   * `ids` were let go (their connection left, or another process's client left
   * or its process died): the claims refused meanwhile are applied now (see
   * PresenceOwners), each clock past the one held (see `applyOwned`: the old
   * holder's process may have renewed it past the client's own).
   */
  private grantWaiting(ids: number[]): void {
    if (this.destroyed) return;
    for (const { owner, entry } of this.presence.retry(ids))
      this.presenceStates.applyOwned([{ ...entry, state: withSessionUser(entry.state, owner.user) }], owner);
  }

  private step1(): Uint8Array {
    return encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, this.ydoc));
  }

  private presenceMessage(ids: number[]): Uint8Array {
    return encodeMessage(MESSAGE_AWARENESS, (e) => encoding.writeVarUint8Array(e, this.presenceStates.encode(ids)));
  }

  /** Relays the presence changes waiting for the next batch now. */
  flushPresence(): void {
    this.presenceBatch.flush();
  }

  /** Resolves once no storage work is pending. */
  idle(): Promise<void> {
    return this.appends.idle();
  }

  /** Every log entry up to this number is in the document (with other processes: what this one has heard in order). */
  get seq(): number {
    return this.link?.seq ?? this.appends.log.seq;
  }

  /** Log entries and bytes, as the compaction policy counts them. */
  get log(): { entries: number; bytes: number; seq: number } {
    return this.appends.log;
  }

  destroy(): void {
    if (this.destroyed) return;
    // What waits for the batch goes out to the other processes (a removal of someone who left).
    if (this.link) this.presenceBatch.flush();
    this.destroyed = true;
    this.hydration.stop();
    this.failureListeners.length = 0;
    this.link?.close();
    this.appends.stop();
    // Unloaded: the storage lets go of what it keeps for the room (the SQLite log's next number).
    this.storage.forget?.(this.name);
    this.awareness.destroy();
    // After the awareness: its destroy announces the server's own (empty) state gone.
    this.presenceBatch.stop();
    this.ydoc.destroy();
  }
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}
