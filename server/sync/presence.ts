/**
 * Presence you can trust: decodes an awareness update completely before any of
 * it is applied, keeps only the entries for client ids the connection owns, and
 * writes the name and role from the server's session over what the client claims.
 *
 * And presence that is cheap to relay (`PresenceStates`): each state is parsed
 * once and serialised once when it arrives, and a batch is those bytes put end
 * to end, however many connections it goes to.
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as time from 'lib0/time';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceUser } from '../../src/contract/index.ts';

export type { PresenceUser };

export interface PresenceEntry {
  clientID: number;
  clock: number;
  state: unknown;
}

export class PresenceError extends Error {}

/** Largest JSON state accepted for one client id. */
export const MAX_PRESENCE_STATE_BYTES = 64 * 1024;

/** Reads a whole awareness update; throws PresenceError (before anything is applied) when malformed. */
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodePresence(update: Uint8Array): PresenceEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  // Every entry takes at least three bytes.
  if (count * 3 > update.byteLength) throw new PresenceError('awareness entry count runs past the message');
  const entries: PresenceEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientID = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const json = decoding.readVarUint8Array(decoder);
    if (json.byteLength > MAX_PRESENCE_STATE_BYTES) throw new PresenceError('awareness state too large');
    let state: unknown;
    try {
      state = JSON.parse(utf8.decode(json));
    } catch {
      throw new PresenceError('awareness state is not JSON');
    }
    entries.push({ clientID, clock, state });
  }
  if (decoder.pos !== update.byteLength) throw new PresenceError('trailing bytes after awareness update');
  return entries;
}

export function encodePresence(entries: PresenceEntry[]): Uint8Array {
  return joinEntries(entries.map(({ clientID, clock, state }) => encodeEntry(clientID, clock, state)));
}

/** The state with `user.name` and `user.role` taken from the session; other fields (color, cursor) kept. */
export function withSessionUser(state: unknown, user: PresenceUser): unknown {
  if (state === null) return null;
  const base = typeof state === 'object' && !Array.isArray(state) ? (state as Record<string, unknown>) : {};
  const claimed = base.user;
  const rest = typeof claimed === 'object' && claimed !== null && !Array.isArray(claimed) ? claimed : {};
  return { ...base, user: { ...rest, name: user.name, role: user.role } };
}

/**
 * Which connection owns which awareness client ids in one room. A connection
 * owns the ids it announces first, never an id another connection owns, and at
 * most `maxPerOwner` of them.
 *
 * A claim refused because the id is held (by another connection here, or by
 * another process's client: `reserved`) is kept, latest entry per id, until the
 * holder lets go (`retry`): a client that reconnected before its old connection
 * or its dead process was forgotten is then present at once, not at its next
 * renewal. Only a claim newer than the state held is kept, and only while it
 * stays newer than what the holder sets (`settle`): y-websocket clients send
 * back every state they receive, so no one inherits an id by repeating its state. A kept claim never takes an id from a
 * live holder; it is dropped when its connection leaves or removes that id, and
 * a connection keeps at most `maxPerOwner` of them, as it owns at most that many ids.
 */
export class PresenceOwners<Owner> {
  private readonly owners = new Map<number, Owner>();
  private readonly owned = new Map<Owner, Set<number>>();
  /** Claims refused while the id was held, by connection, then id: the latest entry. */
  private readonly waiting = new Map<Owner, Map<number, PresenceEntry>>();

  constructor(
    private readonly maxPerOwner: number,
    /** Ids no connection may claim: the server's own, and those of other processes' clients (read at each claim). */
    private readonly reserved: { has(clientID: number): boolean } = new Set(),
  ) {}

  /** Whether some connection owns `clientID`. */
  owns(clientID: number): boolean {
    return this.owners.has(clientID);
  }

  /** Every id some connection owns. */
  allIds(): number[] {
    return [...this.owners.keys()];
  }

  /**
   * Whether `owner` may set the state of `entry.clientID`, claiming it when it
   * is free. Refused while the id is held by someone else, the entry is kept
   * for `retry` when its clock is past `heldClock`, the clock of the state the
   * room holds for that id (a removal drops what was kept instead).
   */
  claim(owner: Owner, entry: PresenceEntry, heldClock = 0): boolean {
    const { clientID } = entry;
    const removing = entry.state === null;
    const current = this.owners.get(clientID);
    if (current === owner) return true;
    const waiting = this.waiting.get(owner);
    if (!removing && (current !== undefined || this.reserved.has(clientID))) {
      if (entry.clock <= heldClock) return false;
      // A newer entry replaces the one kept, in its place in the line.
      if (!waiting?.has(clientID) && (waiting?.size ?? 0) >= this.maxPerOwner) return false;
      if (waiting) waiting.set(clientID, entry);
      else this.waiting.set(owner, new Map([[clientID, entry]]));
      return false;
    }
    this.unkeep(owner, clientID);
    if (removing) return false;
    return this.take(owner, clientID);
  }

  /**
   * The holder of `clientID` set a new state at `clock` (a renewal of the same
   * state does not count): a claim kept for that id and not newer goes. An
   * echo can reach the room before the state it repeats (a tab hears another
   * over the browser's BroadcastChannel, or another process batches before it
   * publishes) and so look newer when it is kept; once its original is applied
   * it is what it is, an echo, and must not hand the id to the echoing tab
   * when the holder leaves.
   */
  settle(clientID: number, clock: number): void {
    if (this.waiting.size === 0) return;
    for (const [owner, kept] of this.waiting) {
      const entry = kept.get(clientID);
      if (entry !== undefined && entry.clock <= clock) this.unkeep(owner, clientID);
    }
  }

  /**
   * `ids` were let go by their holder (a connection left, another process's
   * client left or its process died): each goes to the first connection
   * still waiting for it. Answers the kept entries now owned, with their owner.
   */
  retry(ids: Iterable<number>): { owner: Owner; entry: PresenceEntry }[] {
    const granted: { owner: Owner; entry: PresenceEntry }[] = [];
    for (const id of ids) {
      if (this.owners.has(id) || this.reserved.has(id)) continue;
      for (const [owner, kept] of [...this.waiting]) {
        const entry = kept.get(id);
        if (entry === undefined) continue;
        this.unkeep(owner, id);
        // The first in line takes it; the others would be refused by their new holder anyway.
        if (!this.owners.has(id) && this.take(owner, id)) granted.push({ owner, entry });
      }
    }
    return granted;
  }

  /** Drops the claim `owner` kept for `clientID`, and `owner`'s line once it keeps none. */
  private unkeep(owner: Owner, clientID: number): void {
    const kept = this.waiting.get(owner);
    if (kept?.delete(clientID) && kept.size === 0) this.waiting.delete(owner);
  }

  /** The ids `owner` owns now. */
  idsOf(owner: Owner): number[] {
    return [...(this.owned.get(owner) ?? [])];
  }

  /** Forgets `owner` and what it waited for; answers the ids it owned. */
  release(owner: Owner): number[] {
    const ids = [...(this.owned.get(owner) ?? [])];
    this.owned.delete(owner);
    this.waiting.delete(owner);
    for (const id of ids) this.owners.delete(id);
    return ids;
  }

  private take(owner: Owner, clientID: number): boolean {
    const ids = this.owned.get(owner) ?? new Set<number>();
    if (ids.size >= this.maxPerOwner) return false;
    ids.add(clientID);
    this.owned.set(owner, ids);
    this.owners.set(clientID, owner);
    return true;
  }
}

/** One client's entry of an awareness update (id, clock, state as JSON), as it was last encoded. */
interface Encoded {
  clock: number;
  /** The state object these bytes were made from: the awareness holding another one means they are stale. */
  state: unknown;
  bytes: Uint8Array;
}

function encodeEntry(clientID: number, clock: number, state: unknown): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, clientID);
  encoding.writeVarUint(encoder, clock);
  encoding.writeVarString(encoder, JSON.stringify(state));
  return encoding.toUint8Array(encoder);
}

/** An awareness update: the number of entries, then the entries as they are. */
function joinEntries(parts: Uint8Array[]): Uint8Array {
  const head = encoding.createEncoder();
  encoding.writeVarUint(head, parts.length);
  const count = encoding.toUint8Array(head);
  const update = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, count.byteLength));
  update.set(count, 0);
  let at = count.byteLength;
  for (const part of parts) {
    update.set(part, at);
    at += part.byteLength;
  }
  return update;
}

/**
 * A room's awareness, applied and encoded without the round trips of
 * y-protocols' `applyAwarenessUpdate` / `encodeAwarenessUpdate` (which parse
 * each incoming state a second time and serialise every state again for every
 * batch): entries already decoded (and rewritten, see `withSessionUser`) are
 * applied under the same rules, and each state's bytes are kept with it until
 * it changes. The awareness stays the one source of truth: a state changed any
 * other way (a removal, a timeout, a role change) is simply encoded afresh.
 */
export class PresenceStates {
  private readonly encoded = new Map<number, Encoded>();

  constructor(private readonly awareness: Awareness) {
    awareness.on('update', ({ removed }: { removed: number[] }) => {
      for (const id of removed) this.encoded.delete(id);
    });
  }

  /**
   * Applies decoded entries as `applyAwarenessUpdate` would: an entry counts
   * when its clock is newer than the one held, or equal and removing a present
   * state; then 'change' (states that differ) and 'update' (every entry that
   * counted, renewals included) are emitted with `origin`.
   */
  apply(entries: PresenceEntry[], origin: unknown): void {
    const { awareness } = this;
    const timestamp = time.getUnixTime();
    const added: number[] = [];
    const updated: number[] = [];
    const changed: number[] = [];
    const removed: number[] = [];
    for (const { clientID, clock, state } of entries) {
      const meta = awareness.meta.get(clientID);
      const heldClock = meta === undefined ? 0 : meta.clock;
      if (!(heldClock < clock || (heldClock === clock && state === null && awareness.states.has(clientID)))) continue;
      // The server holds no state of its own (see Room), so no entry removes its state: no special case for it.
      awareness.meta.set(clientID, { clock, lastUpdated: timestamp });
      if (state === null) {
        awareness.states.delete(clientID);
        this.encoded.delete(clientID);
        if (meta !== undefined) removed.push(clientID);
        continue;
      }
      const held = this.encoded.get(clientID);
      const before = held && held.state === awareness.states.get(clientID) ? held : undefined;
      const bytes = encodeEntry(clientID, clock, state);
      awareness.states.set(clientID, state as Record<string, unknown>);
      this.encoded.set(clientID, { clock, state, bytes });
      if (meta === undefined) added.push(clientID);
      else {
        updated.push(clientID);
        // The same JSON after the id and clock is the same state (the renewal every 15 s, a repeated move).
        if (!before || !sameState(before.bytes, bytes)) changed.push(clientID);
      }
    }
    if (added.length > 0 || changed.length > 0 || removed.length > 0)
      awareness.emit('change', [{ added, updated: changed, removed }, origin]);
    if (added.length > 0 || updated.length > 0 || removed.length > 0)
      awareness.emit('update', [{ added, updated, removed }, origin]);
  }

  /**
   * Applies entries from the connections that own their ids. A connection's
   * messages arrive in order, so each is its newest state even when its clock
   * is not past the one held: the server raises clocks the client does not hear
   * of (a renewal for other processes, a role change), and y-protocols would
   * ignore it here and everywhere it is relayed. Such an entry gets the held
   * clock plus one, unless it repeats the state held (y-websocket sends back
   * every state it receives, its own included): that one is dropped.
   */
  applyOwned(entries: PresenceEntry[], origin: unknown): void {
    const { awareness } = this;
    const newest: PresenceEntry[] = [];
    for (const entry of entries) {
      const held = awareness.meta.get(entry.clientID)?.clock;
      if (held === undefined || entry.clock > held) newest.push(entry);
      else if (JSON.stringify(awareness.states.get(entry.clientID) ?? null) !== JSON.stringify(entry.state)) newest.push({ ...entry, clock: held + 1 });
    }
    if (newest.length > 0) this.apply(newest, origin);
  }

  /** An awareness update holding the present state of each of `ids` (null for one that is gone). */
  encode(ids: number[]): Uint8Array {
    const { awareness } = this;
    const parts: Uint8Array[] = [];
    for (const id of ids) {
      const meta = awareness.meta.get(id);
      if (meta === undefined) continue;
      const state = awareness.states.get(id) ?? null;
      let entry = this.encoded.get(id);
      if (!entry || entry.clock !== meta.clock || entry.state !== state) {
        entry = { clock: meta.clock, state, bytes: encodeEntry(id, meta.clock, state) };
        if (state === null) this.encoded.delete(id);
        else this.encoded.set(id, entry);
      }
      parts.push(entry.bytes);
    }
    return joinEntries(parts);
  }
}

/** Whether two encoded entries carry the same state (the bytes after the id and clock varints). */
function sameState(a: Uint8Array, b: Uint8Array): boolean {
  const skip = (bytes: Uint8Array) => {
    let i = 0;
    for (let varints = 0; varints < 2; varints++) while (bytes[i++] & 0x80);
    return i;
  };
  const i = skip(a);
  const j = skip(b);
  if (a.byteLength - i !== b.byteLength - j) return false;
  for (let k = 0; k < a.byteLength - i; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
}
