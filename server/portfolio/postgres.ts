/**
 * The portfolio figures in PostgreSQL (#14): the `initiative_status` table of
 * server/pg/migrate.ts, the same contract suite as SQLite's
 * (test/server/status-store-contract.test.ts). Any number of ids in one
 * statement (an array parameter, no limit on parameters to work around).
 */
import type { Pool } from '../pg/pool.ts';
import { decodeStatus, encodeStatus, type InitiativeFigures, type StatusStore, type StoredFigures } from './types.ts';

export class PostgresStatusStore implements StatusStore {
  constructor(private readonly pool: Pool) {}

  async get(ids: readonly string[]): Promise<Map<string, InitiativeFigures>> {
    if (ids.length === 0) return new Map();
    const { rows } = await this.pool.query<{ initiative_id: string; status: string }>(
      'SELECT initiative_id, status FROM initiative_status WHERE initiative_id = ANY($1::text[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.initiative_id, decodeStatus(row.status).figures]));
  }

  async stored(initiativeId: string): Promise<StoredFigures | undefined> {
    const { rows } = await this.pool.query<{ status: string; doc_seq: string | null }>(
      'SELECT status, doc_seq FROM initiative_status WHERE initiative_id = $1',
      [initiativeId],
    );
    return rows[0] && decodeStatus(rows[0].status, rows[0].doc_seq);
  }

  async put(initiativeId: string, figures: InitiativeFigures, updatedAt: string, seq: number | null = null): Promise<void> {
    await this.pool.query(
      `INSERT INTO initiative_status (initiative_id, status, updated_at, doc_seq) VALUES ($1, $2, $3, $4)
       ON CONFLICT (initiative_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, doc_seq = excluded.doc_seq`,
      [initiativeId, encodeStatus(figures), updatedAt, seq],
    );
  }
}
