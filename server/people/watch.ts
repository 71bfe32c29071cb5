/**
 * Live connections and the access they stand on. Every open sync socket and
 * event stream registers here with the credential it signed in with; after any
 * change to members, invites or sessions the API calls `recheck`, which looks
 * each credential up again and tells the connection when its role changed or
 * its access is gone (it then closes with 4401, or ends the stream). The
 * members list reads `online` from here.
 */
import type { Access } from './types.ts';

/** How a live connection signed in, so its access can be looked up again. */
export type Credential = { kind: 'admin' } | { kind: 'session'; hash: string };

/** Looks a credential up now: its access to the initiative, or null when it has none any more. */
export type ResolveAccess = (credential: Credential, initiativeId: string) => Access | null;

interface Registration {
  initiativeId: string;
  credential: Credential;
  access: Access;
  onChange: (access: Access | null) => void;
}

export class AccessWatch {
  private readonly live = new Set<Registration>();

  constructor(
    private readonly resolve: ResolveAccess,
    /** Told when a member's connection opens or closes (for "last seen"). */
    private readonly seen: (memberId: string) => void = () => {},
  ) {}

  /** Registers a live connection; answers the function that unregisters it. */
  register(
    initiativeId: string,
    credential: Credential,
    access: Access,
    onChange: (access: Access | null) => void,
  ): () => void {
    const registration: Registration = { initiativeId, credential, access, onChange };
    this.live.add(registration);
    if (access.member) this.seen(access.member.id);
    return () => {
      if (!this.live.delete(registration)) return;
      if (registration.access.member) this.seen(registration.access.member.id);
    };
  }

  /**
   * Looks up every live connection of `initiativeId` (of every initiative when
   * omitted) again, and tells those whose role changed or whose access ended.
   * A connection whose access ended is unregistered.
   */
  recheck(initiativeId?: string): void {
    for (const registration of [...this.live]) {
      if (initiativeId !== undefined && registration.initiativeId !== initiativeId) continue;
      const now = this.resolve(registration.credential, registration.initiativeId);
      if (!now) {
        this.live.delete(registration);
        registration.onChange(null);
      } else if (now.role !== registration.access.role) {
        registration.access = now;
        registration.onChange(now);
      }
    }
  }

  /** The ids of the members of `initiativeId` with a live connection now. */
  online(initiativeId: string): Set<string> {
    const ids = new Set<string>();
    for (const r of this.live) if (r.initiativeId === initiativeId && r.access.member) ids.add(r.access.member.id);
    return ids;
  }
}
