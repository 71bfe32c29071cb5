/**
 * Initiatives, instance settings and workflow snapshots in PostgreSQL (#14):
 * the tables `initiatives`, `settings` and `workflows` of ./migrate.ts, the
 * same rules as the SQLite store (server/store.ts, whose row shape and mapper
 * it shares) and the same contract suite
 * (test/server/initiative-store-contract.test.ts). Every time comes from the
 * injected clock.
 *
 * Each write is one statement (or, for a workflow, one transaction), so a
 * change to an initiative made by one process never overwrites another's
 * change to a field it did not touch. Text sorts byte by byte (COLLATE "C"), as in SQLite.
 */
import type { Stage } from '../../machines/workflow.ts';
import { toInitiative, type InitiativeRow } from '../store.ts';
import type { Initiative, InitiativeStore } from '../stores.ts';
import { newId } from '../tokens.ts';
import { inTransaction, type Pool } from './pool.ts';

const COLUMNS = 'id, name, issue, stage, created_at, parent_id';

export class PostgresInitiativeStore implements InitiativeStore {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number = Date.now,
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  async getSetting(key: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ value: string }>('SELECT value FROM settings WHERE key = $1', [key]);
    return rows[0]?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.pool.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, value]);
  }

  async createInitiative(name: string, issue: string, parentId: string | null = null): Promise<Initiative> {
    const initiative: Initiative = { id: newId(), name, issue, stage: 'readiness', createdAt: this.now(), parentId };
    await this.pool.query(`INSERT INTO initiatives (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
      initiative.id,
      name,
      issue,
      initiative.stage,
      initiative.createdAt,
      parentId,
    ]);
    return initiative;
  }

  async updateInitiative(id: string, change: { name?: string; issue?: string; parentId?: string | null }): Promise<Initiative | undefined> {
    // A field not given keeps the value it has when the row is written, whoever wrote it meanwhile.
    const { rows } = await this.pool.query<InitiativeRow>(
      `UPDATE initiatives SET
         name = COALESCE($2, name),
         issue = COALESCE($3, issue),
         parent_id = CASE WHEN $4 THEN $5 ELSE parent_id END
       WHERE id = $1
       RETURNING ${COLUMNS}`,
      [id, change.name ?? null, change.issue ?? null, change.parentId !== undefined, change.parentId ?? null],
    );
    return rows[0] && toInitiative(rows[0]);
  }

  async children(id: string): Promise<Initiative[]> {
    const { rows } = await this.pool.query<InitiativeRow>(`SELECT ${COLUMNS} FROM initiatives WHERE parent_id = $1 ORDER BY name COLLATE "C", id COLLATE "C"`, [id]);
    return rows.map(toInitiative);
  }

  async descendants(id: string): Promise<Initiative[]> {
    // UNION (not UNION ALL) drops rows already found, so a cycle in bad data ends the walk.
    const { rows } = await this.pool.query<InitiativeRow>(
      `WITH RECURSIVE below(id) AS (
         SELECT id FROM initiatives WHERE parent_id = $1
         UNION SELECT i.id FROM initiatives i JOIN below b ON i.parent_id = b.id)
       SELECT i.* FROM initiatives i JOIN below USING (id)
       WHERE i.id <> $1 ORDER BY i.created_at COLLATE "C", i.id COLLATE "C"`,
      [id],
    );
    return rows.map(toInitiative);
  }

  async wouldCycle(id: string, parentId: string): Promise<boolean> {
    return parentId === id || (await this.descendants(id)).some((d) => d.id === parentId);
  }

  async getInitiative(id: string): Promise<Initiative | undefined> {
    const { rows } = await this.pool.query<InitiativeRow>(`SELECT ${COLUMNS} FROM initiatives WHERE id = $1`, [id]);
    return rows[0] && toInitiative(rows[0]);
  }

  async listInitiatives(): Promise<Initiative[]> {
    const { rows } = await this.pool.query<InitiativeRow>(`SELECT ${COLUMNS} FROM initiatives ORDER BY created_at COLLATE "C", id COLLATE "C"`);
    return rows.map(toInitiative);
  }

  async countInitiatives(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM initiatives');
    return rows[0].n;
  }

  async setStage(id: string, stage: Stage): Promise<void> {
    await this.pool.query('UPDATE initiatives SET stage = $1 WHERE id = $2', [stage, id]);
  }

  async loadWorkflow(initiativeId: string): Promise<unknown> {
    const { rows } = await this.pool.query<{ snapshot: string }>('SELECT snapshot FROM workflows WHERE initiative_id = $1', [initiativeId]);
    return rows[0] ? (JSON.parse(rows[0].snapshot) as unknown) : undefined;
  }

  async saveWorkflow(initiativeId: string, snapshot: unknown, stage: Stage): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      await client.query(
        `INSERT INTO workflows (initiative_id, snapshot, updated_at) VALUES ($1, $2, $3)
         ON CONFLICT (initiative_id) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at`,
        [initiativeId, JSON.stringify(snapshot), this.now()],
      );
      await client.query('UPDATE initiatives SET stage = $1 WHERE id = $2', [stage, initiativeId]);
    });
  }
}
