/**
 * What a room is given (./room.ts): its options with their defaults, the
 * connections it serves (`Peer`), and the error of a message it cannot read.
 */
import type { AppendQueueHooks } from '../storage/appendQueue.ts';
import type { PresenceUser } from './presence.ts';
import { LARGE_ROOM_PRESENCE_BATCH_MS, PRESENCE_BATCH_MS, type BatchScheduler } from './presenceBatch.ts';
import type { RoomLinkOptions } from './roomLink.ts';

/** One client in a room, as the room sees it. */
export interface Peer {
  readonly id: string;
  /**
   * Observers: receive everything, but their document updates are dropped.
   * Read at every update, so it may change while connected: see `Room.changeAccess`.
   */
  readOnly: boolean;
  /** The name and role others see in its presence, from the server's session (changes through `Room.changeAccess`). */
  user: PresenceUser;
  /** Sends `message`; `written`, when given, runs once it has left the process (not when the connection is gone). */
  send(message: Uint8Array, written?: () => void): void;
  close(code: number, reason: string): void;
}

/** A message the protocol cannot read; the endpoint closes that one connection. */
export class ProtocolError extends Error {}

/** Storage events of a room; on `failed`, every connection of the room is closed and the room is dropped. */
export type RoomHooks = AppendQueueHooks;

export interface RoomOptions {
  /** Compact the log past this many entries (default 500)… */
  compactAfterEntries?: number;
  /** …or past this many bytes (default 1 MiB). */
  compactAfterBytes?: number;
  /** Awareness client ids one connection may own (default 4). */
  maxPresenceIdsPerPeer?: number;
  /**
   * A stored document larger than this is applied only after the first sync
   * reply has gone out (bytes, default 256 KiB; smaller ones are applied on load).
   * See `unapplied`.
   */
  deferBuildAboveBytes?: number;
  /**
   * How long after the first join a room with a deferred build waits, at most,
   * before it builds its document when no one needed it sooner (ms, default 250).
   */
  hydrateAfterMs?: number;
  /**
   * Presence is relayed in batches, at most one message per this many ms to
   * each connection, holding the latest state of everyone who changed (default
   * 50; 0 relays every change at once). Document updates are never held back.
   */
  presenceBatchMs?: number;
  /** The same from LARGE_ROOM_PEERS (30) connections in the room on (default 100). */
  largeRoomPresenceBatchMs?: number;
  /** When batches go out (tests pass one they drive); a timer by default. */
  presenceScheduler?: BatchScheduler;
  /** The same room in other server processes, over a fanout (./roomLink.ts); none by default. */
  link?: RoomLinkOptions;
  hooks?: RoomHooks;
}

export const ROOM_DEFAULTS = {
  compactAfterEntries: 500,
  compactAfterBytes: 1024 * 1024,
  maxPresenceIdsPerPeer: 4,
  deferBuildAboveBytes: 256 * 1024,
  hydrateAfterMs: 250,
  presenceBatchMs: PRESENCE_BATCH_MS,
  largeRoomPresenceBatchMs: LARGE_ROOM_PRESENCE_BATCH_MS,
} as const;
