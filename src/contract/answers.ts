/**
 * The shapes the HTTP API answers with (docs/api.md): the server builds them,
 * the browser's API client (src/kit/api.ts) reads them.
 */
import type { Stage } from '../../machines/workflow.ts';
import type { Sector } from '../../machines/domain.ts';
import type { MemberRole, ViewerRole } from './roles.ts';


export interface InitiativeSummary {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  role: ViewerRole;
  /** The initiative it is a sub-initiative of (docs/portfolio.md), or null. */
  parentId: string | null;
}

export interface InitiativeDetail extends InitiativeSummary {
  me: { id: string; name: string | null; role: MemberRole } | null;
}

export interface Membership {
  initiativeId: string;
  initiativeName: string;
  memberId: string;
  name: string | null;
  role: MemberRole;
}

export interface Session {
  admin: boolean;
  memberships: Membership[];
}

/**
 * `GET /api/invites/:token`: what an unused link opens. `name` is set for a
 * sign-in link of an existing member (no name to choose); null for an invite.
 */
export interface Invite {
  initiativeId: string;
  initiativeName: string;
  role: MemberRole;
  name: string | null;
  expiresAt: string;
}

/** `POST /api/initiatives/:id/invites`: the token and link, shown once. */
export interface CreatedInvite {
  id: string;
  token: string;
  url: string;
  expiresAt: string;
}

/** `POST /api/initiatives/:id/members/:memberId/sign-in-link`: shown once. */
export interface SignInLink {
  token: string;
  url: string;
  expiresAt: string;
}

/**
 * `POST /api/session`: who is now signed in, and a session token for scripts and
 * sync clients (`Authorization: Bearer` or `?token=`). The browser keeps to its
 * httpOnly cookie and never stores the token. For the admin, the ids are null.
 */
export interface SessionStarted {
  initiativeId: string | null;
  memberId: string | null;
  admin: boolean;
  token: string;
}

/** `GET /api/initiatives/:id/members`: one member. Times are ISO strings. */
export interface MemberEntry {
  id: string;
  name: string | null;
  role: MemberRole;
  label: string | null;
  joinedAt: string;
  lastSeenAt: string | null;
  /** The sector and organisation they speak for (workshop attendance by sector), when said. */
  sector: Sector | null;
  organisation: string | null;
  /** Connected now: an open board or event stream on this server. */
  online: boolean;
}

/** `GET /api/initiatives/:id/invites`: one unused, unexpired, unrevoked invite or sign-in link; never its token. */
export interface PendingInvite {
  id: string;
  role: MemberRole;
  label: string | null;
  /** The member a sign-in link is for; null for an invite of someone new. */
  memberId: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
}

/** Every kind of membership change the record keeps (docs/api.md, "Audit"). */
export const AUDIT_ACTIONS = [
  'invite.created',
  'invite.redeemed',
  'invite.revoked',
  'invite.expired',
  'member.roleChanged',
  'member.removed',
  'member.signInLink',
  'member.signedOut',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * `GET /api/initiatives/:id/audit`: one membership change, newest first. `actor`
 * is who did it (null name for the system, e.g. an invite expiring); `subject`
 * is the member or invite it concerned, by the name it had then.
 */
export interface AuditEntry {
  id: number;
  at: string;
  action: AuditAction;
  actor: { id: string | null; name: string };
  subject: { kind: 'member' | 'invite'; id: string; name: string | null };
  /** Per action: `role` (created, redeemed), `from`/`to` (roleChanged), `label`, `expiresAt`. */
  detail: { role?: MemberRole; from?: MemberRole; to?: MemberRole; label?: string | null; expiresAt?: string };
}

/**
 * The `access` event of the initiative's event stream (`GET
 * /api/initiatives/:id/workflow/stream`): sent to a member's open streams when
 * their role changes, and when their access ends (removed, or signed out
 * everywhere) just before the stream closes.
 */
export type AccessEvent = { role: ViewerRole } | { removed: true; reason: string };

/** `POST /api/initiatives/:id/import`: how much was written. */
export interface ImportResult {
  imported: { entities: number; placements: number; workflow: boolean };
}

/** One failing field of a refused body. */
export interface Issue {
  path: string;
  message: string;
}
