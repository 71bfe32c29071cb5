/**
 * A room's handling of other processes' entries (#14; the books are kept by
 * ./roomLink.ts, this is what the room's document does with what it brings):
 *
 * - **Relay before apply.** The log's next entry, while the document waits for
 *   nothing, goes to the room's clients as it came, before the document applies
 *   it (origin RELAYED); any other is applied with the origin REMOTE and relayed
 *   as the document takes it (the room's 'update' event), so a client never
 *   misses what a gap held back.
 * - **Held back.** A client's update may build on an entry this process has not
 *   heard yet (a client back from a process that died): Yjs keeps that part
 *   pending. Then the next entry from elsewhere may release it, so what the
 *   document takes from such an entry is appended, published and relayed like a
 *   client's edit (never the bytes the client sent, of which Yjs may have
 *   skipped parts that a load merging the log could take), until nothing is
 *   pending any more.
 *
 * Used by ./room.ts only.
 */
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import { encodeMessage, MESSAGE_SYNC } from './messages.ts';
import { REMOTE } from './roomLink.ts';
import type { Peer } from './roomOptions.ts';

/** Another process's update already relayed to this room's clients as it came (see `RemoteEntries.apply`). */
export const RELAYED = Symbol('relayed before applied');

/** Whether Yjs holds anything pending in the document: structs or deletions it could not take yet. */
export function holdsPending(store: Y.Doc['store']): boolean {
  return store.pendingStructs !== null || store.pendingDs !== null;
}

/**
 * Whether the document, having applied `read`, still lacks part of it: a struct
 * past what it holds of its client, or a deletion of content it has not got
 * (Yjs keeps those pending). Decided by value: Yjs rebuilds its pending
 * deletions on every update while any is pending.
 */
export function leftPending(store: Y.Doc['store'], read: ReturnType<typeof Y.decodeUpdate>): boolean {
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

/** One room's other-process entries: their relay, and whether a client's update waits for one. */
export class RemoteEntries {
  /** A client's update may be held back by Yjs, waiting for another process's entry (see `clientApplied`). */
  private heldBack = false;

  constructor(
    /** The room's document, built first if it is not yet. */
    private readonly doc: () => Y.Doc,
    private readonly peers: ReadonlySet<Peer>,
  ) {}

  /**
   * Another process's durable update. The next in order, while the document waits for
   * nothing (no gap, no pending structs), goes to this room's clients as it came, before
   * the document applies it: they wait neither for Yjs nor for the observers. It is read
   * whole first, so bytes that do not read reach no one. Any other is relayed as the
   * document takes it (the 'update' event), so a client never misses what a gap held back.
   */
  apply(update: Uint8Array, next: boolean): void {
    const doc = this.doc();
    if (!next || this.peers.size === 0 || holdsPending(doc.store)) {
      Y.applyUpdate(doc, update, REMOTE);
      return;
    }
    Y.decodeUpdate(update); // throws when malformed
    const message = encodeMessage(MESSAGE_SYNC, (e) => syncProtocol.writeUpdate(e, update));
    for (const peer of this.peers) peer.send(message);
    Y.applyUpdate(doc, update, RELAYED);
  }

  /**
   * A client's update `read` was applied to the document. If Yjs held part of it back, it
   * builds on an entry this process has not heard yet: the rest is taken when that entry
   * arrives from another process, and then appended like any edit (see `relayOnly`).
   */
  clientApplied(store: Y.Doc['store'], read: ReturnType<typeof Y.decodeUpdate>): void {
    if (leftPending(store, read)) this.heldBack = true;
  }

  /**
   * For the document's 'update' event of an update from another process (origin REMOTE):
   * true when it only goes to this room's clients (durable there already); false when a
   * client's update is held back here, as it may release it, so the whole is appended as
   * Yjs took it (the entry again, harmless), published, and relayed once durable.
   */
  relayOnly(): boolean {
    if (!this.heldBack) return true;
    this.heldBack = holdsPending(this.doc().store);
    return false;
  }
}
