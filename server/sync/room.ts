/**
 * A room: one initiative's live document, its presence, and the connections in
 * it. Protocol logic only: no sockets here (see ./endpoint.ts), so a room can be
 * driven by any transport and tested without one.
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocStorage } from '../docStorage.ts';

export const MESSAGE_SYNC = 0;
export const MESSAGE_AWARENESS = 1;
export const MESSAGE_AUTH = 2;
export const MESSAGE_QUERY_AWARENESS = 3;

/** One client in a room, as the room sees it. */
export interface Peer {
  readonly id: string;
  /** Observers: receive everything, but their document updates are dropped. */
  readonly readOnly: boolean;
  send(message: Uint8Array): void;
}

/** A message the protocol cannot read; the endpoint closes that one connection. */
export class ProtocolError extends Error {}

export class Room {
  readonly doc = new Y.Doc({ gc: true });
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  /** Each peer with the awareness client ids it has announced. */
  private readonly peers = new Map<Peer, Set<number>>();

  constructor(
    readonly name: string,
    private readonly storage: DocStorage,
  ) {
    // The server itself is not present in the room.
    this.awareness.setLocalState(null);
    const stored = storage.load(name);
    if (stored) Y.applyUpdate(this.doc, stored, this);
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      // Durable before anyone else sees it.
      this.storage.append(this.name, update);
      const message = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
      for (const peer of this.peers.keys()) if (peer !== origin) peer.send(message);
    });
    this.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const owner = this.peers.get(origin as Peer);
      if (owner) {
        for (const id of added) owner.add(id);
        for (const id of removed) owner.delete(id);
      }
      const message = encodeMessage(MESSAGE_AWARENESS, (e) =>
        encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)),
      );
      for (const peer of this.peers.keys()) peer.send(message);
    });
  }

  get size(): number {
    return this.peers.size;
  }

  /** Adds a peer and opens the sync: our state vector, and everyone's presence. */
  join(peer: Peer): void {
    this.peers.set(peer, new Set());
    peer.send(encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeSyncStep1(e, this.doc)));
    const present = [...this.awareness.getStates().keys()];
    if (present.length > 0) {
      peer.send(
        encodeMessage(MESSAGE_AWARENESS, (e) =>
          encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(this.awareness, present)),
        ),
      );
    }
  }

  /** Removes a peer and the presence it announced. */
  leave(peer: Peer): void {
    const ids = this.peers.get(peer);
    if (!ids) return;
    this.peers.delete(peer);
    if (ids.size > 0) awarenessProtocol.removeAwarenessStates(this.awareness, [...ids], null);
  }

  /** Handles one binary message from `peer`. Throws ProtocolError when it is malformed. */
  receive(peer: Peer, message: Uint8Array): void {
    if (!this.peers.has(peer)) return;
    try {
      const decoder = decoding.createDecoder(message);
      const type = decoding.readVarUint(decoder);
      switch (type) {
        case MESSAGE_SYNC:
          this.receiveSync(peer, decoder);
          break;
        case MESSAGE_AWARENESS:
          awarenessProtocol.applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), peer);
          break;
        case MESSAGE_QUERY_AWARENESS:
          peer.send(
            encodeMessage(MESSAGE_AWARENESS, (e) =>
              encoding.writeVarUint8Array(
                e,
                awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()]),
              ),
            ),
          );
          break;
        case MESSAGE_AUTH:
          break;
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
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MESSAGE_SYNC);
        syncProtocol.readSyncStep1(decoder, reply, this.doc);
        peer.send(encoding.toUint8Array(reply));
        break;
      }
      case syncProtocol.messageYjsSyncStep2:
      case syncProtocol.messageYjsUpdate: {
        const update = decoding.readVarUint8Array(decoder);
        // An observer's edits never reach the document, the log or anyone else.
        if (peer.readOnly) return;
        Y.applyUpdate(this.doc, update, peer);
        break;
      }
      default:
        throw new ProtocolError(`unknown sync message type ${kind}`);
    }
  }

  destroy(): void {
    this.awareness.destroy();
    this.doc.destroy();
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
