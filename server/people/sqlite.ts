/**
 * People storage in SQLite (tables from server/db.ts, migration 2): members,
 * invites and sign-in links, sessions, admin sign-in links and the audit
 * record. Each change and its audit entry are written in one transaction.
 * Over 400 lines on purpose: the interface is one unit (a change, its audit
 * entry and its effect on sessions share a transaction), best read in one place.
 * Every method answers a promise (the PeopleStore interface, #14) but does its
 * work in one synchronous better-sqlite3 transaction before answering; the
 * private synchronous helpers are what those transactions call.
 */
import { ACCESS, can, MEMBER_ROLES, type AuditAction, type AuditEntry, type MemberRole } from '../../src/contract/index.ts';
import type { Sector } from '../../machines/domain.ts';
import type { Db } from '../db.ts';
import { hashToken, newId, newToken } from '../tokens.ts';
import type {
  Actor,
  AdminSignInResult,
  InviteLookup,
  Member,
  MemberChangeResult,
  NewInviteRecord,
  PeopleStore,
  ProfileChange,
  RedeemResult,
  SessionInfo,
  StoredInvite,
} from './types.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The roles that keep an initiative running: those the table lets manage members (the backbone lead). */
export const LEAD_ROLES: readonly MemberRole[] = MEMBER_ROLES.filter((role) => can(role, 'manageMembers'));
const LEAD_IN = `(${LEAD_ROLES.map(() => '?').join(', ')})`;

/** Convene itself, as the actor of what happens with time (an invite expiring). */
export const CONVENE: Actor = { id: null, name: 'Convene' };

export interface MemberRow {
  id: string;
  initiative_id: string;
  role: MemberRole;
  label: string | null;
  name: string | null;
  joined_at: string;
  last_seen_at: string | null;
  sector: Sector | null;
  organisation: string | null;
}

export interface InviteRow {
  id: string;
  initiative_id: string;
  role: MemberRole;
  label: string | null;
  member_id: string | null;
  created_by_id: string | null;
  created_by_name: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  used_by: string | null;
  revoked_at: string | null;
  expired_recorded: number;
}

export interface AuditRow {
  id: number;
  at: string;
  action: AuditAction;
  actor_id: string | null;
  actor_name: string;
  subject_kind: 'member' | 'invite';
  subject_id: string;
  subject_name: string | null;
  detail: string;
}

export const toMember = (r: MemberRow): Member => ({
  id: r.id,
  initiativeId: r.initiative_id,
  role: r.role,
  label: r.label,
  name: r.name,
  joinedAt: r.joined_at,
  lastSeenAt: r.last_seen_at,
  sector: r.sector ?? null,
  organisation: r.organisation ?? null,
});

export const toInvite = (r: InviteRow): StoredInvite => ({
  id: r.id,
  initiativeId: r.initiative_id,
  role: r.role,
  label: r.label,
  memberId: r.member_id,
  createdBy: { id: r.created_by_id, name: r.created_by_name },
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  usedBy: r.used_by,
  revokedAt: r.revoked_at,
});

export const toAudit = (r: AuditRow): AuditEntry => ({
  id: r.id,
  at: r.at,
  action: r.action,
  actor: { id: r.actor_id, name: r.actor_name },
  subject: { kind: r.subject_kind, id: r.subject_id, name: r.subject_name },
  detail: JSON.parse(r.detail) as AuditEntry['detail'],
});

export class SqlitePeopleStore implements PeopleStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  private now(offsetMs = 0): string {
    return new Date(this.clock() + offsetMs).toISOString();
  }

  private record(
    initiativeId: string,
    action: AuditAction,
    actor: Actor,
    subject: AuditEntry['subject'],
    detail: AuditEntry['detail'] = {},
    at = this.now(),
  ): void {
    this.db
      .prepare(
        'INSERT INTO audit (initiative_id, at, action, actor_id, actor_name, subject_kind, subject_id, subject_name, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(initiativeId, at, action, actor.id, actor.name, subject.kind, subject.id, subject.name, JSON.stringify(detail));
  }

  // --- Members ---------------------------------------------------------------

  async member(initiativeId: string, memberId: string): Promise<Member | undefined> {
    return this.find(initiativeId, memberId);
  }

  private find(initiativeId: string, memberId: string): Member | undefined {
    const row = this.db.prepare('SELECT * FROM members WHERE id = ? AND initiative_id = ?').get(memberId, initiativeId) as
      | MemberRow
      | undefined;
    return row && toMember(row);
  }

  async members(initiativeId: string): Promise<Member[]> {
    const rows = this.db.prepare('SELECT * FROM members WHERE initiative_id = ? ORDER BY joined_at, rowid').all(initiativeId);
    return (rows as MemberRow[]).map(toMember);
  }

  async leads(initiativeId: string): Promise<Member[]> {
    return this.leadsNow(initiativeId);
  }

  private leadsNow(initiativeId: string): Member[] {
    const rows = this.db
      .prepare(`SELECT * FROM members WHERE initiative_id = ? AND role IN ${LEAD_IN} ORDER BY joined_at, rowid`)
      .all(initiativeId, ...LEAD_ROLES);
    return (rows as MemberRow[]).map(toMember);
  }

  async addMember(initiativeId: string, role: MemberRole, name: string, label: string | null): Promise<Member> {
    return this.insertMember(initiativeId, role, name, label);
  }

  private insertMember(initiativeId: string, role: MemberRole, name: string, label: string | null): Member {
    const member: Member = { id: newId(), initiativeId, role, label, name, joinedAt: this.now(), lastSeenAt: null, sector: null, organisation: null };
    this.db
      .prepare('INSERT INTO members (id, initiative_id, role, label, name, joined_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, NULL)')
      .run(member.id, initiativeId, role, label, name, member.joinedAt);
    return member;
  }

  async addSessionMember(hash: string, initiativeId: string, role: MemberRole, name: string, label: string | null): Promise<Member> {
    return this.db.transaction(() => {
      const member = this.insertMember(initiativeId, role, name, label);
      this.db.prepare('INSERT OR IGNORE INTO session_members (session_hash, member_id) VALUES (?, ?)').run(hash, member.id);
      return member;
    })();
  }

  /** Whether taking `member` out of the lead roles would leave the initiative without a lead. */
  private isLastLead(member: Member): boolean {
    return LEAD_ROLES.includes(member.role) && this.leadsNow(member.initiativeId).length <= 1;
  }

  async changeRole(initiativeId: string, memberId: string, role: MemberRole, actor: Actor): Promise<MemberChangeResult> {
    return this.db.transaction((): MemberChangeResult => {
      const member = this.find(initiativeId, memberId);
      if (!member) return { ok: false, reason: 'notFound' };
      if (member.role === role) return { ok: true, member };
      if (!LEAD_ROLES.includes(role) && this.isLastLead(member)) return { ok: false, reason: 'lastLead' };
      this.db.prepare('UPDATE members SET role = ? WHERE id = ?').run(role, memberId);
      this.record(initiativeId, 'member.roleChanged', actor, { kind: 'member', id: memberId, name: member.name }, { from: member.role, to: role });
      return { ok: true, member: { ...member, role } };
    })();
  }

  async removeMember(initiativeId: string, memberId: string, actor: Actor): Promise<MemberChangeResult> {
    return this.db.transaction((): MemberChangeResult => {
      const member = this.find(initiativeId, memberId);
      if (!member) return { ok: false, reason: 'notFound' };
      if (this.isLastLead(member)) return { ok: false, reason: 'lastLead' };
      this.db
        .prepare('UPDATE invites SET revoked_at = ? WHERE member_id = ? AND used_at IS NULL AND revoked_at IS NULL')
        .run(this.now(), memberId);
      this.db.prepare('DELETE FROM members WHERE id = ?').run(memberId);
      this.dropEmptySessions();
      this.record(initiativeId, 'member.removed', actor, { kind: 'member', id: memberId, name: member.name }, { role: member.role });
      return { ok: true, member };
    })();
  }

  async setProfile(initiativeId: string, memberId: string, change: ProfileChange): Promise<Member | undefined> {
    const member = this.find(initiativeId, memberId);
    if (!member) return undefined;
    const sector = change.sector === undefined ? member.sector : change.sector;
    const organisation = change.organisation === undefined ? member.organisation : change.organisation || null;
    this.db.prepare('UPDATE members SET sector = ?, organisation = ? WHERE id = ?').run(sector, organisation, memberId);
    return { ...member, sector, organisation };
  }

  async seen(memberId: string): Promise<void> {
    this.markSeen(memberId);
  }

  private markSeen(memberId: string): void {
    this.db.prepare('UPDATE members SET last_seen_at = ? WHERE id = ?').run(this.now(), memberId);
  }

  // --- Invites and sign-in links ---------------------------------------------

  async createInvite(initiativeId: string, invite: NewInviteRecord, actor: Actor): Promise<{ invite: StoredInvite; token: string }> {
    const token = newToken();
    const stored: StoredInvite = {
      id: newId(),
      initiativeId,
      role: invite.role,
      label: invite.label,
      memberId: invite.memberId ?? null,
      createdBy: actor,
      createdAt: this.now(),
      expiresAt: this.now(invite.expiresInDays * DAY),
      usedAt: null,
      usedBy: null,
      revokedAt: null,
    };
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO invites (id, initiative_id, role, label, member_id, token_hash, created_by_id, created_by_name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        )
        .run(stored.id, initiativeId, stored.role, stored.label, stored.memberId, hashToken(token), actor.id, actor.name, stored.createdAt, stored.expiresAt);
      const detail = { role: stored.role, label: stored.label, expiresAt: stored.expiresAt };
      if (stored.memberId) {
        const name = this.find(initiativeId, stored.memberId)?.name ?? null;
        this.record(initiativeId, 'member.signInLink', actor, { kind: 'member', id: stored.memberId, name }, detail);
      } else {
        this.record(initiativeId, 'invite.created', actor, { kind: 'invite', id: stored.id, name: stored.label }, detail);
      }
    })();
    return { invite: stored, token };
  }

  /** Records `invite.expired` (at the time it expired) for the invites that expired unrecorded. */
  private recordExpired(rows: InviteRow[]): void {
    const now = this.now();
    for (const row of rows) {
      if (row.used_at || row.revoked_at || row.expired_recorded || row.expires_at > now) continue;
      this.db.prepare('UPDATE invites SET expired_recorded = 1 WHERE id = ?').run(row.id);
      this.record(row.initiative_id, 'invite.expired', CONVENE, this.inviteSubject(row), { role: row.role, label: row.label, expiresAt: row.expires_at }, row.expires_at);
    }
  }

  /** An invite as the audit names it: a sign-in link by its member, an invite by its label. */
  private inviteSubject(row: InviteRow): AuditEntry['subject'] {
    if (row.member_id) return { kind: 'member', id: row.member_id, name: this.find(row.initiative_id, row.member_id)?.name ?? null };
    return { kind: 'invite', id: row.id, name: row.label };
  }

  async pendingInvites(initiativeId: string): Promise<StoredInvite[]> {
    return this.db.transaction(() => {
      const open = this.db
        .prepare('SELECT * FROM invites WHERE initiative_id = ? AND used_at IS NULL AND revoked_at IS NULL ORDER BY created_at, rowid')
        .all(initiativeId) as InviteRow[];
      this.recordExpired(open);
      const now = this.now();
      return open.filter((row) => row.expires_at > now).map(toInvite);
    })();
  }

  async invite(initiativeId: string, inviteId: string): Promise<StoredInvite | undefined> {
    const row = this.db.prepare('SELECT * FROM invites WHERE id = ? AND initiative_id = ?').get(inviteId, initiativeId) as
      | InviteRow
      | undefined;
    return row && toInvite(row);
  }

  async revokeInvite(initiativeId: string, inviteId: string, actor: Actor): Promise<boolean> {
    return this.db.transaction(() => {
      const row = this.db.prepare('SELECT * FROM invites WHERE id = ? AND initiative_id = ?').get(inviteId, initiativeId) as
        | InviteRow
        | undefined;
      if (!row || row.used_at) return false;
      if (row.revoked_at) return true;
      this.db.prepare('UPDATE invites SET revoked_at = ? WHERE id = ?').run(this.now(), inviteId);
      this.record(initiativeId, 'invite.revoked', actor, this.inviteSubject(row), { role: row.role, label: row.label });
      return true;
    })();
  }

  async lookupInvite(token: string): Promise<InviteLookup> {
    return this.lookup(token);
  }

  private lookup(token: string): InviteLookup {
    return this.db.transaction((): InviteLookup => {
      const row = this.db.prepare('SELECT * FROM invites WHERE token_hash = ?').get(hashToken(token)) as InviteRow | undefined;
      if (!row) return { status: 'unknown' };
      this.recordExpired([row]);
      const invite = toInvite(row);
      if (row.revoked_at) return { status: 'revoked', invite };
      if (row.used_at) return { status: 'used', invite };
      if (row.expires_at <= this.now()) return { status: 'expired', invite };
      if (!row.member_id) return { status: 'open', invite, member: null };
      const member = this.find(row.initiative_id, row.member_id);
      return member ? { status: 'open', invite, member } : { status: 'revoked', invite };
    })();
  }

  async redeem(token: string, name: string | undefined, existing: string | undefined): Promise<RedeemResult> {
    return this.db.transaction((): RedeemResult => {
      const found = this.lookup(token);
      if (found.status === 'unknown') return { ok: false, reason: 'unknown' };
      if (found.status !== 'open') return { ok: false, reason: found.status, invite: found.invite };
      const { invite } = found;
      const live = this.liveSecret(existing);
      const already = live && this.session(hashToken(live))?.members.find((m) => m.initiativeId === invite.initiativeId);
      if (already && already.id !== found.member?.id) return { ok: false, reason: 'alreadyMember', invite, member: already };
      let member = found.member;
      if (!member) {
        if (!name) return { ok: false, reason: 'nameRequired', invite };
        member = this.insertMember(invite.initiativeId, invite.role, name, invite.label);
      }
      this.db.prepare('UPDATE invites SET used_at = ?, used_by = ? WHERE id = ?').run(this.now(), member.id, invite.id);
      this.markSeen(member.id);
      const session = live ?? this.newSession(false);
      this.db.prepare('INSERT OR IGNORE INTO session_members (session_hash, member_id) VALUES (?, ?)').run(hashToken(session), member.id);
      this.record(invite.initiativeId, 'invite.redeemed', { id: member.id, name: member.name ?? '' }, { kind: 'member', id: member.id, name: member.name }, {
        role: member.role,
        label: invite.label,
      });
      return { ok: true, member, session, invite: { ...invite, usedAt: this.now(), usedBy: member.id } };
    })();
  }

  // --- Sessions --------------------------------------------------------------

  /** `secret` when it names a live session, else undefined. */
  private liveSecret(secret: string | undefined): string | undefined {
    return secret && this.session(hashToken(secret)) ? secret : undefined;
  }

  private newSession(admin: boolean): string {
    const secret = newToken();
    this.db
      .prepare('INSERT INTO sessions (id_hash, admin, created_at, last_used_at) VALUES (?, ?, ?, ?)')
      .run(hashToken(secret), admin ? 1 : 0, this.now(), this.now());
    return secret;
  }

  /** Sessions that hold nobody and are no admin session stand for no one: they end. */
  private dropEmptySessions(): void {
    this.db
      .prepare('DELETE FROM sessions WHERE admin = 0 AND NOT EXISTS (SELECT 1 FROM session_members s WHERE s.session_hash = sessions.id_hash)')
      .run();
  }

  async useSession(hash: string): Promise<SessionInfo | undefined> {
    return this.session(hash);
  }

  private session(hash: string): SessionInfo | undefined {
    const row = this.db.prepare('SELECT admin, last_used_at FROM sessions WHERE id_hash = ?').get(hash) as
      | { admin: number; last_used_at: string }
      | undefined;
    if (!row) return undefined;
    if (row.last_used_at <= this.now(-ACCESS.sessionIdleDays * DAY)) {
      this.deleteSession(hash);
      return undefined;
    }
    if (row.last_used_at <= this.now(-MINUTE)) {
      this.db.prepare('UPDATE sessions SET last_used_at = ? WHERE id_hash = ?').run(this.now(), hash);
    }
    const members = this.db
      .prepare('SELECT m.* FROM members m JOIN session_members s ON s.member_id = m.id WHERE s.session_hash = ? ORDER BY m.joined_at, m.rowid')
      .all(hash) as MemberRow[];
    return { hash, admin: row.admin === 1, members: members.map(toMember) };
  }

  async startAdminSession(existing: string | undefined): Promise<string> {
    return this.adminSession(existing);
  }

  private adminSession(existing: string | undefined): string {
    const live = this.liveSecret(existing);
    if (!live) return this.newSession(true);
    this.db.prepare('UPDATE sessions SET admin = 1 WHERE id_hash = ?').run(hashToken(live));
    return live;
  }

  async endSession(hash: string): Promise<void> {
    this.deleteSession(hash);
  }

  private deleteSession(hash: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hash);
  }

  async endEverywhere(hash: string): Promise<void> {
    this.db.transaction(() => {
      const session = this.session(hash);
      if (!session) return;
      if (session.admin) this.db.prepare('DELETE FROM sessions WHERE admin = 1').run();
      const ids = session.members.map((m) => m.id);
      if (ids.length > 0) {
        this.db
          .prepare(`DELETE FROM sessions WHERE id_hash IN (SELECT session_hash FROM session_members WHERE member_id IN (${ids.map(() => '?').join(', ')}))`)
          .run(...ids);
      }
      this.deleteSession(hash);
      for (const m of session.members) {
        const self = { id: m.id, name: m.name ?? '' };
        this.record(m.initiativeId, 'member.signedOut', self, { kind: 'member', id: m.id, name: m.name });
      }
    })();
  }

  async endMemberSessions(initiativeId: string, memberId: string, actor: Actor): Promise<boolean> {
    return this.db.transaction(() => {
      const member = this.find(initiativeId, memberId);
      if (!member) return false;
      this.db.prepare('DELETE FROM session_members WHERE member_id = ?').run(memberId);
      this.dropEmptySessions();
      this.record(initiativeId, 'member.signedOut', actor, { kind: 'member', id: memberId, name: member.name });
      return true;
    })();
  }

  // --- Admin sign-in links ---------------------------------------------------

  async createAdminSignIn(days: number): Promise<{ token: string; expiresAt: string }> {
    const token = newToken();
    const expiresAt = this.now(days * DAY);
    // One is made at every start: the expired ones go, so the table stays as small as a week of starts.
    this.db.prepare('DELETE FROM admin_sign_ins WHERE expires_at <= ?').run(this.now());
    this.db
      .prepare('INSERT INTO admin_sign_ins (token_hash, created_at, expires_at) VALUES (?, ?, ?)')
      .run(hashToken(token), this.now(), expiresAt);
    return { token, expiresAt };
  }

  async redeemAdminSignIn(token: string, existing: string | undefined): Promise<AdminSignInResult> {
    return this.db.transaction((): AdminSignInResult => {
      const hash = hashToken(token);
      const row = this.db.prepare('SELECT expires_at, used_at FROM admin_sign_ins WHERE token_hash = ?').get(hash) as
        | { expires_at: string; used_at: string | null }
        | undefined;
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.used_at) return { ok: false, reason: 'used' };
      if (row.expires_at <= this.now()) return { ok: false, reason: 'expired' };
      this.db.prepare('UPDATE admin_sign_ins SET used_at = ? WHERE token_hash = ?').run(this.now(), hash);
      return { ok: true, session: this.adminSession(existing) };
    })();
  }

  // --- Audit -----------------------------------------------------------------

  async audit(initiativeId: string): Promise<AuditEntry[]> {
    const rows = this.db.prepare('SELECT * FROM audit WHERE initiative_id = ? ORDER BY at DESC, id DESC').all(initiativeId);
    return (rows as AuditRow[]).map(toAudit);
  }
}
