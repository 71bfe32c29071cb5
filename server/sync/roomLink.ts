/**
 * A room's link to the same room in the other server processes (#14), over a
 * Fanout (./fanout.ts). The room stays the protocol; this keeps the books:
 *
 * - **Sequence.** Every entry of a room's log has a number, gap-free per room
 *   on PostgreSQL. The link knows `last`: every entry up to it is in the
 *   document. An update from another process with the next number is applied;
 *   an older or known one is dropped; one past a gap is applied too (Yjs takes
 *   updates in any order) and, if the gap is not filled within `gapWaitMs`
 *   (updates of two processes may cross on their way), the link fetches what
 *   it lacks from storage (`loadSince(last)`). So does it after Redis comes
 *   back, and when nothing was heard for `quietMs` while clients are connected
 *   (a lost last message shows no gap). Redis may drop anything: the database
 *   has it (cf. hocuspocus #800).
 * - **Never twice, never back.** Updates from elsewhere are applied with the
 *   origin REMOTE: the room relays them to its own clients, and never appends
 *   or publishes them again (cf. hocuspocus #335). The next entry in order, with
 *   no gap open, is relayed as it came before it is applied (`next`); any other
 *   is relayed as the document takes it.
 * - **Presence.** Changes made by this process's clients are published with
 *   the room's presence batch; states from elsewhere are applied with their
 *   owner process noted, so no local client may claim those ids, and they are
 *   dropped when their process says they left, says goodbye or is not heard
 *   for the heartbeat timeout (cf. hocuspocus #361). A local client's claim of
 *   such an id, refused meanwhile, is applied as soon as it is dropped
 *   (`LinkedRoom.released`): a client that reconnected here before its dead
 *   process timed out is present again within that timeout.
 *
 * Subscribed before the room's document is loaded, so nothing said meanwhile
 * is lost: messages wait for `attach`.
 */
import type { DocStorage } from '../storage/types.ts';
import type { Fanout, NodeChange, RoomMessage } from './fanout.ts';
import { decodePresence, type PresenceEntry } from './presence.ts';
import { timerScheduler, type BatchScheduler } from './presenceBatch.ts';

/** The origin of changes from other processes, in the room's document and awareness. */
export const REMOTE = Symbol('another server process');

export interface RoomLinkOptions {
  fanout: Fanout;
  /** A gap in the sequence still open after this many ms is fetched from storage (default 200). */
  gapWaitMs?: number;
  /** While clients are connected, a room that heard nothing for this long fetches from storage (ms, default 5000). */
  quietMs?: number;
  /** When the link's timers fire (tests pass one they drive); real timers by default. */
  scheduler?: BatchScheduler;
  /** Told when a fetch from storage failed (the next one tries again). */
  onError?(room: string, error: unknown): void;
}

/** What the link needs of its room. */
export interface LinkedRoom {
  /**
   * Applies an update with the origin REMOTE. `next`: it is the log's next entry after
   * everything the document holds, with nothing applied past a gap, so the room may relay
   * its bytes as they are before applying them (see Room).
   */
  applyUpdate(update: Uint8Array, next: boolean): void;
  /** Applies presence entries with the origin REMOTE. */
  applyPresence(entries: PresenceEntry[]): void;
  /** Removes these client ids' states (those present), with the origin REMOTE. */
  removePresence(ids: number[]): void;
  /**
   * Renews the presence of this process's clients (each clock one up, so it
   * counts everywhere, even where it was removed), to go out with the next
   * batch: the answer to a query, a reconnect or a process heard again.
   */
  renewLocalPresence(): void;
  /** Whether a client of this process owns `clientID`. */
  ownsLocally(clientID: number): boolean;
  /**
   * These ids are no longer held by another process's client (it left, or its
   * process died or said goodbye): claims of them refused meanwhile may be applied.
   */
  released(ids: number[]): void;
  /** Whether clients of this process are connected. */
  connected(): boolean;
}

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

export class RoomLink {
  private target: LinkedRoom | null = null;
  private readonly early: RoomMessage[] = [];
  private last = 0;
  /** Numbers applied past `last` (a gap below them). */
  private readonly ahead = new Set<number>();
  /** Client ids whose state came from another process, by that process. */
  private readonly remoteOwners = new Map<number, string>();
  /** Ids this process's clients changed since the last presence batch. */
  private readonly toPublish = new Set<number>();
  private cancelGap: (() => void) | null = null;
  private cancelQuiet: (() => void) | null = null;
  private heard = false;
  private fetchChain: Promise<void> = Promise.resolve();
  private queuedFetch: Promise<void> | null = null;
  private closed = false;
  private missedReconnect = false;
  private readonly stops: (() => void)[] = [];
  private readonly listener = (message: RoomMessage) => this.receive(message);
  private readonly scheduler: BatchScheduler;

  /** Subscribes to `room` before anything is read from storage. */
  static async open(room: string, storage: DocStorage, options: RoomLinkOptions): Promise<RoomLink> {
    const link = new RoomLink(room, storage, options);
    // Heard from the start: a reconnect between the subscription and `attach` still catches up.
    link.stops.push(options.fanout.onReconnect(() => link.reconnected()));
    await options.fanout.subscribe(room, link.listener);
    return link;
  }

  private constructor(
    readonly room: string,
    private readonly storage: DocStorage,
    private readonly options: RoomLinkOptions,
  ) {
    this.scheduler = options.scheduler ?? timerScheduler;
  }

  /** Every entry up to this number is in the room's document. */
  get seq(): number {
    return this.last;
  }

  /** Starts the link once the room is built from storage up to entry `seq`. */
  attach(target: LinkedRoom, seq: number): void {
    if (this.closed) return;
    this.target = target;
    this.last = seq;
    const { fanout } = this.options;
    this.stops.push(fanout.onNodeChange((change) => this.nodeChanged(change)));
    for (const message of this.early.splice(0)) this.receive(message);
    if (this.missedReconnect) this.reconnected();
    fanout.queryPresence(this.room);
    this.armQuiet();
  }

  /** Redis is back: what was said meanwhile is lost; fetch it, and exchange presence again. */
  private reconnected(): void {
    if (this.closed) return;
    if (!this.target) return void (this.missedReconnect = true);
    this.missedReconnect = false;
    void this.catchUp().catch(() => undefined);
    this.publishLocalPresence();
    this.options.fanout.queryPresence(this.room);
  }

  /** The room appended `update` under `seq` (durable): the other processes hear of it. */
  appended(seq: number, update: Uint8Array): void {
    if (this.closed) return;
    this.see(seq);
    this.options.fanout.publishUpdate(this.room, seq, update);
    this.checkGap();
  }

  /** The room's awareness changed: notes what this process's clients changed, to publish with the next batch. */
  presenceChanged({ added, updated, removed }: AwarenessChange, origin: unknown): void {
    if (origin !== REMOTE) {
      for (const id of [...added, ...updated, ...removed]) if (!this.remoteOwners.has(id)) this.toPublish.add(id);
    }
    const freed = removed.filter((id) => this.remoteOwners.delete(id));
    if (freed.length > 0) this.target?.released(freed);
  }

  /** The room's presence batch goes out: publishes the states of the ids this process's clients changed. */
  publishPresence(encode: (ids: number[]) => Uint8Array): void {
    if (this.toPublish.size === 0 || this.closed) return;
    const ids = [...this.toPublish];
    this.toPublish.clear();
    this.options.fanout.publishPresence(this.room, encode(ids));
  }

  /** Whether another process's client owns `clientID` (so no client here may claim it). */
  isRemote(clientID: number): boolean {
    return this.remoteOwners.has(clientID);
  }

  /**
   * Fetches from storage every entry past `last` and applies it. Calls while
   * one waits to start share it; one asked while a fetch runs runs after it.
   */
  catchUp(): Promise<void> {
    if (this.queuedFetch) return this.queuedFetch;
    const fetch = this.fetchChain.then(() => {
      this.queuedFetch = null;
      return this.fetch();
    });
    this.queuedFetch = fetch;
    this.fetchChain = fetch.catch((error: unknown) => this.options.onError?.(this.room, error));
    return fetch;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.fanout.unsubscribe(this.room, this.listener);
    for (const stop of this.stops.splice(0)) stop();
    this.cancelGap?.();
    this.cancelQuiet?.();
    this.target = null;
  }

  private async fetch(): Promise<void> {
    if (this.closed || !this.target) return;
    this.heard = true;
    const news = await this.storage.loadSince(this.room, this.last);
    if (this.closed || !this.target || !news) return this.checkGap();
    this.target.applyUpdate(news.update, false);
    if (news.seq > this.last) this.last = news.seq;
    for (const seq of this.ahead) if (seq <= this.last) this.ahead.delete(seq);
    this.advance();
    this.checkGap();
  }

  private receive(message: RoomMessage): void {
    const target = this.target;
    if (this.closed) return;
    if (!target) return void this.early.push(message);
    switch (message.kind) {
      case 'update': {
        this.heard = true;
        if (message.seq <= this.last || this.ahead.has(message.seq)) return;
        try {
          target.applyUpdate(message.update, message.seq === this.last + 1 && this.ahead.size === 0);
        } catch (error) {
          // Bytes that do not read: the storage has the real entry.
          this.options.onError?.(this.room, error);
          return void this.catchUp().catch(() => undefined);
        }
        this.see(message.seq);
        return this.checkGap();
      }
      case 'presence': {
        let entries: PresenceEntry[];
        try {
          entries = decodePresence(message.update);
        } catch (error) {
          return this.options.onError?.(this.room, error);
        }
        // A client of this process keeps its ids; a state from elsewhere belongs to the process that sent it.
        const accepted = entries.filter((entry) => !target.ownsLocally(entry.clientID));
        for (const entry of accepted) if (entry.state !== null) this.remoteOwners.set(entry.clientID, message.node);
        if (accepted.length > 0) target.applyPresence(accepted);
        return;
      }
      case 'query':
        return this.publishLocalPresence();
    }
  }

  private publishLocalPresence(): void {
    this.target?.renewLocalPresence();
  }

  private nodeChanged({ node, alive }: NodeChange): void {
    if (alive) return this.options.fanout.queryPresence(this.room);
    const ids = [...this.remoteOwners].filter(([, owner]) => owner === node).map(([id]) => id);
    if (ids.length > 0) this.target?.removePresence(ids);
    // Those with a state were freed as it was removed (`presenceChanged`); the rest now.
    const freed = ids.filter((id) => this.remoteOwners.delete(id));
    if (freed.length > 0) this.target?.released(freed);
  }

  private see(seq: number): void {
    if (seq <= this.last) return;
    this.ahead.add(seq);
    this.advance();
  }

  private advance(): void {
    while (this.ahead.delete(this.last + 1)) this.last++;
  }

  /** A gap still open after `gapWaitMs` is fetched; one that closed meanwhile is forgotten. */
  private checkGap(): void {
    if (this.ahead.size === 0) {
      this.cancelGap?.();
      this.cancelGap = null;
      return;
    }
    if (this.cancelGap || this.closed) return;
    this.cancelGap = this.scheduler(() => {
      this.cancelGap = null;
      if (this.ahead.size > 0) void this.catchUp().catch(() => undefined);
    }, this.options.gapWaitMs ?? 200);
  }

  /** Every `quietMs`: when clients are connected and nothing was heard since the last time, fetch. */
  private armQuiet(): void {
    if (this.closed) return;
    this.cancelQuiet = this.scheduler(() => {
      this.cancelQuiet = null;
      if (!this.heard && this.target?.connected()) void this.catchUp().catch(() => undefined);
      this.heard = false;
      this.armQuiet();
    }, this.options.quietMs ?? 5000);
  }
}
