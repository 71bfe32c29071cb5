/**
 * People storage in PostgreSQL (#14): the tables `members`, `invites`,
 * `sessions`, `session_members`, `admin_sign_ins` and `audit` of
 * server/pg/migrate.ts, the same rules as the SQLite store (./sqlite.ts, whose
 * row shapes and mappers it shares) and the same contract suite
 * (test/server/people-contract.test.ts). Every time comes from the injected clock.
 *
 * SQLite has one writer at a time; here several processes write at once, so
 * every read-then-write holds a row lock in its transaction:
 * - an invite (or an admin sign-in link) is redeemed once: its row is read
 *   `FOR UPDATE`, and the second redeemer finds it used;
 * - the last lead stays: a change of role or a removal locks the initiative's
 *   row first, so two leads demoting each other take turns and the second is refused;
 * - an expired invite is recorded once: its flag is set by a conditional
 *   UPDATE, and only the transaction that set it writes the audit entry.
 * Each change and its audit entry are written in one transaction.
 *
 * Text sorts byte by byte (COLLATE "C"), as in SQLite, whatever the database's
 * locale; `ord` breaks ties of equal times, as SQLite's rowid does.
 *
 * Over 400 lines on purpose, as its SQLite twin: a change, its audit entry and
 * its effect on sessions share a transaction, best read in one place.
 */
import { ACCESS, type AuditAction, type AuditEntry, type MemberRole } from '../../src/contract/index.ts';
import { inTransaction, type Pool, type PoolClient } from '../pg/pool.ts';
import { hashToken, newId, newToken } from '../tokens.ts';
import { CONVENE, LEAD_ROLES, toAudit, toInvite, toMember, type AuditRow, type InviteRow, type MemberRow } from './sqlite.ts';
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

/** The pool, or the one connection of a transaction. */
type Q = Pick<Pool, 'query'> | PoolClient;

/** An invite's columns as the SQLite store reads them (its flag a 0 or 1). */
const INVITE = `id, initiative_id, role, label, member_id, created_by_id, created_by_name, created_at, expires_at,
  used_at, used_by, revoked_at, expired_recorded::int AS expired_recorded`;
const MEMBER = 'id, initiative_id, role, label, name, joined_at, last_seen_at, sector, organisation';
const BY_JOINING = 'ORDER BY joined_at COLLATE "C", ord';

export class PostgresPeopleStore implements PeopleStore {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number = Date.now,
  ) {}

  private now(offsetMs = 0): string {
    return new Date(this.clock() + offsetMs).toISOString();
  }

  private tx<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, work);
  }

  private async record(
    q: Q,
    initiativeId: string,
    action: AuditAction,
    actor: Actor,
    subject: AuditEntry['subject'],
    detail: AuditEntry['detail'] = {},
    at = this.now(),
  ): Promise<void> {
    await q.query(
      'INSERT INTO audit (initiative_id, at, action, actor_id, actor_name, subject_kind, subject_id, subject_name, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [initiativeId, at, action, actor.id, actor.name, subject.kind, subject.id, subject.name, JSON.stringify(detail)],
    );
  }

  /** Holds the initiative's row until the transaction ends: its membership changes take turns. */
  private async lockInitiative(client: PoolClient, initiativeId: string): Promise<void> {
    await client.query('SELECT 1 FROM initiatives WHERE id = $1 FOR NO KEY UPDATE', [initiativeId]);
  }

  // --- Members ---------------------------------------------------------------

  private async memberIn(q: Q, initiativeId: string, memberId: string): Promise<Member | undefined> {
    const { rows } = await q.query<MemberRow>(`SELECT ${MEMBER} FROM members WHERE id = $1 AND initiative_id = $2`, [memberId, initiativeId]);
    return rows[0] && toMember(rows[0]);
  }

  member(initiativeId: string, memberId: string): Promise<Member | undefined> {
    return this.memberIn(this.pool, initiativeId, memberId);
  }

  async members(initiativeId: string): Promise<Member[]> {
    const { rows } = await this.pool.query<MemberRow>(`SELECT ${MEMBER} FROM members WHERE initiative_id = $1 ${BY_JOINING}`, [initiativeId]);
    return rows.map(toMember);
  }

  private async leadsIn(q: Q, initiativeId: string): Promise<Member[]> {
    const { rows } = await q.query<MemberRow>(`SELECT ${MEMBER} FROM members WHERE initiative_id = $1 AND role = ANY($2::text[]) ${BY_JOINING}`, [
      initiativeId,
      LEAD_ROLES,
    ]);
    return rows.map(toMember);
  }

  leads(initiativeId: string): Promise<Member[]> {
    return this.leadsIn(this.pool, initiativeId);
  }

  private async addMemberIn(q: Q, initiativeId: string, role: MemberRole, name: string, label: string | null): Promise<Member> {
    const member: Member = { id: newId(), initiativeId, role, label, name, joinedAt: this.now(), lastSeenAt: null, sector: null, organisation: null };
    await q.query('INSERT INTO members (id, initiative_id, role, label, name, joined_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, NULL)', [
      member.id,
      initiativeId,
      role,
      label,
      name,
      member.joinedAt,
    ]);
    return member;
  }

  addMember(initiativeId: string, role: MemberRole, name: string, label: string | null): Promise<Member> {
    return this.addMemberIn(this.pool, initiativeId, role, name, label);
  }

  addSessionMember(hash: string, initiativeId: string, role: MemberRole, name: string, label: string | null): Promise<Member> {
    return this.tx(async (client) => {
      const member = await this.addMemberIn(client, initiativeId, role, name, label);
      await client.query('INSERT INTO session_members (session_hash, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [hash, member.id]);
      return member;
    });
  }

  /** Whether taking `member` out of the lead roles would leave the initiative without a lead (under the initiative's lock). */
  private async isLastLead(client: PoolClient, member: Member): Promise<boolean> {
    return LEAD_ROLES.includes(member.role) && (await this.leadsIn(client, member.initiativeId)).length <= 1;
  }

  changeRole(initiativeId: string, memberId: string, role: MemberRole, actor: Actor): Promise<MemberChangeResult> {
    return this.tx(async (client): Promise<MemberChangeResult> => {
      await this.lockInitiative(client, initiativeId);
      const member = await this.memberIn(client, initiativeId, memberId);
      if (!member) return { ok: false, reason: 'notFound' };
      if (member.role === role) return { ok: true, member };
      if (!LEAD_ROLES.includes(role) && (await this.isLastLead(client, member))) return { ok: false, reason: 'lastLead' };
      await client.query('UPDATE members SET role = $1 WHERE id = $2', [role, memberId]);
      await this.record(client, initiativeId, 'member.roleChanged', actor, { kind: 'member', id: memberId, name: member.name }, { from: member.role, to: role });
      return { ok: true, member: { ...member, role } };
    });
  }

  removeMember(initiativeId: string, memberId: string, actor: Actor): Promise<MemberChangeResult> {
    return this.tx(async (client): Promise<MemberChangeResult> => {
      await this.lockInitiative(client, initiativeId);
      const member = await this.memberIn(client, initiativeId, memberId);
      if (!member) return { ok: false, reason: 'notFound' };
      if (await this.isLastLead(client, member)) return { ok: false, reason: 'lastLead' };
      await client.query('UPDATE invites SET revoked_at = $1 WHERE member_id = $2 AND used_at IS NULL AND revoked_at IS NULL', [this.now(), memberId]);
      await client.query('DELETE FROM members WHERE id = $1', [memberId]);
      await this.dropEmptySessions(client);
      await this.record(client, initiativeId, 'member.removed', actor, { kind: 'member', id: memberId, name: member.name }, { role: member.role });
      return { ok: true, member };
    });
  }

  async setProfile(initiativeId: string, memberId: string, change: ProfileChange): Promise<Member | undefined> {
    // One statement: a field not given keeps the value it has when the row is written.
    const { rows } = await this.pool.query<MemberRow>(
      `UPDATE members SET
         sector = CASE WHEN $3 THEN $4 ELSE sector END,
         organisation = CASE WHEN $5 THEN $6 ELSE organisation END
       WHERE id = $1 AND initiative_id = $2
       RETURNING ${MEMBER}`,
      [memberId, initiativeId, change.sector !== undefined, change.sector ?? null, change.organisation !== undefined, change.organisation || null],
    );
    return rows[0] && toMember(rows[0]);
  }

  private async seenIn(q: Q, memberId: string): Promise<void> {
    await q.query('UPDATE members SET last_seen_at = $1 WHERE id = $2', [this.now(), memberId]);
  }

  seen(memberId: string): Promise<void> {
    return this.seenIn(this.pool, memberId);
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
    await this.tx(async (client) => {
      await client.query(
        'INSERT INTO invites (id, initiative_id, role, label, member_id, token_hash, created_by_id, created_by_name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
        [stored.id, initiativeId, stored.role, stored.label, stored.memberId, hashToken(token), actor.id, actor.name, stored.createdAt, stored.expiresAt],
      );
      const detail = { role: stored.role, label: stored.label, expiresAt: stored.expiresAt };
      if (stored.memberId) {
        const name = (await this.memberIn(client, initiativeId, stored.memberId))?.name ?? null;
        await this.record(client, initiativeId, 'member.signInLink', actor, { kind: 'member', id: stored.memberId, name }, detail);
      } else {
        await this.record(client, initiativeId, 'invite.created', actor, { kind: 'invite', id: stored.id, name: stored.label }, detail);
      }
    });
    return { invite: stored, token };
  }

  /**
   * Records `invite.expired` (at the time it expired) for the invites that
   * expired unrecorded. The flag is set only where it was not yet, so of two
   * processes finding one invite expired at once, one records it.
   */
  private async recordExpired(client: PoolClient, rows: InviteRow[]): Promise<void> {
    const now = this.now();
    for (const row of rows) {
      if (row.used_at || row.revoked_at || row.expired_recorded || row.expires_at > now) continue;
      const { rowCount } = await client.query('UPDATE invites SET expired_recorded = TRUE WHERE id = $1 AND NOT expired_recorded', [row.id]);
      if (rowCount === 0) continue;
      const subject = await this.inviteSubject(client, row);
      await this.record(client, row.initiative_id, 'invite.expired', CONVENE, subject, { role: row.role, label: row.label, expiresAt: row.expires_at }, row.expires_at);
    }
  }

  /** An invite as the audit names it: a sign-in link by its member, an invite by its label. */
  private async inviteSubject(q: Q, row: InviteRow): Promise<AuditEntry['subject']> {
    if (row.member_id) return { kind: 'member', id: row.member_id, name: (await this.memberIn(q, row.initiative_id, row.member_id))?.name ?? null };
    return { kind: 'invite', id: row.id, name: row.label };
  }

  pendingInvites(initiativeId: string): Promise<StoredInvite[]> {
    return this.tx(async (client) => {
      const { rows: open } = await client.query<InviteRow>(
        `SELECT ${INVITE} FROM invites WHERE initiative_id = $1 AND used_at IS NULL AND revoked_at IS NULL ORDER BY created_at COLLATE "C", ord`,
        [initiativeId],
      );
      await this.recordExpired(client, open);
      const now = this.now();
      return open.filter((row) => row.expires_at > now).map(toInvite);
    });
  }

  async invite(initiativeId: string, inviteId: string): Promise<StoredInvite | undefined> {
    const { rows } = await this.pool.query<InviteRow>(`SELECT ${INVITE} FROM invites WHERE id = $1 AND initiative_id = $2`, [inviteId, initiativeId]);
    return rows[0] && toInvite(rows[0]);
  }

  revokeInvite(initiativeId: string, inviteId: string, actor: Actor): Promise<boolean> {
    return this.tx(async (client) => {
      const { rows } = await client.query<InviteRow>(`SELECT ${INVITE} FROM invites WHERE id = $1 AND initiative_id = $2 FOR UPDATE`, [inviteId, initiativeId]);
      const row = rows[0];
      if (!row || row.used_at) return false;
      if (row.revoked_at) return true;
      await client.query('UPDATE invites SET revoked_at = $1 WHERE id = $2', [this.now(), inviteId]);
      await this.record(client, initiativeId, 'invite.revoked', actor, await this.inviteSubject(client, row), { role: row.role, label: row.label });
      return true;
    });
  }

  /** What a token opens, its invite's row locked until the transaction ends (one redeemer at a time). */
  private async lookupIn(client: PoolClient, token: string): Promise<InviteLookup> {
    const { rows } = await client.query<InviteRow>(`SELECT ${INVITE} FROM invites WHERE token_hash = $1 FOR UPDATE`, [hashToken(token)]);
    const row = rows[0];
    if (!row) return { status: 'unknown' };
    await this.recordExpired(client, [row]);
    const invite = toInvite(row);
    if (row.revoked_at) return { status: 'revoked', invite };
    if (row.used_at) return { status: 'used', invite };
    if (row.expires_at <= this.now()) return { status: 'expired', invite };
    if (!row.member_id) return { status: 'open', invite, member: null };
    const member = await this.memberIn(client, row.initiative_id, row.member_id);
    return member ? { status: 'open', invite, member } : { status: 'revoked', invite };
  }

  lookupInvite(token: string): Promise<InviteLookup> {
    return this.tx((client) => this.lookupIn(client, token));
  }

  redeem(token: string, name: string | undefined, existing: string | undefined): Promise<RedeemResult> {
    return this.tx(async (client): Promise<RedeemResult> => {
      const found = await this.lookupIn(client, token);
      if (found.status === 'unknown') return { ok: false, reason: 'unknown' };
      if (found.status !== 'open') return { ok: false, reason: found.status, invite: found.invite };
      const { invite } = found;
      const live = await this.liveSecret(client, existing);
      const already = live && (await this.useSessionIn(client, hashToken(live)))?.members.find((m) => m.initiativeId === invite.initiativeId);
      if (already && already.id !== found.member?.id) return { ok: false, reason: 'alreadyMember', invite, member: already };
      let member = found.member;
      if (!member) {
        if (!name) return { ok: false, reason: 'nameRequired', invite };
        member = await this.addMemberIn(client, invite.initiativeId, invite.role, name, invite.label);
      }
      await client.query('UPDATE invites SET used_at = $1, used_by = $2 WHERE id = $3', [this.now(), member.id, invite.id]);
      await this.seenIn(client, member.id);
      const session = live ?? (await this.newSession(client, false));
      await client.query('INSERT INTO session_members (session_hash, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [hashToken(session), member.id]);
      await this.record(client, invite.initiativeId, 'invite.redeemed', { id: member.id, name: member.name ?? '' }, { kind: 'member', id: member.id, name: member.name }, {
        role: member.role,
        label: invite.label,
      });
      return { ok: true, member, session, invite: { ...invite, usedAt: this.now(), usedBy: member.id } };
    });
  }

  // --- Sessions --------------------------------------------------------------

  /** `secret` when it names a live session, else undefined. */
  private async liveSecret(q: Q, secret: string | undefined): Promise<string | undefined> {
    return secret && (await this.useSessionIn(q, hashToken(secret))) ? secret : undefined;
  }

  private async newSession(q: Q, admin: boolean): Promise<string> {
    const secret = newToken();
    await q.query('INSERT INTO sessions (id_hash, admin, created_at, last_used_at) VALUES ($1, $2, $3, $4)', [hashToken(secret), admin, this.now(), this.now()]);
    return secret;
  }

  /** Sessions that hold nobody and are no admin session stand for no one: they end. */
  private async dropEmptySessions(q: Q): Promise<void> {
    await q.query('DELETE FROM sessions WHERE NOT admin AND NOT EXISTS (SELECT 1 FROM session_members s WHERE s.session_hash = sessions.id_hash)');
  }

  private async useSessionIn(q: Q, hash: string): Promise<SessionInfo | undefined> {
    const { rows } = await q.query<{ admin: boolean; last_used_at: string }>('SELECT admin, last_used_at FROM sessions WHERE id_hash = $1', [hash]);
    const row = rows[0];
    if (!row) return undefined;
    if (row.last_used_at <= this.now(-ACCESS.sessionIdleDays * DAY)) {
      await this.endSessionIn(q, hash);
      return undefined;
    }
    if (row.last_used_at <= this.now(-MINUTE)) {
      await q.query('UPDATE sessions SET last_used_at = $1 WHERE id_hash = $2', [this.now(), hash]);
    }
    const { rows: members } = await q.query<MemberRow>(
      `SELECT m.* FROM members m JOIN session_members s ON s.member_id = m.id
       WHERE s.session_hash = $1 ORDER BY m.joined_at COLLATE "C", m.ord`,
      [hash],
    );
    return { hash, admin: row.admin, members: members.map(toMember) };
  }

  useSession(hash: string): Promise<SessionInfo | undefined> {
    return this.useSessionIn(this.pool, hash);
  }

  private async startAdminSessionIn(q: Q, existing: string | undefined): Promise<string> {
    const live = await this.liveSecret(q, existing);
    if (!live) return this.newSession(q, true);
    await q.query('UPDATE sessions SET admin = TRUE WHERE id_hash = $1', [hashToken(live)]);
    return live;
  }

  startAdminSession(existing: string | undefined): Promise<string> {
    return this.startAdminSessionIn(this.pool, existing);
  }

  private async endSessionIn(q: Q, hash: string): Promise<void> {
    await q.query('DELETE FROM sessions WHERE id_hash = $1', [hash]);
  }

  endSession(hash: string): Promise<void> {
    return this.endSessionIn(this.pool, hash);
  }

  endEverywhere(hash: string): Promise<void> {
    return this.tx(async (client) => {
      const session = await this.useSessionIn(client, hash);
      if (!session) return;
      if (session.admin) await client.query('DELETE FROM sessions WHERE admin');
      const ids = session.members.map((m) => m.id);
      if (ids.length > 0) {
        await client.query('DELETE FROM sessions WHERE id_hash IN (SELECT session_hash FROM session_members WHERE member_id = ANY($1::text[]))', [ids]);
      }
      await this.endSessionIn(client, hash);
      for (const m of session.members) {
        const self = { id: m.id, name: m.name ?? '' };
        await this.record(client, m.initiativeId, 'member.signedOut', self, { kind: 'member', id: m.id, name: m.name });
      }
    });
  }

  endMemberSessions(initiativeId: string, memberId: string, actor: Actor): Promise<boolean> {
    return this.tx(async (client) => {
      const member = await this.memberIn(client, initiativeId, memberId);
      if (!member) return false;
      await client.query('DELETE FROM session_members WHERE member_id = $1', [memberId]);
      await this.dropEmptySessions(client);
      await this.record(client, initiativeId, 'member.signedOut', actor, { kind: 'member', id: memberId, name: member.name });
      return true;
    });
  }

  // --- Admin sign-in links ---------------------------------------------------

  async createAdminSignIn(days: number): Promise<{ token: string; expiresAt: string }> {
    const token = newToken();
    const expiresAt = this.now(days * DAY);
    // One is made at every start: the expired ones go, so the table stays as small as a week of starts.
    await this.pool.query('DELETE FROM admin_sign_ins WHERE expires_at COLLATE "C" <= $1', [this.now()]);
    await this.pool.query('INSERT INTO admin_sign_ins (token_hash, created_at, expires_at) VALUES ($1, $2, $3)', [hashToken(token), this.now(), expiresAt]);
    return { token, expiresAt };
  }

  redeemAdminSignIn(token: string, existing: string | undefined): Promise<AdminSignInResult> {
    return this.tx(async (client): Promise<AdminSignInResult> => {
      const hash = hashToken(token);
      // Locked: of two redeeming one link at once, the second finds it used.
      const { rows } = await client.query<{ expires_at: string; used_at: string | null }>(
        'SELECT expires_at, used_at FROM admin_sign_ins WHERE token_hash = $1 FOR UPDATE',
        [hash],
      );
      const row = rows[0];
      if (!row) return { ok: false, reason: 'unknown' };
      if (row.used_at) return { ok: false, reason: 'used' };
      if (row.expires_at <= this.now()) return { ok: false, reason: 'expired' };
      await client.query('UPDATE admin_sign_ins SET used_at = $1 WHERE token_hash = $2', [this.now(), hash]);
      return { ok: true, session: await this.startAdminSessionIn(client, existing) };
    });
  }

  // --- Audit -----------------------------------------------------------------

  async audit(initiativeId: string): Promise<AuditEntry[]> {
    const { rows } = await this.pool.query<AuditRow>(
      `SELECT id::float8 AS id, at, action, actor_id, actor_name, subject_kind, subject_id, subject_name, detail
       FROM audit WHERE initiative_id = $1 ORDER BY at COLLATE "C" DESC, audit.id DESC`,
      [initiativeId],
    );
    return rows.map(toAudit);
  }
}
