/** Workshops in SQLite (the `workshops` table of server/db.ts, migration 3). Every time comes from the injected clock. */
import type { WorkshopStatus } from '../../machines/workshop/index.ts';
import type { Db } from '../db.ts';
import type { NewWorkshopRecord, PlacedCard, StoredWorkshop, WorkshopStore } from './types.ts';

export interface Row {
  id: string;
  initiative_id: string;
  title: string;
  date: string | null;
  status: WorkshopStatus;
  snapshot: string;
  cards: string;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export const toWorkshop = (r: Row): StoredWorkshop => ({
  id: r.id,
  initiativeId: r.initiative_id,
  title: r.title,
  date: r.date,
  status: r.status,
  snapshot: JSON.parse(r.snapshot) as unknown,
  cards: JSON.parse(r.cards) as PlacedCard[],
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class SqliteWorkshopStore implements WorkshopStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => number = Date.now,
  ) {}

  private now(): string {
    return new Date(this.clock()).toISOString();
  }

  async create(w: NewWorkshopRecord): Promise<StoredWorkshop> {
    const at = this.now();
    this.db
      .prepare(
        `INSERT INTO workshops (id, initiative_id, title, date, status, snapshot, cards, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, '[]', ?, ?, ?)`,
      )
      .run(w.id, w.initiativeId, w.title, w.date, w.status, JSON.stringify(w.snapshot), w.createdBy, at, at);
    return this.find(w.initiativeId, w.id)!;
  }

  async get(initiativeId: string, id: string): Promise<StoredWorkshop | undefined> {
    return this.find(initiativeId, id);
  }

  private find(initiativeId: string, id: string): StoredWorkshop | undefined {
    const row = this.db.prepare('SELECT * FROM workshops WHERE id = ? AND initiative_id = ?').get(id, initiativeId) as
      | Row
      | undefined;
    return row && toWorkshop(row);
  }

  async list(initiativeId: string): Promise<StoredWorkshop[]> {
    const rows = this.db
      .prepare('SELECT * FROM workshops WHERE initiative_id = ? ORDER BY created_at DESC, rowid DESC')
      .all(initiativeId) as Row[];
    return rows.map(toWorkshop);
  }

  async running(initiativeId: string): Promise<string[]> {
    const rows = this.db
      .prepare(`SELECT id FROM workshops WHERE initiative_id = ? AND status = 'running' ORDER BY created_at, rowid`)
      .all(initiativeId) as { id: string }[];
    return rows.map((r) => r.id);
  }

  async save(id: string, status: WorkshopStatus, snapshot: unknown, cards: PlacedCard[] = []): Promise<void> {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT cards FROM workshops WHERE id = ?').get(id) as { cards: string } | undefined;
      if (!row) throw new Error(`No workshop "${id}" to save.`);
      const all = cards.length === 0 ? row.cards : JSON.stringify([...(JSON.parse(row.cards) as PlacedCard[]), ...cards]);
      this.db
        .prepare('UPDATE workshops SET status = ?, snapshot = ?, cards = ?, updated_at = ? WHERE id = ?')
        .run(status, JSON.stringify(snapshot), all, this.now(), id);
    })();
  }
}
