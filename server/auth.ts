/**
 * Who is asking: the admin, or the members an invite token or browser session
 * stands for. Every HTTP route and the sync endpoint go through `identify` and
 * `accessTo`.
 */
import type { IncomingMessage } from 'node:http';
import type { Member, Role, Store } from './store.ts';
import { hashToken, sameHash } from './tokens.ts';

export const SESSION_COOKIE = 'convene_session';

export type Principal =
  | { kind: 'admin' }
  | { kind: 'members'; members: Member[]; session?: string };

export interface Access {
  role: Role | 'admin';
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

/** Roles that may edit the shared document. */
export function canEdit(role: Access['role']): boolean {
  return role !== 'observer';
}

/** Roles that may advance the workflow. */
export function canSteer(role: Access['role']): boolean {
  return role === 'admin' || role === 'lead' || role === 'facilitator';
}

/** Roles that may invite people. */
export function canInvite(role: Access['role']): boolean {
  return role === 'admin' || role === 'lead';
}
