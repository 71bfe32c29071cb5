/**
 * The portfolio figures in PostgreSQL (#14): the `initiative_status` table of
 * server/pg/migrate.ts, the same contract suite as SQLite's
 * (test/server/status-store-contract.test.ts). Any number of ids in one
 * statement (an array parameter, no limit on parameters to work around).
 */
import type { Pool } from '../pg/pool.ts';
import type { InitiativeFigures, StatusStore } from './types.ts';

export class PostgresStatusStore implements StatusStore {
  constructor(private readonly pool: Pool) {}

  async get(ids: readonly string[]): Promise<Map<string, InitiativeFigures>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ initiative_id: string; status: string }>(
      'SELECT initiative_id, status FROM initiative_status WHERE initiative_id = ANY($1::text[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.initiative_id, JSON.parse(row.status) as InitiativeFigures]));
  }

  async put(initiativeId: string, figures: InitiativeFigures, updatedAt: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO initiative_status (initiative_id, status, updated_at) VALUES ($1, $2, $3)
       ON CONFLICT (initiative_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at`,
      [initiativeId, JSON.stringify(figures), updatedAt],
    );
  }
}
