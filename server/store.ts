/** Initiatives, settings and workflow snapshots, in SQLite. Members, invites and sessions: server/people/. */
import type { Db } from './db.ts';
import { newId } from './tokens.ts';
import type { Stage } from '../machines/workflow.ts';

export interface Initiative {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  createdAt: string;
  /** The initiative it is a sub-initiative of, or null. */
  parentId: string | null;
}

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

export class Store {
  constructor(private readonly db: Db) {}

  getSetting(key: string): string | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setSetting(key: string, value: string): void {
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }

  /** A new initiative in readiness; with `parentId`, a sub-initiative of it (the caller checked that it exists). */
  createInitiative(name: string, issue: string, parentId: string | null = null): Initiative {
    const initiative: Initiative = { id: newId(), name, issue, stage: 'readiness', createdAt: new Date().toISOString(), parentId };
    this.db
      .prepare('INSERT INTO initiatives (id, name, issue, stage, created_at, parent_id) VALUES (?, ?, ?, ?, ?, ?)')
      .run(initiative.id, name, issue, initiative.stage, initiative.createdAt, parentId);
    return initiative;
  }

  /** Changes the name, the issue and/or the parent (null: none); the caller checked for cycles (`wouldCycle`). */
  updateInitiative(id: string, change: { name?: string; issue?: string; parentId?: string | null }): Initiative | undefined {
    const current = this.getInitiative(id);
    if (!current) return undefined;
    const next = { ...current, ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) } as Initiative;
    this.db.prepare('UPDATE initiatives SET name = ?, issue = ?, parent_id = ? WHERE id = ?').run(next.name, next.issue, next.parentId, id);
    return next;
  }

  /** The direct sub-initiatives of `id`, by name. */
  children(id: string): Initiative[] {
    return (this.db.prepare('SELECT * FROM initiatives WHERE parent_id = ? ORDER BY name, id').all(id) as InitiativeRow[]).map(toInitiative);
  }

  /** Every initiative below `id`, at any depth (a cycle in bad data stops the walk). */
  descendants(id: string): Initiative[] {
    const rows = this.db
      .prepare(
        `WITH RECURSIVE below(id) AS (SELECT id FROM initiatives WHERE parent_id = ? UNION SELECT i.id FROM initiatives i JOIN below b ON i.parent_id = b.id)
         SELECT initiatives.* FROM initiatives JOIN below USING (id) ORDER BY created_at, id`,
      )
      .all(id) as InitiativeRow[];
    return rows.filter((r) => r.id !== id).map(toInitiative);
  }

  /** Whether putting `id` under `parentId` would make it sit under itself. */
  wouldCycle(id: string, parentId: string): boolean {
    return parentId === id || this.descendants(id).some((d) => d.id === parentId);
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
