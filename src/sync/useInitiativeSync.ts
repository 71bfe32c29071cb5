/**
 * Live sync of one initiative's shared document with the Convene server, over
 * the y-websocket protocol. The only place that knows about y-websocket.
 */
import { useEffect, useState, useSyncExternalStore } from 'react';
import { WebsocketProvider } from 'y-websocket';
import type { Awareness } from 'y-protocols/awareness';
import { createInitiativeDoc, type InitiativeDoc } from '../schema/index.ts';

/**
 * - `connecting`: first connection under way
 * - `live`: connected and the document is in sync with the server
 * - `offline`: the connection dropped; the provider is reconnecting
 * - `denied`: the server refused this browser (4401 not signed in, 4403 no access, 4404 unknown initiative)
 */
export type SyncStatus = 'connecting' | 'live' | 'offline' | 'denied';

export interface PresenceUser {
  name: string;
  role: string;
  color: string;
}

export interface InitiativeSync {
  doc: InitiativeDoc;
  status: SyncStatus;
  /** The close code when `status` is `denied`. */
  deniedCode: number | null;
  /** Presence of everyone with the initiative open; null until the connection starts. */
  awareness: Awareness | null;
}

const DENIED_CODES = new Set([4401, 4403, 4404]);

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
}

/**
 * One initiative's document and its connection. The provider is created when
 * the first component retains the session and everything is destroyed a tick
 * after the last one releases it, so React's mount/unmount/mount in StrictMode
 * keeps a single connection.
 */
class SyncSession {
  readonly doc: InitiativeDoc = createInitiativeDoc();
  private provider: WebsocketProvider | null = null;
  private state: SessionState = { status: 'connecting', deniedCode: null, awareness: null };
  private readonly listeners = new Set<() => void>();
  private retained = 0;
  private pendingDestroy: ReturnType<typeof setTimeout> | null = null;
  private destroyed = false;
  private everLive = false;

  constructor(readonly initiativeId: string) {}

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
      next.awareness === this.state.awareness
    ) {
      return;
    }
    this.state = next;
    for (const listener of this.listeners) listener();
  }

  private connect(): void {
    const provider = new WebsocketProvider(collabUrl(), this.initiativeId, this.doc);
    this.provider = provider;
    const onClose = (event: { code: number } | null) => {
      if (event && DENIED_CODES.has(event.code)) {
        provider.shouldConnect = false;
        this.set({ status: 'denied', deniedCode: event.code });
      }
    };
    provider.on('connection-close', onClose);
    provider.on('closed', onClose);
    provider.on('status', ({ status }) => {
      if (this.state.status === 'denied') return;
      if (status === 'connected' && provider.synced) this.live();
      else if (status === 'disconnected') this.set({ status: this.everLive ? 'offline' : 'connecting' });
    });
    provider.on('sync', (synced) => {
      if (this.state.status !== 'denied' && synced && provider.wsconnected) this.live();
    });
    this.set({ awareness: provider.awareness });
  }

  private live(): void {
    this.everLive = true;
    this.set({ status: 'live', deniedCode: null });
  }

  private destroy(): void {
    this.destroyed = true;
    this.provider?.destroy();
    this.provider = null;
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
 * Cost: re-renders only when the connection status changes, not on document
 * changes (read the document with `useInitiative`).
 */
export function useInitiativeSync(initiativeId: string, user: { name: string; role: string } | null): InitiativeSync {
  const [session, setSession] = useState(() => new SyncSession(initiativeId));
  let current = session;
  if (session.initiativeId !== initiativeId) {
    // A new initiative: switch sessions while rendering; the effect below releases the old one.
    current = new SyncSession(initiativeId);
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

  return { doc: current.doc, status: state.status, deniedCode: state.deniedCode, awareness };
}
