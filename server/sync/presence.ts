/**
 * Presence you can trust: decodes an awareness update completely before any of
 * it is applied, keeps only the entries for client ids the connection owns, and
 * writes the name and role from the server's session over what the client claims.
 */
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
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
      state = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
    } catch {
      throw new PresenceError('awareness state is not JSON');
    }
    entries.push({ clientID, clock, state });
  }
  if (decoder.pos !== update.byteLength) throw new PresenceError('trailing bytes after awareness update');
  return entries;
}

export function encodePresence(entries: PresenceEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const { clientID, clock, state } of entries) {
    encoding.writeVarUint(encoder, clientID);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, JSON.stringify(state));
  }
  return encoding.toUint8Array(encoder);
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
 */
export class PresenceOwners<Owner> {
  private readonly owners = new Map<number, Owner>();
  private readonly owned = new Map<Owner, Set<number>>();

  constructor(
    private readonly maxPerOwner: number,
    private readonly reserved: ReadonlySet<number> = new Set(),
  ) {}

  /** Whether `owner` may set the state of `clientID`, claiming it when it is free. */
  claim(owner: Owner, clientID: number, removing: boolean): boolean {
    const current = this.owners.get(clientID);
    if (current !== undefined) return current === owner;
    if (removing || this.reserved.has(clientID)) return false;
    const ids = this.owned.get(owner) ?? new Set<number>();
    if (ids.size >= this.maxPerOwner) return false;
    ids.add(clientID);
    this.owned.set(owner, ids);
    this.owners.set(clientID, owner);
    return true;
  }

  /** The ids `owner` owns now. */
  idsOf(owner: Owner): number[] {
    return [...(this.owned.get(owner) ?? [])];
  }

  /** Forgets `owner`; answers the ids it owned. */
  release(owner: Owner): number[] {
    const ids = [...(this.owned.get(owner) ?? [])];
    this.owned.delete(owner);
    for (const id of ids) this.owners.delete(id);
    return ids;
  }
}
