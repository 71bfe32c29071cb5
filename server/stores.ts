/**
 * Every store the server keeps its data in, behind interfaces (#14): SQLite in
 * the data directory by default (`openSqliteStores`), PostgreSQL when
 * `DATABASE_URL` is set (`openPostgresStores`, server/pg/stores.ts). Each
 * interface has one contract suite under test/server/ that every
 * implementation passes. Every method answers a promise, so a remote database
 * can stand behind it; callers await them all.
 */
import type { Stage } from '../machines/workflow.ts';
import type { DocStorage } from './storage/types.ts';
import type { PeopleStore } from './people/types.ts';
import type { WorkshopStore } from './workshops/types.ts';
import type { MeasureStore } from './measures/types.ts';
import type { VersionStore } from './framework/types.ts';
import type { StatusStore } from './portfolio/types.ts';

export interface Initiative {
  id: string;
  name: string;
  issue: string;
  stage: Stage;
  createdAt: string;
  /** The initiative it is a sub-initiative of, or null. */
  parentId: string | null;
}

/** Initiatives, instance settings and workflow snapshots. */
export interface InitiativeStore {
  getSetting(key: string): Promise<string | undefined>;
  setSetting(key: string, value: string): Promise<void>;
  /** A new initiative in readiness; with `parentId`, a sub-initiative of it (the caller checked that it exists). */
  createInitiative(name: string, issue: string, parentId?: string | null): Promise<Initiative>;
  /** Changes the name, the issue and/or the parent (null: none); the caller checked for cycles (`wouldCycle`). */
  updateInitiative(id: string, change: { name?: string; issue?: string; parentId?: string | null }): Promise<Initiative | undefined>;
  /** The direct sub-initiatives of `id`, by name. */
  children(id: string): Promise<Initiative[]>;
  /** Every initiative below `id`, at any depth (a cycle in bad data stops the walk). */
  descendants(id: string): Promise<Initiative[]>;
  /** Whether putting `id` under `parentId` would make it sit under itself. */
  wouldCycle(id: string, parentId: string): Promise<boolean>;
  getInitiative(id: string): Promise<Initiative | undefined>;
  /** Oldest first. */
  listInitiatives(): Promise<Initiative[]>;
  countInitiatives(): Promise<number>;
  setStage(id: string, stage: Stage): Promise<void>;
  /** The stored workflow snapshot, or undefined. */
  loadWorkflow(initiativeId: string): Promise<unknown>;
  /** Stores the workflow snapshot and the listed stage in one transaction. */
  saveWorkflow(initiativeId: string, snapshot: unknown, stage: Stage): Promise<void>;
}

/** The stores of one server, opened together and closed together. */
export interface Stores {
  initiatives: InitiativeStore;
  people: PeopleStore;
  docs: DocStorage;
  workshops: WorkshopStore;
  measures: MeasureStore;
  versions: VersionStore;
  statuses: StatusStore;
  /** Answers when the database can be reached (for `/readyz`); never throws. */
  ping(): Promise<boolean>;
  /** Makes everything durable and closes the database. */
  close(): Promise<void>;
}
