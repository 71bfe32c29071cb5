/**
 * A room's stored document until it is built (a cold load). Applying a large
 * stored update takes a while (about 150 ms for 5,000 entities), so a cold room
 * answers a new client's first sync from the stored bytes as they are, and
 * builds the document just after that reply has left (or when anything needs the
 * document sooner, or `hydrateAfterMs` after a join). Until then the room's own
 * sync step 1 waits: it needs the document's state vector. Small documents
 * (up to `deferBuildAboveBytes`) are built at once (docs/sync.md).
 *
 * Used by ./room.ts only.
 */
import * as Y from 'yjs';
import type { StoredDoc } from '../storage/types.ts';
import type { Peer } from './roomOptions.ts';

/** The origin of the stored update when the document is built from it. */
export const LOADED = Symbol('loaded from storage');

export interface HydrationHooks {
  /** The room's sync step 1 (the document's state vector), for the peers that waited for the document. */
  step1(): Uint8Array;
  /** The stored bytes did not read: the room fails (1011 to all) rather than the process. */
  failed(error: unknown): void;
  /** The document is built: a compaction that waited for it may run. */
  built(): void;
}

export class Hydration {
  /**
   * The stored update the document was loaded from, while the document has not
   * changed since: a new client's first sync is answered with it as it is,
   * sparing a full encode of a large document on a cold load.
   */
  private stored: Uint8Array | null = null;
  /** The stored update not yet applied to the document. */
  private unapplied: Uint8Array | null = null;
  /** Peers that joined before the document was built: they get the room's state vector once it is. */
  private readonly awaitingStep1 = new Set<Peer>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly ydoc: Y.Doc,
    private readonly hydrateAfterMs: number,
    private readonly hooks: HydrationHooks,
  ) {}

  /** Starts from the stored document (none: an empty room, built already); built at once up to `deferAboveBytes`. */
  start(stored: StoredDoc | null, deferAboveBytes: number): void {
    if (!stored) return;
    this.unapplied = stored.update;
    this.stored = stored.update;
    if (stored.update.byteLength <= deferAboveBytes) this.build();
  }

  /** True once the stored document is applied. */
  get hydrated(): boolean {
    return this.unapplied === null;
  }

  /** The stored update while the document is not built from it yet, else null. */
  get unbuilt(): Uint8Array | null {
    return this.unapplied;
  }

  /** The stored update while the document has not changed since it was loaded, else null. */
  get pristine(): Uint8Array | null {
    return this.stored;
  }

  /** The document changed: the stored bytes no longer answer a first sync. */
  changed(): void {
    this.stored = null;
  }

  /**
   * Sends `peer` the room's sync step 1 now if the document is built; else once it
   * is, and with `buildSoon` builds it `hydrateAfterMs` from now at the latest.
   */
  step1To(peer: Peer, buildSoon: boolean): void {
    if (this.hydrated) return peer.send(this.hooks.step1());
    this.awaitingStep1.add(peer);
    if (buildSoon) this.timer ??= setTimeout(() => this.build(), this.hydrateAfterMs).unref();
  }

  /** `peer` left: it waits for nothing any more. */
  left(peer: Peer): void {
    this.awaitingStep1.delete(peer);
  }

  /**
   * Applies the stored document if it is not yet; then sends the room's state vector
   * to the peers that joined meanwhile, and tells the room (a waiting compaction runs).
   */
  build(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const update = this.unapplied;
    if (update === null || this.stopped) return;
    this.unapplied = null;
    try {
      Y.applyUpdate(this.ydoc, update, LOADED);
    } catch (error) {
      this.awaitingStep1.clear();
      return this.hooks.failed(error);
    }
    const waiting = [...this.awaitingStep1];
    this.awaitingStep1.clear();
    if (waiting.length > 0) {
      const step1 = this.hooks.step1();
      for (const peer of waiting) peer.send(step1);
    }
    this.hooks.built();
  }

  /** The room is destroyed: nothing is built or sent from here on. */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.awaitingStep1.clear();
  }
}
