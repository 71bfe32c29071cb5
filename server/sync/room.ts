/**
 * A room: one initiative's live document, its presence, and the connections in
 * it. Protocol logic only: no sockets here (see ./endpoint.ts), so a room can be
 * driven by any transport and tested without one.
 *
 * Every document update goes to the storage log before it is relayed to anyone,
 * in order: the room's AppendQueue (../storage/appendQueue.ts) sees to that,
 * and to compaction.
 *
 * Over 400 lines on purpose: the document, the presence and the peers are one
 * state that every message reads and changes; the parts that stand alone are
 * already apart (./presence.ts, ./presenceBatch.ts, ./roomLink.ts, the queue).
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

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
const MESSAGE_AUTH = 2;
const MESSAGE_QUERY_AWARENESS = 3;

const CLOSE_STORAGE_FAILURE = CLOSE.serverError;

export { ProtocolError, type Peer, type RoomHooks, type RoomOptions } from './roomOptions.ts';

const LOADED = Symbol('loaded from storage');
/** Another process's update already relayed to this room's clients as it came (see `applyRemote`). */
const RELAYED = Symbol('relayed before applied');

/** Whether Yjs holds anything pending in the document: structs or deletions it could not take yet. */
function holdsPending(store: Y.Doc['store']): boolean {
  return store.pendingStructs !== null || store.pendingDs !== null;
}

/**
 * Whether the document, having applied `read`, still lacks part of it: a struct
 * past what it holds of its client, or a deletion of content it has not got
 * (Yjs keeps those pending). Decided by value: Yjs rebuilds its pending
 * deletions on every update while any is pending.
 */
function leftPending(store: Y.Doc['store'], read: ReturnType<typeof Y.decodeUpdate>): boolean {
  if (!holdsPending(store)) return false;
  for (const struct of read.structs) {
    if (!(struct instanceof Y.Skip) && Y.getState(store, struct.id.client) < struct.id.clock + struct.length) return true;
  }
  for (const [client, deletions] of read.ds.clients) {
    const held = Y.getState(store, client);
    if (deletions.some((d) => d.clock + d.len > held)) return true;
  }
  return false;
}

/** An update's origin says it came from another process (durable there, and counted there). */
export function fromAnotherProcess(origin: unknown): boolean {
  return origin === REMOTE || origin === RELAYED;
}

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
  /**
   * The stored update the document was loaded from, while the document has not
   * changed since: a new client's first sync is answered with it as it is,
   * sparing a full encode of a large document on a cold load.
   */
  private pristine: Uint8Array | null = null;
  /**
   * The stored update not yet applied to the document. Applying a large one
   * takes a while (about 150 ms for 5,000 entities), so a cold room answers a
   * new client's first sync from the stored bytes and applies them just after
   * that reply has left (or when anything needs the document sooner, or after
   * `hydrateAfterMs`). Until then our own sync step 1 waits: it needs the
   * document's state vector.
   */
  private unapplied: Uint8Array | null = null;
  /** A client's update may be held back by Yjs, waiting for another process's entry (see `receiveSync`). */
  private heldBack = false;
  /** Peers that joined before the document was built: they get our state vector once it is. */
  private readonly awaitingStep1 = new Set<Peer>();
  private hydrateTimer: NodeJS.Timeout | null = null;
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
    storage: DocStorage,
    stored: StoredDoc | null,
    options: RoomOptions,
    private readonly link: RoomLink | null,
  ) {
    this.options = { ...ROOM_DEFAULTS, ...options };
    this.appends = new AppendQueue(name, storage, stored, {
      compactAfterEntries: this.options.compactAfterEntries,
      compactAfterBytes: this.options.compactAfterBytes,
      // Compaction reads the document; until it is built, it waits (see `hydrate`).
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
    if (stored) {
      this.unapplied = stored.update;
      this.pristine = stored.update;
      if (stored.update.byteLength <= this.options.deferBuildAboveBytes) this.hydrate();
    }
    this.ydoc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === LOADED) return;
      this.pristine = null;
      if (origin === RELAYED) return;
      const message = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
      // From another process: durable there already; relayed to our clients only.
      if (origin === REMOTE && !this.heldBack) for (const peer of this.peers) peer.send(message);
      else {
        // From another process while a client's update is held back here (see `receiveSync`): it may
        // release it, so the whole is appended as Yjs took it (the entry again, harmless), published,
        // and relayed once durable.
        if (origin === REMOTE) this.heldBack = holdsPending(this.doc.store);
        this.appends.append(update, (seq) => {
          // The other processes first: their hop is the longer one (docs/performance.md, session 22: cluster).
          this.link?.appended(seq, update);
          for (const peer of this.peers) if (peer !== origin) peer.send(message);
        });
      }
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
        applyUpdate: (update, next) => this.applyRemote(update, next),
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

  /**
   * Another process's durable update. The next in order, while the document waits for
   * nothing (no gap, no pending structs), goes to this room's clients as it came, before
   * the document applies it: they wait neither for Yjs nor for the observers. It is read
   * whole first, so bytes that do not read reach no one. Any other is relayed as the
   * document takes it (the 'update' event), so a client never misses what a gap held back.
   */
  private applyRemote(update: Uint8Array, next: boolean): void {
    const doc = this.doc;
    if (!next || this.peers.size === 0 || holdsPending(doc.store)) {
      Y.applyUpdate(doc, update, REMOTE);
      return;
    }
    Y.decodeUpdate(update); // throws when malformed
    const message = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
    for (const peer of this.peers) peer.send(message);
    Y.applyUpdate(doc, update, RELAYED);
  }

  /** Applies what other processes appended that this one has not heard of yet (at once without a link). */
  catchUp(): Promise<void> {
    return this.link?.catchUp() ?? Promise.resolve();
  }

  /** The live document, built from storage first if it was not yet (which can take a while for a large one). */
  get doc(): Y.Doc {
    this.hydrate();
    return this.ydoc;
  }

  /** Replaces the stored log by one snapshot of the document soon, whatever its size (what was deleted leaves the disk). */
  compactSoon(): void {
    this.appends.compactSoon();
  }

  /** The stored update while the document is not built from it yet (see `unapplied`), else null. */
  get unbuilt(): Uint8Array | null {
    return this.unapplied;
  }

  /** True once the stored document is applied (see `unapplied`). */
  get hydrated(): boolean {
    return this.unapplied === null;
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
    else peer.close(CLOSE_STORAGE_FAILURE, 'Storage failure.');
  }

  /** Adds a peer and opens the sync: our state vector, and everyone's presence. */
  join(peer: Peer): void {
    if (this.failed || this.destroyed) return this.refuse(peer);
    this.peers.add(peer);
    if (this.hydrated) peer.send(this.step1());
    else {
      this.awaitingStep1.add(peer);
      this.hydrateTimer ??= setTimeout(() => this.hydrate(), this.options.hydrateAfterMs).unref();
    }
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) peer.send(this.presenceMessage(present));
  }

  /** Removes a peer and the presence it owned. */
  leave(peer: Peer): void {
    // A room dropped while peers were connected (its storage failed) has no presence left to change.
    if (!this.peers.delete(peer) || this.destroyed) return;
    this.awaitingStep1.delete(peer);
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
    if (this.hydrated) peer.send(this.step1());
    else this.awaitingStep1.add(peer);
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
        const fromStorage = empty && this.pristine !== null;
        const update = fromStorage ? this.pristine! : Y.encodeStateAsUpdate(this.doc, stateVector);
        const reply = encodeMessage(MESSAGE_SYNC, (e) => {
          encoding.writeVarUint(e, syncProtocol.messageYjsSyncStep2);
          encoding.writeVarUint8Array(e, update);
        });
        this.appends.whenDurable(() => {
          if (this.destroyed) return;
          // Build the document once the reply has left, not while it is still being written.
          if (fromStorage && !this.hydrated) peer.send(reply, () => setImmediate(() => this.hydrate()));
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
        // Yjs held part of it back: it builds on an entry this process has not heard yet (a client back
        // from a process that died). What Yjs took went out above. The rest is taken when the entry
        // arrives from another process, and then appended like any edit (the 'update' event): never
        // the bytes as sent, of which Yjs may have skipped parts that a load merging the log could take.
        if (leftPending(store, read)) this.heldBack = true;
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

  /**
   * Applies the stored document if it is not yet; then sends our state vector
   * to the peers that joined meanwhile, and lets a compaction that was waiting run.
   */
  private hydrate(): void {
    if (this.hydrateTimer) clearTimeout(this.hydrateTimer);
    this.hydrateTimer = null;
    const update = this.unapplied;
    if (update === null || this.destroyed) return;
    this.unapplied = null;
    try {
      Y.applyUpdate(this.ydoc, update, LOADED);
    } catch (error) {
      // Stored bytes that do not read: the room fails (1011 to all) rather than the process.
      this.awaitingStep1.clear();
      return this.appends.fail(error);
    }
    const waiting = [...this.awaitingStep1];
    this.awaitingStep1.clear();
    if (waiting.length > 0) {
      const step1 = this.step1();
      for (const peer of waiting) peer.send(step1);
    }
    this.appends.maybeCompact();
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
    this.failureListeners.length = 0;
    this.link?.close();
    this.appends.stop();
    if (this.hydrateTimer) clearTimeout(this.hydrateTimer);
    this.hydrateTimer = null;
    this.awaitingStep1.clear();
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

function encodeMessage(type: number, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, type);
  write(encoder);
  return encoding.toUint8Array(encoder);
}
