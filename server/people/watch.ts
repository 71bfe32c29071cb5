/**
 * Live connections and the access they stand on. Every open sync socket and
 * event stream registers here with the credential it signed in with; after any
 * change to members, invites or sessions the API calls `recheck`, which looks
 * each credential up again and tells the connection when its role changed or
 * its access is gone (it then closes with 4401, or ends the stream). The
 * members list reads `online` from here. With several processes, a recheck is
 * announced to the others (server/events/), which recheck their connections too.
 */
import type { Access } from './types.ts';

/** Why a live connection ended when its access did: the sync close reason (4401) and the stream's `access` event. */
export const ACCESS_REMOVED = 'Your access to this initiative was removed.';

/** How a live connection signed in, so its access can be looked up again. */
export type Credential = { kind: 'admin' } | { kind: 'session'; hash: string };

/** Looks a credential up now: its access to the initiative, or null when it has none any more. */
export type ResolveAccess = (credential: Credential, initiativeId: string) => Promise<Access | null>;

/** What a connection hears: its new access after a role change, or null once its access is gone. */
export type AccessChange = (access: Access | null) => void;

/** Runs `task` after `ms` (real timers by default; tests drive their own); answers the function that cancels it. */
export type Later = (task: () => void, ms: number) => () => void;

/**
 * Every live connection's access is looked up again this often, whatever was
 * heard: a notice from another process that never arrived (Redis away, a
 * process that died before it could tell) cannot keep a removed member
 * connected longer than this.
 */
export const ACCESS_BACKSTOP_MS = 60_000;

/** A lookup that failed (the database did not answer) is tried again after this, doubling up to the backstop. */
export const LOOKUP_RETRY_MS = 1_000;

/** How many lookups run at once (a server process's database pool holds 10 connections). */
export const LOOKUPS_AT_ONCE = 4;

export interface AccessWatchTiming {
  later?: Later;
  /** How often every connection is looked up again (`ACCESS_BACKSTOP_MS`); 0: never. */
  backstopMs?: number;
  /** The first wait before a failed lookup is tried again (`LOOKUP_RETRY_MS`). */
  retryMs?: number;
}

const realLater: Later = (task, ms) => {
  const timer = setTimeout(task, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

interface Registration {
  initiativeId: string;
  credential: Credential;
  access: Access;
  onChange: AccessChange;
}

export class AccessWatch {
  private readonly live = new Set<Registration>();
  private readonly joinListeners = new Set<(initiativeId: string, access: Access) => void>();
  private readonly recheckListeners = new Set<(initiativeId: string | undefined) => void>();
  private readonly onlineListeners = new Set<(initiativeId: string) => void>();
  private rechecks: Promise<void> = Promise.resolve();
  private rechecked = 0;
  /** Connections whose last lookup failed, to be looked up again (see `retryFailed`). */
  private readonly unresolved = new Set<Registration>();
  private cancelRetry: (() => void) | null = null;
  private retryWaitMs: number;
  private cancelBackstop: (() => void) | null = null;
  private stopped = false;
  private readonly later: Later;
  private readonly backstopMs: number;
  private readonly retryMs: number;

  constructor(
    private readonly resolve: ResolveAccess,
    /** Told when a member's connection opens or closes, or loses access (for "last seen"). */
    private readonly seen: (memberId: string) => void = () => {},
    /**
     * Told when a connection's `onChange` threw, or a lookup failed (it is tried
     * again). The others are still told, and the change that caused the recheck
     * is already made, so it is not undone. Without it, the first error is
     * thrown again once every connection was told.
     */
    private readonly failed?: (error: unknown) => void,
    timing: AccessWatchTiming = {},
  ) {
    this.later = timing.later ?? realLater;
    this.backstopMs = timing.backstopMs ?? ACCESS_BACKSTOP_MS;
    this.retryMs = timing.retryMs ?? LOOKUP_RETRY_MS;
    this.retryWaitMs = this.retryMs;
    this.armBackstop();
  }

  /** Stops the backstop and the retries (the server is closing). */
  stop(): void {
    this.stopped = true;
    this.cancelBackstop?.();
    this.cancelRetry?.();
    this.cancelBackstop = this.cancelRetry = null;
  }

  /** Every connection is looked up again every `backstopMs`, so that no lost notice keeps access alive for longer. */
  private armBackstop(): void {
    if (this.backstopMs <= 0 || this.stopped) return;
    this.cancelBackstop = this.later(() => {
      this.cancelBackstop = null;
      this.heard().catch(() => undefined).finally(() => this.armBackstop());
    }, this.backstopMs);
  }

  /** Looks up again, after a wait that doubles each time (up to the backstop), the connections whose lookup failed. */
  private retryFailed(): void {
    if (this.cancelRetry || this.stopped || this.unresolved.size === 0) return;
    const wait = this.retryWaitMs;
    this.retryWaitMs = Math.min(wait * 2, Math.max(this.backstopMs, this.retryMs));
    this.cancelRetry = this.later(() => {
      this.cancelRetry = null;
      const waiting = new Set(this.unresolved);
      this.queue((r) => waiting.has(r)).catch(() => undefined);
    }, wait);
  }

  /**
   * How many rechecks were asked for so far. A connection reads it before it
   * looks its access up, and registers with it: a recheck asked for while it
   * was looking up (which could not see it yet) is then done for it too.
   */
  get version(): number {
    return this.rechecked;
  }

  /**
   * Registers a live connection whose `access` was looked up after `version`
   * was read (when given); answers the function that unregisters it (safe to call twice).
   */
  register(initiativeId: string, credential: Credential, access: Access, onChange: AccessChange, version?: number): () => void {
    const registration: Registration = { initiativeId, credential, access, onChange };
    this.live.add(registration);
    if (version !== undefined && version !== this.rechecked) void this.queue((r) => r === registration).catch(this.failed ?? (() => {}));
    if (access.member) this.memberConnectionChanged(initiativeId, access.member.id);
    for (const listener of [...this.joinListeners]) listener(initiativeId, access);
    return () => {
      this.unresolved.delete(registration);
      if (!this.live.delete(registration)) return;
      if (registration.access.member) this.memberConnectionChanged(initiativeId, registration.access.member.id);
    };
  }

  /**
   * Looks up every live connection of `initiativeId` (of every initiative when
   * omitted) again, and tells those whose role changed or whose access ended.
   * A connection whose access ended is unregistered before it is told. Each
   * credential is looked up once per initiative, however many connections
   * (tabs) stand on it. Rechecks run one after another, so an older lookup
   * never lands after a newer one.
   */
  recheck(initiativeId?: string): Promise<void> {
    for (const listener of [...this.recheckListeners]) listener(initiativeId);
    return this.heard(initiativeId);
  }

  /**
   * Another process changed people (server/events/): the same recheck of the
   * connections here, without telling `onRecheck`'s listeners (it is not sent back).
   */
  heard(initiativeId?: string): Promise<void> {
    this.rechecked++;
    return this.queue((r) => initiativeId === undefined || r.initiativeId === initiativeId);
  }

  /** Calls `listener` at every `recheck` (with its initiative, undefined for all): a change to people is made. */
  onRecheck(listener: (initiativeId: string | undefined) => void): () => void {
    this.recheckListeners.add(listener);
    return () => void this.recheckListeners.delete(listener);
  }

  private queue(which: (r: Registration) => boolean): Promise<void> {
    const done = this.rechecks.then(() => this.recheckNow(which));
    this.rechecks = done.catch(() => undefined);
    return done;
  }

  private async recheckNow(which: (r: Registration) => boolean): Promise<void> {
    const keyOf = (r: Registration) => `${r.initiativeId}\n${r.credential.kind === 'admin' ? 'admin' : r.credential.hash}`;
    const registrations = [...this.live].filter(which);
    // Each credential once per initiative, a few at a time (the minute's backstop looks up every connection:
    // all at once would take the database pool from the requests), and each on its own: one lookup that
    // fails (a busy or unreachable database) keeps no other connection from hearing of its change; its own
    // connections are looked up again (`retryFailed`).
    const pending = [...new Map(registrations.map((r) => [keyOf(r), r])).entries()];
    const settled = new Map<string, PromiseSettledResult<Access | null>>();
    const worker = async () => {
      for (let next = pending.shift(); next; next = pending.shift()) {
        const [key, r] = next;
        try {
          settled.set(key, { status: 'fulfilled', value: await this.resolve(r.credential, r.initiativeId) });
        } catch (reason) {
          settled.set(key, { status: 'rejected', reason });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(LOOKUPS_AT_ONCE, pending.length) }, worker));
    const found = registrations.map((r) => settled.get(keyOf(r))!);
    const errors: unknown[] = [];
    const lookupErrors = new Set<unknown>();
    registrations.forEach((registration, i) => {
      // A connection that closed meanwhile, or that an earlier one's `onChange` unregistered (a stream ended, say), is not told.
      if (!this.live.has(registration)) {
        this.unresolved.delete(registration);
        return;
      }
      const result = found[i];
      if (result.status === 'rejected') {
        this.unresolved.add(registration);
        lookupErrors.add(result.reason);
        return;
      }
      this.unresolved.delete(registration);
      const now = result.value;
      const before = registration.access;
      if (now && now.role === before.role) {
        registration.access = now;
        return;
      }
      if (now) registration.access = now;
      else {
        this.live.delete(registration);
        this.unresolved.delete(registration);
        if (before.member) this.memberConnectionChanged(registration.initiativeId, before.member.id);
      }
      try {
        registration.onChange(now);
      } catch (error) {
        errors.push(error);
      }
    });
    if (this.unresolved.size === 0) this.retryWaitMs = this.retryMs;
    else this.retryFailed();
    // One report for the lookups that failed, however many (a database outage fails them all).
    const [firstLookupError] = lookupErrors;
    if (lookupErrors.size === 1) errors.push(firstLookupError);
    else if (lookupErrors.size > 1) {
      errors.push(new Error(`${lookupErrors.size} access lookups failed and are tried again; the first: ${String(firstLookupError)}`));
    }
    if (errors.length === 0) return;
    if (this.failed) for (const error of errors) this.failed(error);
    else throw errors[0];
  }

  /** Calls `listener` whenever a connection registers (a workshop marks its member present); answers the function that stops it. */
  onJoin(listener: (initiativeId: string, access: Access) => void): () => void {
    this.joinListeners.add(listener);
    return () => this.joinListeners.delete(listener);
  }

  /** A member's connection to `initiativeId` opened or closed, or lost its access. */
  private memberConnectionChanged(initiativeId: string, memberId: string): void {
    this.seen(memberId);
    for (const listener of [...this.onlineListeners]) listener(initiativeId);
  }

  /**
   * Calls `listener` with the initiative whenever a member's connection to it
   * opens or closes (or loses access), so `online` may have changed there;
   * answers the function that stops it.
   */
  onOnlineChange(listener: (initiativeId: string) => void): () => void {
    this.onlineListeners.add(listener);
    return () => void this.onlineListeners.delete(listener);
  }

  /** The ids of the members connected now, by initiative (those with none left out), in one pass. */
  onlineByInitiative(): Map<string, Set<string>> {
    const byInitiative = new Map<string, Set<string>>();
    for (const r of this.live) {
      if (!r.access.member) continue;
      let ids = byInitiative.get(r.initiativeId);
      if (!ids) byInitiative.set(r.initiativeId, (ids = new Set()));
      ids.add(r.access.member.id);
    }
    return byInitiative;
  }

  /** The ids of the members of `initiativeId` with a live connection now (to this process). */
  online(initiativeId: string): Set<string> {
    const ids = new Set<string>();
    for (const r of this.live) if (r.initiativeId === initiativeId && r.access.member) ids.add(r.access.member.id);
    return ids;
  }

  /** How many connections are registered (for `initiativeId` when given). */
  connections(initiativeId?: string): number {
    let count = 0;
    for (const r of this.live) if (initiativeId === undefined || r.initiativeId === initiativeId) count++;
    return count;
  }
}
