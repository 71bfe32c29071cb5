/**
 * Initiatives, settings and workflow snapshots, in SQLite (the InitiativeStore
 * of server/stores.ts). Members, invites and sessions: server/people/. Every
 * method answers a promise but does its work synchronously before answering.
 */
import type { Db } from './db.ts';
import { newId } from './tokens.ts';
import type { Stage } from '../machines/workflow.ts';
import type { Initiative, InitiativeStore } from './stores.ts';

/** The type lives in server/stores.ts now; this keeps `import type { Initiative } from '…/store.ts'` of other branches working. */
export type { Initiative };

export interface InitiativeRow {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  created_at: string;
  parent_id: string | null;
}

export const toInitiative = (r: InitiativeRow): Initiative => ({
  id: r.id,
  name: r.name,
  issue: r.issue,
  stage: r.stage,
  createdAt: r.created_at,
  parentId: r.parent_id,
});

export class SqliteInitiativeStore implements InitiativeStore {
  constructor(
    private readonly db: Db,
    /** The time creations and workflow saves go by (ms). */
    private readonly clock: () => number = Date.now,
  ) {}

  async getSetting(key: string): Promise<string | undefined> {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  async createInitiative(name: string, issue: string, parentId: string | null = null): Promise<Initiative> {
    const initiative: Initiative = { id: newId(), name, issue, stage: 'readiness', createdAt: new Date(this.clock()).toISOString(), parentId };
    this.db
      .prepare('INSERT INTO initiatives (id, name, issue, stage, created_at, parent_id) VALUES (?, ?, ?, ?, ?, ?)')
      .run(initiative.id, name, issue, initiative.stage, initiative.createdAt, parentId);
    return initiative;
  }

  async updateInitiative(id: string, change: { name?: string; issue?: string; parentId?: string | null }): Promise<Initiative | undefined> {
    const current = this.find(id);
    if (!current) return undefined;
    const next = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as Initiative;
    this.db.prepare('UPDATE initiatives SET name = ?, issue = ?, parent_id = ? WHERE id = ?').run(next.name, next.issue, next.parentId, id);
    return next;
  }

  async children(id: string): Promise<Initiative[]> {
    return (this.db.prepare('SELECT * FROM initiatives WHERE parent_id = ? ORDER BY name, id').all(id) as InitiativeRow[]).map(toInitiative);
  }

  async descendants(id: string): Promise<Initiative[]> {
    return this.below(id);
  }

  private below(id: string): Initiative[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE below(id) AS (SELECT id FROM initiatives WHERE parent_id = ? UNION SELECT i.id FROM initiatives i JOIN below b ON i.parent_id = b.id)
         SELECT initiatives.* FROM initiatives JOIN below USING (id) ORDER BY created_at, id`,
      )
      .all(id) as InitiativeRow[];
    return rows.filter((r) => r.id !== id).map(toInitiative);
  }

  async wouldCycle(id: string, parentId: string): Promise<boolean> {
    return parentId === id || this.below(id).some((d) => d.id === parentId);
  }

  async getInitiative(id: string): Promise<Initiative | undefined> {
    return this.find(id);
  }

  private find(id: string): Initiative | undefined {
    const row = this.db.prepare('SELECT * FROM initiatives WHERE id = ?').get(id) as InitiativeRow | undefined;
    return row && toInitiative(row);
  }

  async listInitiatives(): Promise<Initiative[]> {
    return (this.db.prepare('SELECT * FROM initiatives ORDER BY created_at, id').all() as InitiativeRow[]).map(toInitiative);
  }

  async countInitiatives(): Promise<number> {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM initiatives').get() as { n: number }).n;
  }

  async setStage(id: string, stage: Stage): Promise<void> {
    this.writeStage(id, stage);
  }

  private writeStage(id: string, stage: Stage): void {
    this.db.prepare('UPDATE initiatives SET stage = ? WHERE id = ?').run(stage, id);
  }

  async loadWorkflow(initiativeId: string): Promise<unknown> {
    const row = this.db.prepare('SELECT snapshot FROM workflows WHERE initiative_id = ?').get(initiativeId) as
      | { snapshot: string }
      | undefined;
    return row ? JSON.parse(row.snapshot) : undefined;
  }

  async saveWorkflow(initiativeId: string, snapshot: unknown, stage: Stage): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          'INSERT INTO workflows (initiative_id, snapshot, updated_at) VALUES (?, ?, ?) ON CONFLICT(initiative_id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at',
        )
        .run(initiativeId, JSON.stringify(snapshot), new Date(this.clock()).toISOString());
      this.writeStage(initiativeId, stage);
    })();
  }
}
