/**
 * Shared measurement in PostgreSQL (#14): the tables `measure_settings`,
 * `measurements` and `report_links` of server/pg/migrate.ts, the same rules as
 * the SQLite store (./sqlite.ts, whose row shapes and mappers it shares) and the
 * same contract suite (test/server/measure-store-contract.test.ts).
 *
 * Several processes may write one initiative's measures at once: every
 * read-then-write (settings, a batch, carried values) holds the initiative's
 * transaction-level advisory lock, so two batches take turns and the check for
 * values a batch would replace always sees the other's rows. A batch costs a
 * few statements whatever its size (arrays passed to `unnest`), not one per row.
 *
 * Text sorts byte by byte (COLLATE "C"), as in SQLite, whatever the database's locale.
 */
import type { ReviewStatus } from '../../src/contract/measureAccess.ts';
import { inTransaction, lockStatement, type Pool, type PoolClient } from '../pg/pool.ts';
import { newId, newToken } from '../tokens.ts';
import { changedSettings, newIds, settingsColumns, slot, toLink, toMeasurement, toSettings, type LinkRow, type MeasurementDbRow, type SettingsRow } from './sqlite.ts';
import {
  ReplaceNeeded,
  type Author,
  type CarriedMeasurement,
  type IndicatorSettings,
  type MeasureStore,
  type NewMeasurement,
  type ReportLinkRecord,
  type StoredMeasurement,
} from './types.ts';

/** The first key of an initiative's measurement lock ('msr'); the second is the initiative id's hash. */
const MEASURES_LOCK = 0x6d7372;

/** The columns of a measurement as the SQLite store reads them (its `current` a 0 or 1). */
const COLUMNS = `id, initiative_id, indicator, date, period, value, subgroup, note, entered_by_id, entered_by_name,
  entered_at, status, reviewed_by_id, reviewed_by_name, reviewed_at, review_reason, current::int AS current`;

/** Whole population first, then subgroups by name; the current value before the ones it replaced, newest first. */
const ORDER = `ORDER BY period COLLATE "C", indicator COLLATE "C", subgroup IS NOT NULL, subgroup COLLATE "C", current DESC, ord DESC`;

/** One row to insert, as the arrays of INSERT_ROWS take it. */
interface Insert {
  id: string;
  row: NewMeasurement;
  by: Author;
  at: string;
  status: ReviewStatus;
  current: boolean;
}

/** Inserts rows given as parallel arrays, in their order (which `ord` keeps). */
const INSERT_ROWS = `
  INSERT INTO measurements (id, initiative_id, indicator, date, period, value, subgroup, note,
    entered_by_id, entered_by_name, entered_at, status, current)
  SELECT id, $1, indicator, date, period, value, subgroup, note, by_id, by_name, at, status, current
  FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::float8[], $7::text[], $8::text[],
              $9::text[], $10::text[], $11::text[], $12::text[], $13::boolean[])
    WITH ORDINALITY AS r(id, indicator, date, period, value, subgroup, note, by_id, by_name, at, status, current, n)
  ORDER BY n`;

async function insertRows(client: PoolClient, initiativeId: string, rows: Insert[]): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (r: Insert) => T) => rows.map(pick);
  await client.query(INSERT_ROWS, [
    initiativeId,
    column((r) => r.id),
    column((r) => r.row.indicator),
    column((r) => r.row.date),
    column((r) => r.row.period),
    column((r) => r.row.value),
    column((r) => r.row.subgroup),
    column((r) => r.row.note),
    column((r) => r.by.id),
    column((r) => r.by.name),
    column((r) => r.at),
    column((r) => r.status),
    column((r) => r.current),
  ]);
}

/** The current values of the slots (indicator, period, subgroup) the rows fall in, by slot. */
async function currentIn(client: PoolClient, initiativeId: string, rows: readonly NewMeasurement[]): Promise<Map<string, MeasurementDbRow>> {
  if (rows.length === 0) return new Map();
  const { rows: found } = await client.query<MeasurementDbRow>(
    `SELECT ${COLUMNS} FROM measurements
     WHERE initiative_id = $1 AND current
       AND (indicator, period, COALESCE(subgroup, '')) IN (SELECT * FROM unnest($2::text[], $3::text[], $4::text[]))`,
    [initiativeId, rows.map((r) => r.indicator), rows.map((r) => r.period), rows.map((r) => r.subgroup ?? '')],
  );
  return new Map(found.map((r) => [slot(r), r]));
}

const retire = (client: PoolClient, ids: string[]) =>
  ids.length === 0 ? Promise.resolve() : client.query('UPDATE measurements SET current = FALSE WHERE id = ANY($1::text[])', [ids]).then(() => {});

export class PostgresMeasureStore implements MeasureStore {
  constructor(private readonly pool: Pool) {}

  /** Runs `work` in one transaction holding the initiative's lock. */
  private locked<T>(initiativeId: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, async (client) => {
      await client.query(lockStatement('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MEASURES_LOCK, initiativeId]));
      return work(client);
    });
  }

  async settings(initiativeId: string): Promise<Map<string, IndicatorSettings>> {
    const { rows } = await this.pool.query<SettingsRow>(
      'SELECT * FROM measure_settings WHERE initiative_id = $1 ORDER BY indicator COLLATE "C"',
      [initiativeId],
    );
    return new Map(rows.map((r) => [r.indicator, toSettings(r)]));
  }

  async setSettings(initiativeId: string, indicator: string, change: Partial<IndicatorSettings>): Promise<IndicatorSettings> {
    return this.locked(initiativeId, async (client) => {
      const { rows } = await client.query<SettingsRow>('SELECT * FROM measure_settings WHERE initiative_id = $1 AND indicator = $2', [initiativeId, indicator]);
      const next = changedSettings(rows[0], change);
      await client.query(
        `INSERT INTO measure_settings (initiative_id, indicator, access, stewards, baseline, target)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (initiative_id, indicator) DO UPDATE SET
           access = excluded.access, stewards = excluded.stewards, baseline = excluded.baseline, target = excluded.target`,
        [initiativeId, indicator, ...settingsColumns(next)],
      );
      return next;
    });
  }

  async list(initiativeId: string, options: { indicator?: string; history?: boolean; wholePopulation?: boolean } = {}): Promise<StoredMeasurement[]> {
    const where = ['initiative_id = $1'];
    const params: string[] = [initiativeId];
    if (options.indicator !== undefined) {
      params.push(options.indicator);
      where.push(`indicator = $${params.length}`);
    }
    if (!options.history) where.push('current');
    if (options.wholePopulation) where.push('subgroup IS NULL');
    const { rows } = await this.pool.query<MeasurementDbRow>(`SELECT ${COLUMNS} FROM measurements WHERE ${where.join(' AND ')} ${ORDER}`, params);
    return rows.map(toMeasurement);
  }

  async add(
    initiativeId: string,
    rows: readonly NewMeasurement[],
    by: Author,
    options: { replace: boolean; at: string },
  ): Promise<{ accepted: number; replaced: number; ids: string[] }> {
    return this.locked(initiativeId, async (client) => {
      // First every check, then every write: a refused batch writes nothing.
      const stored = await currentIn(client, initiativeId, rows);
      const conflicts = rows.flatMap((row, index) => {
        const existing = stored.get(slot(row));
        return existing ? [{ index, existing: toMeasurement(existing) }] : [];
      });
      if (conflicts.length > 0 && !options.replace) throw new ReplaceNeeded(conflicts);

      // The last row of the batch for a slot is current; earlier ones, and the stored value, are replaced.
      const ids = newIds(rows.length);
      const last = new Map(rows.map((row, index) => [slot(row), index]));
      await retire(client, [...stored.values()].map((r) => r.id));
      await insertRows(
        client,
        initiativeId,
        rows.map((row, index) => ({ id: ids[index], row, by, at: options.at, status: 'submitted', current: last.get(slot(row)) === index })),
      );
      return { accepted: rows.length, replaced: stored.size, ids };
    });
  }

  async carry(initiativeId: string, rows: readonly CarriedMeasurement[]): Promise<number> {
    return this.locked(initiativeId, async (client) => {
      const { rows: found } = await client.query<{ id: string }>('SELECT id FROM measurements WHERE id = ANY($1::text[])', [rows.map((r) => r.id)]);
      const known = new Set(found.map((r) => r.id));
      const stored = await currentIn(client, initiativeId, rows);
      // The current value of each slot as the rows are taken in turn: a stored one, or an earlier carried row.
      const current = new Map<string, { enteredAt: string; stored?: MeasurementDbRow; insert?: Insert }>(
        [...stored].map(([key, r]) => [key, { enteredAt: r.entered_at, stored: r }]),
      );
      const inserts: Insert[] = [];
      const retired: string[] = [];
      for (const row of rows) {
        if (known.has(row.id)) continue;
        known.add(row.id);
        // A carried value meeting a current one of its period: the later entered is current (a tie: the carried one).
        const key = slot(row);
        const existing = current.get(key);
        const insert: Insert = { id: row.id, row, by: row.enteredBy, at: row.enteredAt, status: row.status, current: !existing || existing.enteredAt <= row.enteredAt };
        if (existing && insert.current) {
          if (existing.stored) retired.push(existing.stored.id);
          if (existing.insert) existing.insert.current = false;
        }
        if (insert.current) current.set(key, { enteredAt: row.enteredAt, insert });
        inserts.push(insert);
      }
      await retire(client, retired);
      await insertRows(client, initiativeId, inserts);
      return inserts.length;
    });
  }

  async review(
    initiativeId: string,
    id: string,
    status: Exclude<ReviewStatus, 'submitted'>,
    reason: string | null,
    by: Author,
    at: string,
  ): Promise<StoredMeasurement | undefined> {
    const { rows } = await this.pool.query<MeasurementDbRow>(
      `UPDATE measurements SET status = $1, reviewed_by_id = $2, reviewed_by_name = $3, reviewed_at = $4, review_reason = $5
       WHERE initiative_id = $6 AND id = $7 AND current
       RETURNING ${COLUMNS}`,
      [status, by.id, by.name, at, reason, initiativeId, id],
    );
    return rows[0] && toMeasurement(rows[0]);
  }

  async get(initiativeId: string, id: string): Promise<StoredMeasurement | undefined> {
    const { rows } = await this.pool.query<MeasurementDbRow>(`SELECT ${COLUMNS} FROM measurements WHERE initiative_id = $1 AND id = $2`, [initiativeId, id]);
    return rows[0] && toMeasurement(rows[0]);
  }

  async clearInitiative(initiativeId: string): Promise<void> {
    await this.locked(initiativeId, async (client) => {
      for (const table of ['measure_settings', 'measurements', 'report_links']) {
        await client.query(`DELETE FROM ${table} WHERE initiative_id = $1`, [initiativeId]);
      }
    });
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
    await this.pool.query(
      `INSERT INTO report_links (id, initiative_id, token, created_by_id, created_by_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [link.id, link.initiative_id, link.token, link.created_by_id, link.created_by_name, link.created_at],
    );
    return toLink(link);
  }

  async reportLinks(initiativeId: string): Promise<ReportLinkRecord[]> {
    const { rows } = await this.pool.query<LinkRow>(
      'SELECT id, initiative_id, token, created_by_id, created_by_name, created_at FROM report_links WHERE initiative_id = $1 ORDER BY created_at COLLATE "C", ord',
      [initiativeId],
    );
    return rows.map(toLink);
  }

  async revokeReportLink(initiativeId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM report_links WHERE initiative_id = $1 AND id = $2', [initiativeId, id]);
    return (rowCount ?? 0) > 0;
  }

  async reportLinkByToken(token: string): Promise<ReportLinkRecord | undefined> {
    const { rows } = await this.pool.query<LinkRow>(
      'SELECT id, initiative_id, token, created_by_id, created_by_name, created_at FROM report_links WHERE token = $1',
      [token],
    );
    return rows[0] && toLink(rows[0]);
  }
}
