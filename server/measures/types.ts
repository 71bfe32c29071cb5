/**
 * Where shared measurement lives on the server (docs/measures.md): each
 * indicator's settings (access level, data stewards, baseline, target), its
 * measurements with their review and history, and the public report links.
 * Never in the shared document.
 *
 * Behind this interface so another database can take SQLite's place (#14):
 * test/server/measure-store-contract.test.ts is the suite every implementation
 * passes. Every method answers a promise, so an implementation over the network
 * fits; the SQLite one answers at once.
 */
import type { AccessLevel, DatedValue, ReviewStatus } from '../../src/contract/measureAccess.ts';

/** An indicator's server-side settings; an indicator with none stored has DEFAULT_SETTINGS. */
export interface IndicatorSettings {
  access: AccessLevel;
  /** Member ids, in the order the lead assigned them. */
  stewards: string[];
  baseline: DatedValue | null;
  target: DatedValue | null;
}

export const DEFAULT_SETTINGS: IndicatorSettings = { access: 'members', stewards: [], baseline: null, target: null };

/** Whoever enters or reviews: a member id (null for the admin or an import) and the name kept with the row. */
export interface Author {
  id: string | null;
  name: string;
}

/** A value about to be written, already checked (unit, date, subgroup) by the caller. */
export interface NewMeasurement {
  indicator: string;
  date: string;
  /** periodOf(date, the indicator's frequency). */
  period: string;
  value: number;
  /** null: the whole population. */
  subgroup: string | null;
  note: string | null;
}

export interface StoredMeasurement extends NewMeasurement {
  id: string;
  initiativeId: string;
  enteredBy: Author;
  /** ISO time. */
  enteredAt: string;
  status: ReviewStatus;
  review: { by: Author; at: string; reason: string | null } | null;
  /** False once a newer value of the same indicator, period and subgroup replaced it. */
  current: boolean;
}

/** A measurement carried over as it was (a migrated document, an import): its author and time kept. */
export interface CarriedMeasurement extends NewMeasurement {
  /** A stable id, so carrying the same value twice writes it once. */
  id: string;
  enteredBy: Author;
  enteredAt: string;
  status: ReviewStatus;
}

/** The rows of a batch that would replace a current value: their index in the batch and the value they replace. */
export class ReplaceNeeded extends Error {
  constructor(readonly conflicts: { index: number; existing: StoredMeasurement }[]) {
    super('values would be replaced');
  }
}

export interface ReportLinkRecord {
  id: string;
  initiativeId: string;
  token: string;
  createdAt: string;
  createdBy: Author;
}

export interface MeasureStore {
  /** Every indicator of the initiative that has stored settings. */
  settings(initiativeId: string): Promise<Map<string, IndicatorSettings>>;
  /** Changes the given settings of one indicator (the others stay) and answers them all. */
  setSettings(initiativeId: string, indicator: string, change: Partial<IndicatorSettings>): Promise<IndicatorSettings>;

  /**
   * The measurements of the initiative (of one indicator when given), oldest
   * period first; with `history`, replaced ones too (after the current one of their period);
   * with `wholePopulation`, only those of no subgroup (the trend series).
   */
  list(initiativeId: string, options?: { indicator?: string; history?: boolean; wholePopulation?: boolean }): Promise<StoredMeasurement[]>;
  /**
   * Writes every row in one transaction, or none. A row whose indicator,
   * period and subgroup already has a current value replaces it (the old one
   * stays, not current) only with `replace`; otherwise nothing is written and
   * ReplaceNeeded names every such row. Two rows of one batch for one period
   * and subgroup: the later one wins, the earlier is kept as replaced.
   */
  add(initiativeId: string, rows: readonly NewMeasurement[], by: Author, options: { replace: boolean; at: string }): Promise<{ accepted: number; replaced: number; ids: string[] }>;
  /**
   * Writes carried rows whose id is not stored yet, keeping their author, time
   * and status; answers how many were new. A carried row meeting a current value
   * of its indicator, period and subgroup: the later `enteredAt` is current (on
   * a tie, the carried row), the other kept, not current.
   */
  carry(initiativeId: string, rows: readonly CarriedMeasurement[]): Promise<number>;
  /** Records a review of a current measurement; undefined (nothing written) when there is no such measurement in the initiative, or it was replaced. */
  review(initiativeId: string, id: string, status: Exclude<ReviewStatus, 'submitted'>, reason: string | null, by: Author, at: string): Promise<StoredMeasurement | undefined>;
  /** One measurement of the initiative, current or not. */
  get(initiativeId: string, id: string): Promise<StoredMeasurement | undefined>;
  /** Removes every setting, measurement and report link of the initiative (an import into it starts afresh). */
  clearInitiative(initiativeId: string): Promise<void>;

  createReportLink(initiativeId: string, by: Author, at: string): Promise<ReportLinkRecord>;
  reportLinks(initiativeId: string): Promise<ReportLinkRecord[]>;
  /** False when there was no such link. */
  revokeReportLink(initiativeId: string, id: string): Promise<boolean>;
  reportLinkByToken(token: string): Promise<ReportLinkRecord | undefined>;
}
