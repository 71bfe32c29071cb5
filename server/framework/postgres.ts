/**
 * Framework versions in PostgreSQL (#14): the `framework_versions` table of
 * server/pg/migrate.ts, the same rules as the SQLite store (./sqlite.ts, whose
 * row shape and mapper it shares) and the same contract suite
 * (test/server/version-store-contract.test.ts).
 *
 * The next number is read and the row written in one transaction holding the
 * initiative's row lock, so two versions saved at once, by one process or by
 * two, never share a number (SQLite got this from its single writer).
 */
import { inTransaction, type Pool } from '../pg/pool.ts';
import { COLUMNS, toVersion, versionRecord, type VersionRow } from './sqlite.ts';
import type { NewVersion, StoredVersion, VersionStore } from './types.ts';

export class PostgresVersionStore implements VersionStore {
  constructor(private readonly pool: Pool) {}

  save(initiativeId: string, version: NewVersion): Promise<StoredVersion> {
    return inTransaction(this.pool, async (client) => {
      await client.query('SELECT 1 FROM initiatives WHERE id = $1 FOR NO KEY UPDATE', [initiativeId]);
      const { rows } = await client.query<{ next: number }>(
        'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM framework_versions WHERE initiative_id = $1',
        [initiativeId],
      );
      const { values, stored } = versionRecord(initiativeId, rows[0].next, version);
      await client.query(`INSERT INTO framework_versions (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, values);
      return stored;
    });
  }

  async list(initiativeId: string): Promise<StoredVersion[]> {
    const { rows } = await this.pool.query<VersionRow>(`SELECT ${COLUMNS} FROM framework_versions WHERE initiative_id = $1 ORDER BY number DESC`, [initiativeId]);
    return rows.map(toVersion);
  }

  async get(initiativeId: string, versionId: string): Promise<StoredVersion | null> {
    const { rows } = await this.pool.query<VersionRow>(`SELECT ${COLUMNS} FROM framework_versions WHERE initiative_id = $1 AND id = $2`, [initiativeId, versionId]);
    return rows[0] ? toVersion(rows[0]) : null;
  }
}
