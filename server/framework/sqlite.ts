/**
 * Framework versions in SQLite (server/db.ts migration 5, table
 * `framework_versions`). The next number is read and the row written in one
 * transaction, so two versions saved at once never share a number.
 */
import type { Statement } from 'better-sqlite3';
import type { FrameworkSnapshot } from '../../machines/framework/types.ts';
import type { VersionKind } from '../../src/contract/portfolio.ts';
import type { Db } from '../db.ts';
import { newId } from '../tokens.ts';
import type { NewVersion, StoredVersion, VersionStore } from './types.ts';

export interface VersionRow {
  id: string;
  initiative_id: string;
  number: number;
  name: string;
  note: string;
  kind: VersionKind;
  created_by_id: string | null;
  created_by_name: string;
  created_at: string;
  content: string;
}

export const COLUMNS = 'id, initiative_id, number, name, note, kind, created_by_id, created_by_name, created_at, content';

export const toVersion = (r: VersionRow): StoredVersion => ({
  id: r.id,
  initiativeId: r.initiative_id,
  number: r.number,
  name: r.name,
  note: r.note,
  kind: r.kind,
  by: { id: r.created_by_id, name: r.created_by_name },
  at: r.created_at,
  content: JSON.parse(r.content) as FrameworkSnapshot,
});

/**
 * The row of `version`, numbered `number`, in COLUMNS' order, and the version
 * to answer: a copy read back from the JSON, as `get` would, so the caller's
 * object stays its own.
 */
export function versionRecord(initiativeId: string, number: number, version: NewVersion): { values: unknown[]; stored: StoredVersion } {
  const id = newId();
  const content = JSON.stringify(version.content);
  return {
    values: [id, initiativeId, number, version.name, version.note, version.kind, version.by.id, version.by.name, version.at, content],
    stored: { ...version, by: { ...version.by }, content: JSON.parse(content) as FrameworkSnapshot, id, initiativeId, number },
  };
}

export class SqliteVersionStore implements VersionStore {
  private readonly insert: Statement;
  private readonly nextNumber: Statement<[string], { next: number }>;
  private readonly listStmt: Statement<[string], VersionRow>;
  private readonly getStmt: Statement<[string, string], VersionRow>;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT INTO framework_versions (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.nextNumber = db.prepare(
      'SELECT COALESCE(MAX(number), 0) + 1 AS next FROM framework_versions WHERE initiative_id = ?',
    );
    this.listStmt = db.prepare(
      `SELECT ${COLUMNS} FROM framework_versions WHERE initiative_id = ? ORDER BY number DESC`,
    );
    this.getStmt = db.prepare(
      `SELECT ${COLUMNS} FROM framework_versions WHERE initiative_id = ? AND id = ?`,
    );
  }

  save(initiativeId: string, version: NewVersion): Promise<StoredVersion> {
    const write = this.db.transaction((): StoredVersion => {
      const { next } = this.nextNumber.get(initiativeId)!;
      const { values, stored } = versionRecord(initiativeId, next, version);
      this.insert.run(...values);
      return stored;
    });
    return Promise.resolve(write.immediate());
  }

  list(initiativeId: string): Promise<StoredVersion[]> {
    return Promise.resolve(this.listStmt.all(initiativeId).map(toVersion));
  }

  get(initiativeId: string, versionId: string): Promise<StoredVersion | null> {
    const row = this.getStmt.get(initiativeId, versionId);
    return Promise.resolve(row ? toVersion(row) : null);
  }
}
