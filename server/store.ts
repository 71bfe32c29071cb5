/** Initiatives, members (one per invite) and browser sessions, in SQLite. */
import type { Db } from './db.ts';
import { hashToken, newId, newToken } from './tokens.ts';
import type { Stage } from '../machines/workflow.ts';
import type { MemberRole } from '../src/contract/index.ts';

export interface Initiative {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  createdAt: string;
}

export interface Member {
  id: string;
  initiativeId: string;
  role: MemberRole;
  label: string | null;
  name: string | null;
}

interface MemberRow {
  id: string;
  initiative_id: string;
  role: MemberRole;
  label: string | null;
  name: string | null;
}

const toMember = (r: MemberRow): Member => ({
  id: r.id,
  initiativeId: r.initiative_id,
  role: r.role,
  label: r.label,
  name: r.name,
});

interface InitiativeRow {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  created_at: string;
}

const toInitiative = (r: InitiativeRow): Initiative => ({
  id: r.id,
  name: r.name,
  issue: r.issue,
  stage: r.stage,
  createdAt: r.created_at,
});

export class Store {
  constructor(private readonly db: Db) {}

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  createInitiative(name: string, issue: string): Initiative {
    const initiative: Initiative = { id: newId(), name, issue, stage: 'readiness', createdAt: new Date().toISOString() };
    this.db
      .prepare('INSERT INTO initiatives (id, name, issue, stage, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(initiative.id, name, issue, initiative.stage, initiative.createdAt);
    return initiative;
  }

  getInitiative(id: string): Initiative | undefined {
    const row = this.db.prepare('SELECT * FROM initiatives WHERE id = ?').get(id) as InitiativeRow | undefined;
    return row && toInitiative(row);
  }

  listInitiatives(): Initiative[] {
    return (this.db.prepare('SELECT * FROM initiatives ORDER BY created_at, id').all() as InitiativeRow[]).map(toInitiative);
  }

  countInitiatives(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM initiatives').get() as { n: number }).n;
  }

  setStage(id: string, stage: Stage): void {
    this.db.prepare('UPDATE initiatives SET stage = ? WHERE id = ?').run(stage, id);
  }

  /** Creates a member for an invite; answers the member and its token (shown once, stored hashed). */
  createInvite(initiativeId: string, role: MemberRole, label: string | null): { member: Member; token: string } {
    const token = newToken();
    const member: Member = { id: newId(), initiativeId, role, label, name: null };
    this.db
      .prepare('INSERT INTO members (id, initiative_id, role, label, name, token_hash, created_at) VALUES (?, ?, ?, ?, NULL, ?, ?)')
      .run(member.id, initiativeId, role, label, hashToken(token), new Date().toISOString());
    return { member, token };
  }

  memberByToken(token: string): Member | undefined {
    const row = this.db.prepare('SELECT * FROM members WHERE token_hash = ?').get(hashToken(token)) as MemberRow | undefined;
    return row && toMember(row);
  }

  setMemberName(memberId: string, name: string): void {
    this.db.prepare('UPDATE members SET name = ? WHERE id = ?').run(name, memberId);
  }

  /** Starts a browser session (or extends `existing`) with `member`; answers the session secret. */
  joinSession(existing: string | undefined, member: Member): string {
    return this.db.transaction(() => {
      let secret = existing;
      if (!secret || !this.db.prepare('SELECT 1 FROM sessions WHERE id_hash = ?').get(hashToken(secret))) {
        secret = newToken();
        this.db.prepare('INSERT INTO sessions (id_hash, created_at) VALUES (?, ?)').run(hashToken(secret), new Date().toISOString());
      }
      this.db
        .prepare('INSERT OR IGNORE INTO session_members (session_hash, member_id) VALUES (?, ?)')
        .run(hashToken(secret), member.id);
      return secret;
    })();
  }

  /** The members a browser session holds, or undefined for an unknown session. */
  sessionMembers(secret: string): Member[] | undefined {
    const hash = hashToken(secret);
    if (!this.db.prepare('SELECT 1 FROM sessions WHERE id_hash = ?').get(hash)) return undefined;
    const rows = this.db
      .prepare('SELECT m.* FROM members m JOIN session_members s ON s.member_id = m.id WHERE s.session_hash = ? ORDER BY m.created_at')
      .all(hash) as MemberRow[];
    return rows.map(toMember);
  }

  endSession(secret: string): void {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(hashToken(secret));
  }

  loadWorkflow(initiativeId: string): unknown {
    const row = this.db.prepare('SELECT snapshot FROM workflows WHERE initiative_id = ?').get(initiativeId) as
      | { snapshot: string }
      | undefined;
    return row ? JSON.parse(row.snapshot) : undefined;
  }

  /** Stores the workflow snapshot and the listed stage in one transaction. */
  saveWorkflow(initiativeId: string, snapshot: unknown, stage: Stage): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO workflows (initiative_id, snapshot, updated_at) VALUES (?, ?, ?) ON CONFLICT(initiative_id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at',
        )
        .run(initiativeId, JSON.stringify(snapshot), new Date().toISOString());
      this.setStage(initiativeId, stage);
    })();
  }
}
