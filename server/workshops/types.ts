/**
 * Where workshops are kept (docs/workshops.md, "The server"): one record per
 * workshop with its statechart's persisted snapshot, written after every
 * accepted command, and the cards its reveals placed on the boards. Behind this
 * interface so another database can take SQLite's place (#14);
 * test/server/workshop-store-contract.test.ts is the suite every
 * implementation passes.
 */
import type { WorkshopStatus } from '../../machines/workshop/index.ts';
import type { PlacedCard } from '../../src/contract/workshopRecord.ts';

/** A card a reveal placed on a board: the record's shape (src/contract/workshopRecord.ts), kept with the workshop. */
export type { PlacedCard };

export interface NewWorkshopRecord {
  id: string;
  initiativeId: string;
  title: string;
  date: string | null;
  status: WorkshopStatus;
  /** The statechart's persisted snapshot (plain JSON). */
  snapshot: unknown;
  /** Who created it: a member id, or `admin`. */
  createdBy: string;
}

export interface StoredWorkshop extends NewWorkshopRecord {
  cards: PlacedCard[];
  createdAt: string;
  updatedAt: string;
}

export interface WorkshopStore {
  create(workshop: NewWorkshopRecord): Promise<StoredWorkshop>;
  /** The workshop `id` of `initiativeId`, or undefined (no such workshop there). */
  get(initiativeId: string, id: string): Promise<StoredWorkshop | undefined>;
  /** The initiative's workshops, newest first. */
  list(initiativeId: string): Promise<StoredWorkshop[]>;
  /** The ids of the initiative's running workshops. */
  running(initiativeId: string): Promise<string[]>;
  /**
   * Replaces the snapshot and status, and adds the cards a reveal placed after
   * those already recorded, all in one write (durable before the caller answers anyone).
   */
  save(id: string, status: WorkshopStatus, snapshot: unknown, cards?: PlacedCard[]): Promise<void>;
}
