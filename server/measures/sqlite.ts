/**
 * Shared measurement in SQLite (server/db.ts migration 4): the tables
 * `measure_settings`, `measurements` and `report_links`. Every time comes from
 * the caller. A batch is written with prepared statements in one transaction,
 * so 10,000 values take a few tens of milliseconds.
 *
 * A partial unique index keeps at most one current value per indicator,
 * period and subgroup; a replaced value stays with `current = 0`.
 */
import { randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import type { ReviewStatus } from '../../src/contract/measureAccess.ts';
import type { Db } from '../db.ts';
import { newId, newToken } from '../tokens.ts';
import {
  DEFAULT_SETTINGS,
  ReplaceNeeded,
  type Author,
  type CarriedMeasurement,
  type IndicatorSettings,
  type MeasureStore,
  type NewMeasurement,
  type ReportLinkRecord,
  type StoredMeasurement,
} from './types.ts';

export interface SettingsRow {
  indicator: string;
  access: IndicatorSettings['access'];
  stewards: string;
  baseline: string | null;
  target: string | null;
}

export interface MeasurementDbRow {
  id: string;
  initiative_id: string;
  indicator: string;
  date: string;
  period: string;
  value: number;
  subgroup: string | null;
  note: string | null;
  entered_by_id: string | null;
  entered_by_name: string;
  entered_at: string;
  status: ReviewStatus;
  reviewed_by_id: string | null;
  reviewed_by_name: string | null;
  reviewed_at: string | null;
  review_reason: string | null;
  current: number;
}

export interface LinkRow {
  id: string;
  initiative_id: string;
  token: string;
  created_by_id: string | null;
  created_by_name: string;
  created_at: string;
}

export const toSettings = (r: SettingsRow): IndicatorSettings => ({
  access: r.access,
  stewards: JSON.parse(r.stewards) as string[],
  baseline: r.baseline === null ? null : (JSON.parse(r.baseline) as IndicatorSettings['baseline']),
  target: r.target === null ? null : (JSON.parse(r.target) as IndicatorSettings['target']),
});

export const toMeasurement = (r: MeasurementDbRow): StoredMeasurement => ({
  id: r.id,
  initiativeId: r.initiative_id,
  indicator: r.indicator,
  date: r.date,
  period: r.period,
  value: r.value,
  subgroup: r.subgroup,
  note: r.note,
  enteredBy: { id: r.entered_by_id, name: r.entered_by_name },
  enteredAt: r.entered_at,
  status: r.status,
  review:
    r.reviewed_at === null
      ? null
      : { by: { id: r.reviewed_by_id, name: r.reviewed_by_name ?? '' }, at: r.reviewed_at, reason: r.review_reason },
  current: r.current === 1,
});

export const toLink = (r: LinkRow): ReportLinkRecord => ({
  id: r.id,
  initiativeId: r.initiative_id,
  token: r.token,
  createdAt: r.created_at,
  createdBy: { id: r.created_by_id, name: r.created_by_name },
});

/** An indicator's settings (stored, or the defaults) with the change's defined values applied: a new object. */
export function changedSettings(row: SettingsRow | undefined, change: Partial<IndicatorSettings>): IndicatorSettings {
  const before = row ? toSettings(row) : DEFAULT_SETTINGS;
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  const next: IndicatorSettings = { ...before, ...defined };
  return { access: next.access, stewards: [...next.stewards], baseline: next.baseline, target: next.target };
}

/** The stored columns access, stewards, baseline and target of settings. */
export const settingsColumns = (s: IndicatorSettings): [string, string, string | null, string | null] => [
  s.access,
  JSON.stringify(s.stewards),
  s.baseline === null ? null : JSON.stringify(s.baseline),
  s.target === null ? null : JSON.stringify(s.target),
];

/** The key of "one value per indicator, period and subgroup" (a subgroup is never ''). */
export const slot = (m: NewMeasurement): string => `${m.indicator}\u0000${m.period}\u0000${m.subgroup ?? ''}`;

/**
 * `count` random ids like newId()'s (96 bits, url-safe), drawn at once: one
 * call for random bytes per id would be most of a 10,000-value batch's time.
 */
export function newIds(count: number): string[] {
  const bytes = randomBytes(12 * count);
  return Array.from({ length: count }, (_, i) => bytes.subarray(12 * i, 12 * i + 12).toString('base64url'));
}

/** Whole population first, then subgroups by name; the current value before the ones it replaced, newest first. */
const ORDER = `ORDER BY period, indicator, subgroup IS NOT NULL, subgroup, current DESC, rowid DESC`;

export class SqliteMeasureStore implements MeasureStore {
  private readonly currentIn: Statement<[string, string, string, string], MeasurementDbRow>;
  private readonly retire: Statement<[string]>;
  private readonly insert: Statement<unknown[]>;

  constructor(private readonly db: Db) {
    this.currentIn = db.prepare(
      `SELECT * FROM measurements
       WHERE initiative_id = ? AND indicator = ? AND period = ? AND IFNULL(subgroup, '') = ? AND current = 1`,
    );
    this.retire = db.prepare('UPDATE measurements SET current = 0 WHERE id = ?');
    this.insert = db.prepare(
      `INSERT INTO measurements (id, initiative_id, indicator, date, period, value, subgroup, note,
         entered_by_id, entered_by_name, entered_at, status, current)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  private current(initiativeId: string, m: NewMeasurement): MeasurementDbRow | undefined {
    return this.currentIn.get(initiativeId, m.indicator, m.period, m.subgroup ?? '');
  }

  async settings(initiativeId: string): Promise<Map<string, IndicatorSettings>> {
    const rows = this.db
      .prepare('SELECT * FROM measure_settings WHERE initiative_id = ? ORDER BY indicator')
      .all(initiativeId) as SettingsRow[];
    return new Map(rows.map((r) => [r.indicator, toSettings(r)]));
  }

  async setSettings(initiativeId: string, indicator: string, change: Partial<IndicatorSettings>): Promise<IndicatorSettings> {
    return this.db.transaction(() => {
      const row = this.db
        .prepare('SELECT * FROM measure_settings WHERE initiative_id = ? AND indicator = ?')
        .get(initiativeId, indicator) as SettingsRow | undefined;
      const next = changedSettings(row, change);
      this.db
        .prepare(
          `INSERT INTO measure_settings (initiative_id, indicator, access, stewards, baseline, target)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (initiative_id, indicator) DO UPDATE SET
             access = excluded.access, stewards = excluded.stewards, baseline = excluded.baseline, target = excluded.target`,
        )
        .run(initiativeId, indicator, ...settingsColumns(next));
      return next;
    })();
  }

  async list(initiativeId: string, options: { indicator?: string; history?: boolean; wholePopulation?: boolean } = {}): Promise<StoredMeasurement[]> {
    const where = ['initiative_id = ?'];
    const params: string[] = [initiativeId];
    if (options.indicator !== undefined) {
      where.push('indicator = ?');
      params.push(options.indicator);
    }
    if (!options.history) where.push('current = 1');
    if (options.wholePopulation) where.push('subgroup IS NULL');
    const rows = this.db.prepare(`SELECT * FROM measurements WHERE ${where.join(' AND ')} ${ORDER}`).all(...params) as MeasurementDbRow[];
    return rows.map(toMeasurement);
  }

  async add(
    initiativeId: string,
    rows: readonly NewMeasurement[],
    by: Author,
    options: { replace: boolean; at: string },
  ): Promise<{ accepted: number; replaced: number; ids: string[] }> {
    return this.db.transaction(() => {
      // First every check, then every write: a refused batch writes nothing.
      const stored = new Map<string, MeasurementDbRow | undefined>();
      const conflicts: { index: number; existing: MeasurementDbRow }[] = [];
      rows.forEach((row, index) => {
        const key = slot(row);
        if (!stored.has(key)) stored.set(key, this.current(initiativeId, row));
        const existing = stored.get(key);
        if (existing) conflicts.push({ index, existing });
      });
      if (conflicts.length > 0 && !options.replace) {
        throw new ReplaceNeeded(conflicts.map(({ index, existing }) => ({ index, existing: toMeasurement(existing) })));
      }

      const written = new Map<string, string>();
      const ids = newIds(rows.length);
      let replaced = 0;
      rows.forEach((row, index) => {
        const key = slot(row);
        const before = written.get(key) ?? stored.get(key)?.id;
        if (before !== undefined) this.retire.run(before);
        if (!written.has(key) && stored.get(key)) replaced++;
        const id = ids[index];
        this.insert.run(id, initiativeId, row.indicator, row.date, row.period, row.value, row.subgroup, row.note, by.id, by.name, options.at, 'submitted', 1);
        written.set(key, id);
      });
      return { accepted: rows.length, replaced, ids };
    })();
  }

  async carry(initiativeId: string, rows: readonly CarriedMeasurement[]): Promise<number> {
    return this.db.transaction(() => {
      const known = this.db.prepare('SELECT 1 FROM measurements WHERE id = ?');
      let added = 0;
      for (const row of rows) {
        if (known.get(row.id)) continue;
        // A carried value meeting a current one of its period: the later entered is current (a tie: the carried one).
        const existing = this.current(initiativeId, row);
        const current = !existing || existing.entered_at <= row.enteredAt;
        if (existing && current) this.retire.run(existing.id);
        this.insert.run(
          row.id,
          initiativeId,
          row.indicator,
          row.date,
          row.period,
          row.value,
          row.subgroup,
          row.note,
          row.enteredBy.id,
          row.enteredBy.name,
          row.enteredAt,
          row.status,
          current ? 1 : 0,
        );
        added++;
      }
      return added;
    })();
  }

  async review(
    initiativeId: string,
    id: string,
    status: Exclude<ReviewStatus, 'submitted'>,
    reason: string | null,
    by: Author,
    at: string,
  ): Promise<StoredMeasurement | undefined> {
    const changed = this.db
      .prepare(
        `UPDATE measurements SET status = ?, reviewed_by_id = ?, reviewed_by_name = ?, reviewed_at = ?, review_reason = ?
         WHERE initiative_id = ? AND id = ? AND current = 1`,
      )
      .run(status, by.id, by.name, at, reason, initiativeId, id);
    return changed.changes === 0 ? undefined : this.get(initiativeId, id);
  }

  async get(initiativeId: string, id: string): Promise<StoredMeasurement | undefined> {
    const row = this.db.prepare('SELECT * FROM measurements WHERE initiative_id = ? AND id = ?').get(initiativeId, id) as
      | MeasurementDbRow
      | undefined;
    return row && toMeasurement(row);
  }

  async clearInitiative(initiativeId: string): Promise<void> {
    this.db.transaction(() => {
      for (const table of ['measure_settings', 'measurements', 'report_links']) {
        this.db.prepare(`DELETE FROM ${table} WHERE initiative_id = ?`).run(initiativeId);
      }
    })();
  }

  async createReportLink(initiativeId: string, by: Author, at: string): Promise<ReportLinkRecord> {
    const link: LinkRow = {
      id: newId(),
      initiative_id: initiativeId,
      // 256 random bits: a link nobody can guess, and the only credential the public report needs.
      token: newToken(),
      created_by_id: by.id,
      created_by_name: by.name,
      created_at: at,
    };
    this.db
      .prepare(
        `INSERT INTO report_links (id, initiative_id, token, created_by_id, created_by_name, created_at)
         VALUES (@id, @initiative_id, @token, @created_by_id, @created_by_name, @created_at)`,
      )
      .run(link);
    return toLink(link);
  }

  async reportLinks(initiativeId: string): Promise<ReportLinkRecord[]> {
    const rows = this.db
      .prepare('SELECT * FROM report_links WHERE initiative_id = ? ORDER BY created_at, rowid')
      .all(initiativeId) as LinkRow[];
    return rows.map(toLink);
  }

  async revokeReportLink(initiativeId: string, id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM report_links WHERE initiative_id = ? AND id = ?').run(initiativeId, id).changes > 0;
  }

  async reportLinkByToken(token: string): Promise<ReportLinkRecord | undefined> {
    const row = this.db.prepare('SELECT * FROM report_links WHERE token = ?').get(token) as LinkRow | undefined;
    return row && toLink(row);
  }
}
