/**
 * Fan-out between server processes (#14): what one process tells the others
 * about its rooms, over Redis pub/sub. Redis is a relay only, never a store:
 * every document update it carries is already durable (with its per-room
 * sequence number) in the database, so a message Redis drops, or everything it
 * drops while it is down, is fetched again from the database (./roomLink.ts).
 *
 * Each process has a node id and ignores its own messages, and a process never
 * publishes what it received (no loops, cf. hocuspocus #335). Processes send a
 * heartbeat every second; one not heard for three seconds is gone, and the
 * others drop the presence of its clients (cf. hocuspocus #361).
 *
 * Messages are binary (lib0 encoding), one channel per room and one for the
 * heartbeats:
 *   update   [0, node, seq, update]      a durable document update
 *   presence [1, node, awareness update] the states of clients of `node`
 *   query    [2, node]                   "tell me your clients' presence"
 *   alive    [3, node]                   heartbeat (nodes channel)
 *   bye      [4, node]                   closing: its clients are gone (nodes channel)
 *   event    [5, node, text]             an initiative's decision is durable (events channel, server/events/)
 */
import { randomUUID } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { Redis } from 'ioredis';

/** What a room hears from the other processes. */
export type RoomMessage =
  | { kind: 'update'; node: string; seq: number; update: Uint8Array }
  | { kind: 'presence'; node: string; update: Uint8Array }
  | { kind: 'query'; node: string };

export type RoomListener = (message: RoomMessage) => void;

/**
 * The events channel (server/events/): short notices that a decision of an
 * initiative is durable, which every other process hears (never its own).
 */
export interface EventChannel {
  readonly node: string;
  /** Tells the other processes; never throws (a notice lost while Redis is away is made up for by `onEventsLost`). */
  publishEvent(text: string): void;
  /** Hears the other processes' notices; answers the function that stops it. */
  onEvent(listener: (text: string) => void): () => void;
  /**
   * Called each time the events channel is subscribed (again), at the first
   * connection and after every reconnect: notices said while it was not were lost.
   */
  onEventsLost(listener: () => void): () => void;
}

/** A process was not heard for the timeout (or said goodbye), or is heard again after that. */
export interface NodeChange {
  node: string;
  alive: boolean;
}

export interface Fanout {
  /** This process's id; messages carrying it are never delivered back. */
  readonly node: string;
  /** Tells the others of an update already durable under `seq` in `room`. Never throws: a lost message is caught up. */
  publishUpdate(room: string, seq: number, update: Uint8Array): void;
  /** Tells the others of presence (an awareness update) of this process's clients in `room`. */
  publishPresence(room: string, update: Uint8Array): void;
  /** Asks the others to publish the presence of their clients in `room`. */
  queryPresence(room: string): void;
  /**
   * Hears `room`'s messages from the other processes. Resolves once the
   * subscription is active (so a load from the database after it misses
   * nothing), or at once while Redis is unreachable: `onReconnect` follows.
   */
  subscribe(room: string, listener: RoomListener): Promise<void>;
  unsubscribe(room: string, listener: RoomListener): void;
  /** Called after the connection to Redis came back (subscriptions active again): whatever was said meanwhile is lost. */
  onReconnect(listener: () => void): () => void;
  onNodeChange(listener: (change: NodeChange) => void): () => void;
  /** Says goodbye (the others drop this process's presence at once) and disconnects. */
  close(): Promise<void>;
}

const UPDATE = 0;
const PRESENCE = 1;
const QUERY = 2;
const ALIVE = 3;
const BYE = 4;
const EVENT = 5;
/** Notices of the sender were dropped while its Redis was away: every receiver catches up from the stores. */
const RESYNC = 6;

/** When the fanout's periodic work runs (tests pass one they drive). */
export interface FanoutClock {
  now(): number;
  /** Runs `tick` every `ms`; answers the function that stops it. */
  every(ms: number, tick: () => void): () => void;
}

export const realClock: FanoutClock = {
  now: () => Date.now(),
  every(ms, tick) {
    const timer = setInterval(tick, ms);
    timer.unref();
    return () => clearInterval(timer);
  },
};

export interface RedisFanoutOptions {
  /** The node id (a random one by default). */
  node?: string;
  /** Channel names start with this (default `convene:`), so several deployments may share one Redis. */
  prefix?: string;
  /** How often this process says it is alive (ms, default 1000)… */
  heartbeatMs?: number;
  /** …and after how long without a word another process counts as gone (ms, default 3000). */
  nodeTimeoutMs?: number;
  clock?: FanoutClock;
  /** Told when a publish or subscription fails (Redis unreachable); the work goes on. */
  onError?(error: unknown): void;
}

/** How many forgotten processes' ids are remembered (a few dozen bytes each). */
const FORGOTTEN_KEPT = 1000;

/** ioredis retries a lost connection after this many ms at most, so a Redis that is back is used within a second. */
const MAX_RETRY_MS = 1000;

export class RedisFanout implements Fanout, EventChannel {
  readonly node: string;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly prefix: string;
  private readonly nodesChannel: string;
  private readonly eventsChannel: string;
  private readonly eventListeners = new Set<(text: string) => void>();
  private readonly eventsLostListeners = new Set<() => void>();
  /**
   * A notice could not be published since the last RESYNC. (A previous run's lost notices are not asked
   * for at start: each start would make every other process bring all its streams up to date, a wave per
   * process in a rolling restart. Access, the one that matters, is looked up again every minute anyway:
   * server/people/watch.ts.)
   */
  private eventsDropped = false;
  /** Listeners by channel (room channels and the nodes channel). */
  private readonly rooms = new Map<string, Set<RoomListener>>();
  private readonly reconnectListeners = new Set<() => void>();
  private readonly nodeListeners = new Set<(change: NodeChange) => void>();
  /** Other processes heard from, with when; a gone one is kept (false) until heard again. */
  private readonly seen = new Map<string, { at: number; alive: boolean }>();
  /**
   * Gone processes forgotten after long (oldest first, at most FORGOTTEN_KEPT): one heard again (it
   * was paused, not dead) is told as back, like any gone one, so the others ask it for what it holds.
   */
  private readonly forgotten = new Set<string>();
  private readonly stopClock: () => void;
  private readonly clock: FanoutClock;
  private readonly onError: (error: unknown) => void;
  private everReady = false;
  private closed = false;
  /** Messages published in this tick after its first (which left at once), or null when none was. */
  private sameTick: [string, Buffer][] | null = null;

  constructor(url: string, options: RedisFanoutOptions = {}) {
    this.node = options.node ?? randomUUID();
    this.prefix = options.prefix ?? 'convene:';
    this.nodesChannel = `${this.prefix}nodes`;
    this.eventsChannel = `${this.prefix}events`;
    this.clock = options.clock ?? realClock;
    this.onError = options.onError ?? (() => {});
    const connection = {
      // A command while Redis is unreachable fails at once rather than piling up: what was missed is caught up.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResubscribe: false,
      retryStrategy: (times: number) => Math.min(times * 100, MAX_RETRY_MS),
    };
    this.pub = new Redis(url, connection);
    this.sub = new Redis(url, connection);
    for (const redis of [this.pub, this.sub]) redis.on('error', (error) => this.onError(error));
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    this.sub.on('ready', () => void this.resubscribe());
    // Notices this process could not publish (its own Redis connection was away): the others catch up.
    this.pub.on('ready', () => {
      if (!this.eventsDropped) return;
      this.eventsDropped = false;
      this.flushTick();
      // A RESYNC that does not get out is owed still: the next 'ready' sends it.
      this.pub.publish(this.eventsChannel, this.message(RESYNC)).catch((error: unknown) => {
        this.eventsDropped = true;
        this.onError(error);
      });
    });
    const heartbeatMs = options.heartbeatMs ?? 1000;
    const timeoutMs = options.nodeTimeoutMs ?? 3000;
    this.stopClock = this.clock.every(heartbeatMs, () => {
      this.send(this.nodesChannel, ALIVE);
      const now = this.clock.now();
      for (const [node, entry] of this.seen) {
        if (entry.alive && now - entry.at > timeoutMs) this.nodeChanged(node, false);
        // A process gone for long is forgotten (process ids are new at every start).
        else if (!entry.alive && now - entry.at > 100 * timeoutMs) this.forget(node);
      }
    });
  }

  /** Whether both connections to Redis are up (for readiness checks). */
  get ready(): boolean {
    return !this.closed && this.pub.status === 'ready' && this.sub.status === 'ready';
  }

  publishUpdate(room: string, seq: number, update: Uint8Array): void {
    this.send(this.channel(room), UPDATE, (e) => {
      encoding.writeVarUint(e, seq);
      encoding.writeVarUint8Array(e, update);
    });
  }

  publishPresence(room: string, update: Uint8Array): void {
    this.send(this.channel(room), PRESENCE, (e) => encoding.writeVarUint8Array(e, update));
  }

  queryPresence(room: string): void {
    this.send(this.channel(room), QUERY);
  }

  async subscribe(room: string, listener: RoomListener): Promise<void> {
    const channel = this.channel(room);
    let listeners = this.rooms.get(channel);
    if (!listeners) this.rooms.set(channel, (listeners = new Set()));
    listeners.add(listener);
    // While Redis is unreachable, the subscription is made on reconnect, and onReconnect catches up.
    if (this.sub.status !== 'ready') return;
    try {
      await this.sub.subscribe(channel);
    } catch (error) {
      this.onError(error);
    }
  }

  unsubscribe(room: string, listener: RoomListener): void {
    const channel = this.channel(room);
    const listeners = this.rooms.get(channel);
    if (!listeners?.delete(listener) || listeners.size > 0) return;
    this.rooms.delete(channel);
    if (this.sub.status === 'ready') this.sub.unsubscribe(channel).catch((error: unknown) => this.onError(error));
  }

  onReconnect(listener: () => void): () => void {
    this.reconnectListeners.add(listener);
    return () => void this.reconnectListeners.delete(listener);
  }

  publishEvent(text: string): void {
    if (this.closed) return;
    if (this.pub.status !== 'ready') {
      this.eventsDropped = true;
      return;
    }
    // In the order published: what this tick published to rooms goes first.
    this.flushTick();
    this.pub.publish(this.eventsChannel, this.message(EVENT, (e) => encoding.writeVarString(e, text))).catch((error: unknown) => {
      this.eventsDropped = true;
      this.onError(error);
    });
  }

  onEvent(listener: (text: string) => void): () => void {
    this.eventListeners.add(listener);
    return () => void this.eventListeners.delete(listener);
  }

  onEventsLost(listener: () => void): () => void {
    this.eventsLostListeners.add(listener);
    return () => void this.eventsLostListeners.delete(listener);
  }

  onNodeChange(listener: (change: NodeChange) => void): () => void {
    this.nodeListeners.add(listener);
    return () => void this.nodeListeners.delete(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.stopClock();
    // What this tick published goes before the goodbye.
    this.flushTick();
    if (this.pub.status === 'ready') {
      try {
        await this.pub.publish(this.nodesChannel, this.message(BYE));
      } catch (error) {
        this.onError(error);
      }
    }
    this.closed = true;
    this.pub.disconnect();
    this.sub.disconnect();
  }

  private channel(room: string): string {
    return `${this.prefix}room:${room}`;
  }

  /** (Re)subscribes every channel once the subscriber connection is ready, then tells the rooms when it was a reconnect. */
  private async resubscribe(): Promise<void> {
    try {
      await this.sub.subscribe(this.nodesChannel, this.eventsChannel, ...this.rooms.keys());
    } catch (error) {
      // The connection dropped again: the next 'ready' tries again.
      return this.onError(error);
    }
    const reconnect = this.everReady;
    this.everReady = true;
    if (reconnect || this.rooms.size > 0) for (const listener of [...this.reconnectListeners]) listener();
    for (const listener of [...this.eventsLostListeners]) listener();
  }

  private message(type: number, write?: (encoder: encoding.Encoder) => void): Buffer {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, type);
    encoding.writeVarString(encoder, this.node);
    write?.(encoder);
    const bytes = encoding.toUint8Array(encoder);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /**
   * The first publish of a tick leaves at once; the others of the same tick (a batch's
   * updates, presence) follow in one write when the tick ends, in order on the same
   * connection. A syscall per message was a tenth of a busy process's CPU, and ioredis's
   * auto-pipelining waited for the event loop's check phase even for a lone update
   * (docs/performance.md, sessions 21 and 22: cluster).
   */
  private send(channel: string, type: number, write?: (encoder: encoding.Encoder) => void): void {
    if (this.closed || this.pub.status !== 'ready') return;
    const message = this.message(type, write);
    if (this.sameTick) {
      this.sameTick.push([channel, message]);
      return;
    }
    this.sameTick = [];
    process.nextTick(() => this.flushTick());
    this.pub.publish(channel, message).catch((error: unknown) => this.onError(error));
  }

  private flushTick(): void {
    const messages = this.sameTick ?? [];
    this.sameTick = null;
    if (messages.length === 0 || this.closed || this.pub.status !== 'ready') return;
    if (messages.length === 1) return void this.pub.publish(...messages[0]).catch((error: unknown) => this.onError(error));
    const pipeline = this.pub.pipeline();
    for (const [channel, message] of messages) pipeline.publish(channel, message);
    pipeline.exec().then(
      (results) => results?.forEach(([error]) => error && this.onError(error)),
      (error: unknown) => this.onError(error),
    );
  }

  private receive(channel: string, data: Buffer): void {
    let type: number;
    let node: string;
    let decoder: decoding.Decoder;
    try {
      decoder = decoding.createDecoder(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      type = decoding.readVarUint(decoder);
      node = decoding.readVarString(decoder);
    } catch (error) {
      return this.onError(error);
    }
    if (node === this.node || this.closed) return;
    if (channel === this.nodesChannel) {
      if (type === BYE) this.nodeChanged(node, false);
      else this.heard(node);
      return;
    }
    this.heard(node);
    if (channel === this.eventsChannel) {
      if (type === RESYNC) {
        for (const listener of [...this.eventsLostListeners]) listener();
        return;
      }
      if (type !== EVENT) return;
      let text: string;
      try {
        text = decoding.readVarString(decoder);
      } catch (error) {
        return this.onError(error);
      }
      for (const listener of [...this.eventListeners]) listener(text);
      return;
    }
    const listeners = this.rooms.get(channel);
    if (!listeners) return;
    let message: RoomMessage;
    try {
      if (type === UPDATE) message = { kind: 'update', node, seq: decoding.readVarUint(decoder), update: decoding.readVarUint8Array(decoder) };
      else if (type === PRESENCE) message = { kind: 'presence', node, update: decoding.readVarUint8Array(decoder) };
      else if (type === QUERY) message = { kind: 'query', node };
      else return;
    } catch (error) {
      return this.onError(error);
    }
    for (const listener of [...listeners]) listener(message);
  }

  private heard(node: string): void {
    const entry = this.seen.get(node);
    const at = this.clock.now();
    if (entry && !entry.alive) return this.nodeChanged(node, true);
    if (!entry && this.forgotten.delete(node)) return this.nodeChanged(node, true);
    if (entry) entry.at = at;
    else this.seen.set(node, { at, alive: true });
  }

  private forget(node: string): void {
    this.seen.delete(node);
    this.forgotten.add(node);
    if (this.forgotten.size > FORGOTTEN_KEPT) this.forgotten.delete(this.forgotten.values().next().value!);
  }

  private nodeChanged(node: string, alive: boolean): void {
    this.seen.set(node, { at: this.clock.now(), alive });
    for (const listener of [...this.nodeListeners]) listener({ node, alive });
  }
}
