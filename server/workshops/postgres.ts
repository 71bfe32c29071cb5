/**
 * Workshops in PostgreSQL (#14): the `workshops` table of server/pg/migrate.ts,
 * the same rules as the SQLite store (./sqlite.ts, whose row shape and mapper
 * it shares) and the same contract suite
 * (test/server/workshop-store-contract.test.ts). Every time comes from the
 * injected clock.
 *
 * A save reads the cards already placed and writes them back with the new ones:
 * the row is read `FOR UPDATE`, so two saves of one workshop from two
 * processes take turns and neither loses the other's cards. `ord` breaks ties
 * of equal times, as SQLite's rowid does.
 */
import type { WorkshopStatus } from '../../machines/workshop/index.ts';
import { inTransaction, type Pool } from '../pg/pool.ts';
import { toWorkshop, type Row } from './sqlite.ts';
import type { NewWorkshopRecord, PlacedCard, StoredWorkshop, WorkshopStore } from './types.ts';

const COLUMNS = 'id, initiative_id, title, date, status, snapshot, cards, created_by, created_at, updated_at';

export class PostgresWorkshopStore implements WorkshopStore {
  constructor(
    private readonly pool: Pool,
    private readonly clock: () => number = Date.now,
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  async create(w: NewWorkshopRecord): Promise<StoredWorkshop> {
    const at = this.now();
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO workshops (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, '[]', $7, $8, $8) RETURNING ${COLUMNS}`,
      [w.id, w.initiativeId, w.title, w.date, w.status, JSON.stringify(w.snapshot), w.createdBy, at],
    );
    return toWorkshop(rows[0]);
  }

  async get(initiativeId: string, id: string): Promise<StoredWorkshop | undefined> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM workshops WHERE id = $1 AND initiative_id = $2`, [id, initiativeId]);
    return rows[0] && toWorkshop(rows[0]);
  }

  async list(initiativeId: string): Promise<StoredWorkshop[]> {
    const { rows } = await this.pool.query<Row>(`SELECT ${COLUMNS} FROM workshops WHERE initiative_id = $1 ORDER BY created_at COLLATE "C" DESC, ord DESC`, [initiativeId]);
    return rows.map(toWorkshop);
  }

  async running(initiativeId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(
      `SELECT id FROM workshops WHERE initiative_id = $1 AND status = 'running' ORDER BY created_at COLLATE "C", ord`,
      [initiativeId],
    );
    return rows.map((r) => r.id);
  }

  async save(id: string, status: WorkshopStatus, snapshot: unknown, cards: PlacedCard[] = []): Promise<void> {
    await inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{ cards: string }>('SELECT cards FROM workshops WHERE id = $1 FOR UPDATE', [id]);
      if (!rows[0]) throw new Error(`No workshop "${id}" to save.`);
      const all = cards.length === 0 ? rows[0].cards : JSON.stringify([...(JSON.parse(rows[0].cards) as PlacedCard[]), ...cards]);
      await client.query('UPDATE workshops SET status = $1, snapshot = $2, cards = $3, updated_at = $4 WHERE id = $5', [
        status,
        JSON.stringify(snapshot),
        all,
        this.now(),
        id,
      ]);
    });
  }
}
