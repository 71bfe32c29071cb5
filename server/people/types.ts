/**
 * Who is in an initiative and how they sign in: members, invites (and sign-in
 * links, which are invites for an existing member), sessions, admin sign-in
 * links and the audit record. Behind this interface so another database can
 * take SQLite's place (#14); test/server/people-contract.test.ts is the suite
 * every implementation passes. Every time comes from the injected clock.
 */
import type { Sector } from '../../machines/domain.ts';
import type { AuditAction, AuditEntry, MemberRole, ViewerRole } from '../../src/contract/index.ts';

export interface Member {
  id: string;
  initiativeId: string;
  role: MemberRole;
  label: string | null;
  /** Chosen when the invite was redeemed. */
  name: string | null;
  joinedAt: string;
  lastSeenAt: string | null;
  /** The sector and organisation they speak for (workshop attendance), when said. */
  sector: Sector | null;
  organisation: string | null;
}

/** A change to what a member speaks for: each field given replaces the old one (null clears it). */
export interface ProfileChange {
  sector?: Sector | null;
  organisation?: string | null;
}

/** What someone may do in one initiative: their role, and the member they are (null for the admin). */
export interface Access {
  role: ViewerRole;
  member: Member | null;
}

/** An invite (for someone new, `memberId` null) or a sign-in link (for an existing member). */
export interface StoredInvite {
  id: string;
  initiativeId: string;
  role: MemberRole;
  label: string | null;
  memberId: string | null;
  createdBy: { id: string | null; name: string };
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  /** The member who redeemed it. */
  usedBy: string | null;
  revokedAt: string | null;
}

/** Who made a change: a member, the admin (`id` null, "Administrator") or Convene itself. */
export interface Actor {
  id: string | null;
  name: string;
}

/** What a token opens: an invite ready to redeem, or why it cannot be. */
export type InviteLookup =
  | { status: 'open'; invite: StoredInvite; member: Member | null }
  | { status: 'used' | 'expired' | 'revoked'; invite: StoredInvite }
  | { status: 'unknown' };

export type RedeemResult =
  | { ok: true; member: Member; session: string; invite: StoredInvite }
  | { ok: false; reason: 'unknown' }
  | { ok: false; reason: 'used' | 'expired' | 'revoked'; invite: StoredInvite }
  | { ok: false; reason: 'nameRequired'; invite: StoredInvite }
  /** The session already holds another member of this initiative: the link is left unused for its person. */
  | { ok: false; reason: 'alreadyMember'; invite: StoredInvite; member: Member };

/** A live session: the members it holds, and whether it is an admin session. */
export interface SessionInfo {
  hash: string;
  admin: boolean;
  members: Member[];
}

/** A change to one member: done, or refused because it would leave no lead, or no such member. */
export type MemberChangeResult = { ok: true; member: Member } | { ok: false; reason: 'lastLead' | 'notFound' };

export type AdminSignInResult = { ok: true; session: string } | { ok: false; reason: 'used' | 'expired' | 'unknown' };

export interface NewInviteRecord {
  role: MemberRole;
  label: string | null;
  /** Set for a sign-in link of an existing member. */
  memberId?: string;
  expiresInDays: number;
}

export interface PeopleStore {
  // Members
  member(initiativeId: string, memberId: string): Promise<Member | undefined>;
  members(initiativeId: string): Promise<Member[]>;
  /** The members whose role may manage members (the backbone leads), oldest first. */
  leads(initiativeId: string): Promise<Member[]>;
  /** Adds a member directly (the demo's lead); ordinary members join by redeeming an invite. */
  addMember(initiativeId: string, role: MemberRole, name: string, label: string | null): Promise<Member>;
  /**
   * Adds a member and has the live session `hash` hold it at once, in one write:
   * a backbone lead who creates a sub-initiative leads it (docs/portfolio.md).
   */
  addSessionMember(hash: string, initiativeId: string, role: MemberRole, name: string, label: string | null): Promise<Member>;
  /** Refused with `lastLead` when it would leave the initiative without a lead. */
  changeRole(initiativeId: string, memberId: string, role: MemberRole, actor: Actor): Promise<MemberChangeResult>;
  /** Removes the member (their sessions lose them; their sign-in links are revoked). Refused for the last lead. */
  removeMember(initiativeId: string, memberId: string, actor: Actor): Promise<MemberChangeResult>;
  /** Sets the sector and/or organisation the member speaks for; undefined when there is no such member. */
  setProfile(initiativeId: string, memberId: string, change: ProfileChange): Promise<Member | undefined>;
  /** Records that the member was here just now ("last seen"). */
  seen(memberId: string): Promise<void>;

  // Invites and sign-in links
  /** Creates an invite (or a sign-in link when `memberId` is set); the token is answered once and stored hashed. */
  createInvite(initiativeId: string, invite: NewInviteRecord, actor: Actor): Promise<{ invite: StoredInvite; token: string }>;
  /** The invites not yet used, revoked or expired; records `invite.expired` for those that expired unrecorded. */
  pendingInvites(initiativeId: string): Promise<StoredInvite[]>;
  invite(initiativeId: string, inviteId: string): Promise<StoredInvite | undefined>;
  /** Revokes an unused invite; false when it was already used. */
  revokeInvite(initiativeId: string, inviteId: string, actor: Actor): Promise<boolean>;
  /** What a token opens now (recording `invite.expired` when it has just been found expired). */
  lookupInvite(token: string): Promise<InviteLookup>;
  /**
   * Redeems an invite token once: a new member named `name` (required for an
   * invite of someone new) or the existing member of a sign-in link, added to
   * the session whose secret is `existing` when it is live, else to a new one.
   * Answers the session's secret.
   */
  redeem(token: string, name: string | undefined, existing: string | undefined): Promise<RedeemResult>;

  // Sessions
  /**
   * The live session with this hash, or undefined (unknown, ended, or idle past
   * ACCESS.sessionIdleDays). Using it refreshes its last use, written at most once a minute.
   */
  useSession(hash: string): Promise<SessionInfo | undefined>;
  /** Makes the live session `existing` an admin session, or starts one; answers its secret. */
  startAdminSession(existing: string | undefined): Promise<string>;
  endSession(hash: string): Promise<void>;
  /** Ends every session of every member `hash` holds (and, for an admin session, every admin session). */
  endEverywhere(hash: string): Promise<void>;
  /** Ends the member's sessions (a lost laptop): their sessions no longer hold the member. */
  endMemberSessions(initiativeId: string, memberId: string, actor: Actor): Promise<boolean>;

  // Admin sign-in links
  createAdminSignIn(days: number): Promise<{ token: string; expiresAt: string }>;
  /** Redeems an admin sign-in token once into an admin session (`existing` when live). */
  redeemAdminSignIn(token: string, existing: string | undefined): Promise<AdminSignInResult>;

  // Audit
  /** Newest first. */
  audit(initiativeId: string): Promise<AuditEntry[]>;
}

export type { AuditAction };
