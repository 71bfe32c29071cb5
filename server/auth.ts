/**
 * Who is asking: the admin (the admin token, or an admin session), or the
 * members a session stands for. Sessions come from redeeming an invite or
 * sign-in link (`POST /api/session`); invite tokens themselves are no
 * credentials. Every HTTP route and the sync endpoint go through `identify` and
 * `accessTo`, then ask the contract's table (src/contract/permissions.ts) what
 * that role may do: `requireAction` for routes, `can` for the sync endpoint.
 * Live connections look their credential up again with `accessFor`
 * (server/people/watch.ts).
 */
import type { IncomingMessage } from 'node:http';
import { can, refusalFor, type Action, type ViewerRole } from '../src/contract/index.ts';
import { forbidden } from './http/http.ts';
import type { Credential } from './people/watch.ts';
import type { Access, Member, PeopleStore } from './people/types.ts';
import { hashToken, sameHash } from './tokens.ts';

export const SESSION_COOKIE = 'convene_session';

export type SessionCredential = Extract<Credential, { kind: 'session' }>;

export type Principal =
  | { kind: 'admin'; credential: Credential }
  | { kind: 'members'; members: Member[]; credential: SessionCredential };

export type { Access };

const ADMIN_ACCESS: Access = { role: 'admin', member: null };

export class Auth {
  constructor(
    private readonly people: PeopleStore,
    private readonly adminTokenHash: string,
  ) {}

  /** Whether `token` is the admin token. */
  isAdminToken(token: string): boolean {
    return sameHash(hashToken(token), this.adminTokenHash);
  }

  /** Resolves a bearer or `?token=`: the admin token or a session token. */
  async fromToken(token: string): Promise<Principal | null> {
    if (!token) return null;
    if (this.isAdminToken(token)) return { kind: 'admin', credential: { kind: 'admin' } };
    return this.fromSession(hashToken(token));
  }

  /** The live session with this hash (expired sessions are refused). */
  async fromSession(hash: string): Promise<Principal | null> {
    const session = await this.people.useSession(hash);
    if (!session) return null;
    const credential: SessionCredential = { kind: 'session', hash };
    return session.admin ? { kind: 'admin', credential } : { kind: 'members', members: session.members, credential };
  }

  /** A credential's access to an initiative now, or null when it has none (any more). */
  async accessFor(credential: Credential, initiativeId: string): Promise<Access | null> {
    if (credential.kind === 'admin') return ADMIN_ACCESS;
    const principal = await this.fromSession(credential.hash);
    return principal && accessTo(principal, initiativeId);
  }

  /**
   * The principal behind a request: `Authorization: Bearer`, else `?token=` when
   * `allowQueryToken`, else the session cookie. A cookie is only trusted when the
   * request is same-origin (or carries no Origin), which stops other sites from
   * riding on it, websocket upgrades included.
   */
  async identify(req: IncomingMessage, { allowQueryToken = false } = {}): Promise<Principal | null> {
    const header = req.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      return match ? this.fromToken(match[1]) : null;
    }
    if (allowQueryToken) {
      const token = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
      if (token) return this.fromToken(token);
    }
    const secret = this.sessionCookie(req);
    return secret ? this.fromSession(hashToken(secret)) : null;
  }

  /** The session secret in the request's cookie, when the request is same-origin. */
  sessionCookie(req: IncomingMessage): string | undefined {
    const secret = readCookie(req, SESSION_COOKIE);
    return secret && sameOrigin(req) ? secret : undefined;
  }
}

export function accessTo(principal: Principal, initiativeId: string): Access | null {
  if (principal.kind === 'admin') return ADMIN_ACCESS;
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
