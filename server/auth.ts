/**
 * Who is asking: the admin, or the members an invite token or browser session
 * stands for. Every HTTP route and the sync endpoint go through `identify` and
 * `accessTo`, then ask the contract's table (src/contract/permissions.ts) what
 * that role may do: `requireAction` for routes, `can` for the sync endpoint.
 */
import type { IncomingMessage } from 'node:http';
import { can, refusalFor, type Action, type ViewerRole } from '../src/contract/index.ts';
import { forbidden } from './http/http.ts';
import type { Member, Store } from './store.ts';
import { hashToken, sameHash } from './tokens.ts';

export const SESSION_COOKIE = 'convene_session';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'members'; members: Member[]; session?: string };

export interface Access {
  role: ViewerRole;
  member: Member | null;
}

export class Auth {
  constructor(
    private readonly store: Store,
    private readonly adminTokenHash: string,
  ) {}

  /** Resolves a bearer or sync token. */
  fromToken(token: string): Principal | null {
    if (!token) return null;
    if (sameHash(hashToken(token), this.adminTokenHash)) return { kind: 'admin' };
    const member = this.store.memberByToken(token);
    return member ? { kind: 'members', members: [member] } : null;
  }

  fromSession(secret: string): Principal | null {
    const members = this.store.sessionMembers(secret);
    return members ? { kind: 'members', members, session: secret } : null;
  }

  /**
   * The principal behind a request: `Authorization: Bearer`, else `?token=` when
   * `allowQueryToken`, else the session cookie. A cookie is only trusted when the
   * request is same-origin (or carries no Origin), which stops other sites from
   * riding on it, websocket upgrades included.
   */
  identify(req: IncomingMessage, { allowQueryToken = false } = {}): Principal | null {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      return match ? this.fromToken(match[1]) : null;
    }
    if (allowQueryToken) {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
      if (token) return this.fromToken(token);
    }
    const secret = readCookie(req, SESSION_COOKIE);
    if (!secret || !sameOrigin(req)) return null;
    return this.fromSession(secret);
  }
}

export function accessTo(principal: Principal, initiativeId: string): Access | null {
  if (principal.kind === 'admin') return { role: 'admin', member: null };
  const member = principal.members.find((m) => m.initiativeId === initiativeId);
  return member ? { role: member.role, member } : null;
}

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/** The role of a principal for instance-wide actions (creating initiatives, metrics): only the admin has one. */
export function instanceRole(principal: Principal): ViewerRole | null {
  return principal.kind === 'admin' ? 'admin' : null;
}

/** Throws 403 with the table's refusal unless `role` may do `action`. */
export function requireAction(role: ViewerRole | null, action: Action): void {
  if (!can(role, action)) throw forbidden(refusalFor(action));
}
