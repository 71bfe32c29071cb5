/** The portfolio figures in SQLite's `initiative_status` table (migration 5; `doc_seq`, migration 7). */
import type { Db } from '../db.ts';
import { decodeStatus, encodeStatus, type InitiativeFigures, type StatusStore, type StoredFigures } from './types.ts';

export class SqliteStatusStore implements StatusStore {
  constructor(private readonly db: Db) {}

  async get(ids: readonly string[]): Promise<Map<string, InitiativeFigures>> {
    const found = new Map<string, InitiativeFigures>();
    // SQLite takes at most 32766 parameters; 500 at a time stays well below.
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = this.db
        .prepare(`SELECT initiative_id, status FROM initiative_status WHERE initiative_id IN (${chunk.map(() => '?').join(',')})`)
        .all(...chunk) as { initiative_id: string; status: string }[];
      for (const row of rows) found.set(row.initiative_id, decodeStatus(row.status).figures);
    }
    return found;
  }

  async stored(initiativeId: string): Promise<StoredFigures | undefined> {
    const row = this.db.prepare('SELECT status, doc_seq FROM initiative_status WHERE initiative_id = ?').get(initiativeId) as
      | { status: string; doc_seq: number | null }
      | undefined;
    return row && decodeStatus(row.status, row.doc_seq);
  }

  async put(initiativeId: string, figures: InitiativeFigures, updatedAt: string, seq: number | null = null): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO initiative_status (initiative_id, status, updated_at, doc_seq) VALUES (?, ?, ?, ?) ON CONFLICT(initiative_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at, doc_seq = excluded.doc_seq',
      )
      .run(initiativeId, encodeStatus(figures), updatedAt, seq);
  }
}
