/**
 * Live sync of one initiative's shared document with the Convene server, over
 * the y-websocket protocol, with an offline copy in IndexedDB. The only place
 * that knows about y-websocket and y-indexeddb.
 */
import { CLOSE } from '../contract/closeCodes.ts';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import type { Awareness } from 'y-protocols/awareness';
import { offlineStoreName, readPendingMark, writePendingMark } from './offlineCopies.ts';
import { reannounce } from './reannounce.ts';
import { createInitiativeDoc, type InitiativeDoc } from '../schema/index.ts';
import { can } from '../contract/permissions.ts';
import type { PresenceUser as SessionUser } from '../contract/view.ts';

/**
 * - `connecting`: first connection under way
 * - `live`: connected and the document is in sync with the server
 * - `syncing`: connected again after a drop; exchanging what changed meanwhile
 * - `offline`: no connection (the network is gone or the server unreachable); retrying
 * - `paused`: the server is there but cannot save (its database is unreachable: close 1013); edits
 *   stay on this device and are sent once it saves again; retrying
 * - `denied`: the server refused this browser (4401 not signed in, 4403 no access, 4404 unknown initiative)
 *
 * Whether this browser holds edits the server has not seen yet is `pending`
 * (InitiativeSync), independent of the status.
 */
export type SyncStatus = 'connecting' | 'live' | 'syncing' | 'offline' | 'paused' | 'denied';

/** What this browser announces in its presence state: the contract's user (which the server rewrites from the session) and a colour. */
export interface PresenceUser extends SessionUser {
  color: string;
}

export interface InitiativeSync {
  doc: InitiativeDoc;
  status: SyncStatus;
  /** The close code when `status` is `denied`. */
  deniedCode: number | null;
  /** Presence of everyone with the initiative open; null until the connection starts. */
  awareness: Awareness | null;
  /**
   * True while this browser holds edits made without a connection that the
   * server has not received yet. They are kept in IndexedDB (they survive a
   * reload) and sent when the connection is back; false again once in sync.
   */
  pending: boolean;
}

const DENIED_CODES = new Set<number>([CLOSE.unauthorized, CLOSE.forbidden, CLOSE.notFound]);
/** After the browser reports the network gone, try the server again after this long anyway. */
const OFFLINE_RETRY_MS = 5_000;
/** Denials after which this browser's copy is of no use to anyone: forget it. */
const FORGET_CODES = new Set<number>([CLOSE.forbidden, CLOSE.notFound]);

const PRESENCE_COLORS = ['#2563eb', '#16a34a', '#c2410c', '#9333ea', '#0891b2', '#be123c', '#4d7c0f', '#a16207'];

/** A stable colour for a person's name, for presence. */
export function colorFor(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + char.charCodeAt(0)) | 0;
  return PRESENCE_COLORS[Math.abs(hash) % PRESENCE_COLORS.length];
}

function collabUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/collab`;
}

interface SessionState {
  status: SyncStatus;
  deniedCode: number | null;
  awareness: Awareness | null;
  pending: boolean;
}

/**
 * One initiative's document and its connection. The provider is created when
 * the first component retains the session and everything is destroyed a tick
 * after the last one releases it, so React's mount/unmount/mount in StrictMode
 * keeps a single connection.
 *
 * With `persist` (people who may edit), the document is also kept in IndexedDB
 * under `offlineStoreName(id)`: edits made without a connection survive a
 * reload and merge when the connection is back. Observers keep no copy: they
 * have no edits of their own, and nothing stored could ever be pushed for them.
 */
class SyncSession {
  readonly doc: InitiativeDoc = createInitiativeDoc();
  private provider: WebsocketProvider | null = null;
  private persistence: IndexeddbPersistence | null = null;
  private state: SessionState;
  private readonly listeners = new Set<() => void>();
  private retained = 0;
  private pendingDestroy: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  private everLive = false;
  private detach: (() => void) | null = null;

  constructor(
    readonly initiativeId: string,
    readonly persist: boolean,
  ) {
    this.state = {
      status: 'connecting',
      deniedCode: null,
      awareness: null,
      pending: persist && readPendingMark(initiativeId),
    };
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): SessionState => this.state;

  retain(): void {
    this.retained += 1;
    if (this.pendingDestroy !== null) {
      clearTimeout(this.pendingDestroy);
      this.pendingDestroy = null;
    }
    if (!this.provider && !this.destroyed) this.connect();
  }

  release(): void {
    this.retained -= 1;
    if (this.retained > 0 || this.pendingDestroy !== null) return;
    this.pendingDestroy = setTimeout(() => {
      this.pendingDestroy = null;
      if (this.retained === 0) this.destroy();
    }, 0);
  }

  private set(patch: Partial<SessionState>): void {
    const next = { ...this.state, ...patch };
    if (
      next.status === this.state.status &&
      next.deniedCode === this.state.deniedCode &&
      next.awareness === this.state.awareness &&
      next.pending === this.state.pending
    ) {
      return;
    }
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private setPending(pending: boolean): void {
    if (pending === this.state.pending) return;
    if (this.persist) writePendingMark(this.initiativeId, pending);
    this.set({ pending });
  }

  private connect(): void {
    if (this.persist) {
      try {
        this.persistence = new IndexeddbPersistence(offlineStoreName(this.initiativeId), this.doc);
      } catch {
        // No IndexedDB here (some private modes): sync still works, without an offline copy.
        this.persistence = null;
      }
    }
    const provider = new WebsocketProvider(collabUrl(), this.initiativeId, this.doc);
    this.provider = provider;

    const onClose = (event: { code: number } | null) => {
      if (this.state.status === 'denied') return;
      if (event && DENIED_CODES.has(event.code)) {
        provider.shouldConnect = false;
        this.set({ status: 'denied', deniedCode: event.code });
        if (FORGET_CODES.has(event.code)) this.forgetOfflineCopy();
        return;
      }
      // y-websocket keeps trying, backing off; edits wait in the document (and IndexedDB) meanwhile.
      if (event?.code === CLOSE.tryAgain) return this.set({ status: 'paused' });
      // A socket we dropped ourselves (null) while paused stays paused until the server answers otherwise.
      if (event === null && this.state.status === 'paused') return;
      this.set({ status: 'offline' });
    };
    provider.on('connection-close', onClose);
    provider.on('closed', onClose);
    provider.on('status', ({ status }) => {
      if (this.state.status === 'denied') return;
      // While saving is paused, a socket that opens is not yet a server that saves: paused until in sync.
      if (this.state.status === 'paused' && status !== 'connected') return;
      if (status === 'connected') {
        if (provider.synced) this.live();
        else if (this.state.status !== 'paused')
          this.set({ status: this.everLive || this.state.status === 'offline' || this.state.pending ? 'syncing' : 'connecting' });
      } else if (status === 'disconnected') this.set({ status: 'offline' });
    });
    provider.on('sync', (synced) => {
      if (this.state.status !== 'denied' && synced && provider.wsconnected) this.live();
    });

    // An edit that did not come from the server or the offline copy is this
    // browser's own; made without a live connection, it waits on this device.
    const onUpdate = (_update: Uint8Array, origin: unknown) => {
      if (origin === provider || (this.persistence !== null && origin === this.persistence)) return;
      if (this.state.status !== 'live') this.setPending(true);
    };
    this.doc.on('update', onUpdate);

    // Browsers know they lost the network long before a dead socket times out
    // (y-websocket's watchdog waits 30 s): drop the socket at once and wait for
    // the network. Some "offline" reports are wrong (a server on this machine or
    // the LAN may still answer), so try again after a while all the same.
    let retry: ReturnType<typeof setTimeout> | null = null;
    const stopRetry = () => {
      if (retry !== null) clearTimeout(retry);
      retry = null;
    };
    const onOffline = () => {
      if (this.state.status === 'denied') return;
      provider.disconnect();
      this.set({ status: 'offline' });
      stopRetry();
      retry = setTimeout(() => {
        retry = null;
        if (this.state.status !== 'denied' && !this.destroyed) provider.connect();
      }, OFFLINE_RETRY_MS);
    };
    const onOnline = () => {
      stopRetry();
      if (this.state.status !== 'denied' && !this.destroyed) provider.connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    this.detach = () => {
      stopRetry();
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      this.doc.off('update', onUpdate);
    };

    // Presence is announced afresh on every connection (see ./reannounce.ts).
    provider.on('status', ({ status }) => {
      if (status === 'connected') reannounce(provider.awareness);
    });

    this.set({ awareness: provider.awareness });
  }

  private live(): void {
    this.everLive = true;
    // The server answered our state after we sent it what it lacked (it speaks
    // first on every connection), so what waited here has been handed over.
    this.setPending(false);
    this.set({ status: 'live', deniedCode: null });
  }

  private forgetOfflineCopy(): void {
    this.setPending(false);
    writePendingMark(this.initiativeId, false);
    const persistence = this.persistence;
    this.persistence = null;
    if (persistence) void persistence.clearData().catch(() => {});
  }

  private destroy(): void {
    this.destroyed = true;
    this.detach?.();
    this.detach = null;
    this.provider?.destroy();
    this.provider = null;
    void this.persistence?.destroy();
    this.persistence = null;
    this.doc.destroy();
    this.listeners.clear();
  }
}

/**
 * Opens the initiative's shared document and keeps it in sync; the session
 * cookie authenticates the socket. Destroys the provider and the document when
 * the component unmounts or `initiativeId` changes. Sets this browser's presence
 * (`user`: name, role, colour) from `user`.
 *
 * Everyone but observers also keeps a copy in IndexedDB, so edits made while
 * offline survive a reload and merge on reconnect (`pending` says some wait).
 *
 * Cost: re-renders only when the connection status or `pending` changes, not on
 * document changes (read the document with `useModel`).
 */
export function useInitiativeSync(initiativeId: string, user: SessionUser | null): InitiativeSync {
  // Whoever cannot edit has nothing to keep offline.
  const persist = user !== null && can(user.role, 'editCanvas');
  const [session, setSession] = useState(() => new SyncSession(initiativeId, persist));
  let current = session;
  if (session.initiativeId !== initiativeId || session.persist !== persist) {
    // A new initiative (or role): switch sessions while rendering; the effect below releases the old one.
    current = new SyncSession(initiativeId, persist);
    setSession(current);
  }

  useEffect(() => {
    session.retain();
    return () => session.release();
  }, [session]);

  const state = useSyncExternalStore(current.subscribe, current.getSnapshot);

  const name = user?.name;
  const role = user?.role;
  const { awareness } = state;
  useEffect(() => {
    if (!awareness || !name || !role) return;
    const presence: PresenceUser = { name, role, color: colorFor(name) };
    awareness.setLocalStateField('user', presence);
  }, [awareness, name, role]);

  return { doc: current.doc, status: state.status, deniedCode: state.deniedCode, awareness, pending: state.pending };
}
