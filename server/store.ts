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

interface InitiativeRow {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  created_at: string;
  parent_id: string | null;
}

const toInitiative = (r: InitiativeRow): Initiative => ({
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

  createInitiative(name: string, issue: string): Initiative {
    const initiative: Initiative = { id: newId(), name, issue, stage: 'readiness', createdAt: new Date().toISOString(), parentId: null };
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
