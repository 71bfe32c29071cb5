/**
 * Moving an indicator's values out of the shared document (docs/schema.md,
 * "Migration of measurements"). Before #12 an indicator's `measurements`,
 * `baseline` and `target` sat in the document, so every member, observers
 * included, received every number. Now they live in the MeasureStore.
 *
 * When a room loads (server/sync/rooms.ts, `onLoad`), `migrateRoom` carries the
 * values of every indicator still holding them to the store, then deletes them
 * from the document in one transaction: store first, so a crash in between
 * leaves the document as it was and the next load carries the same rows again
 * under the same ids (`carry` writes an id once): nothing is lost, nothing
 * doubled. The import of a version 1–3 export (server/api/exchange.ts) reads
 * its values the same way (`legacyCarry`).
 */
import * as Y from 'yjs';
import { FREQUENCIES, isRealDate, periodOf, type Frequency } from '../../machines/measures/periods.ts';
import { normaliseUnit, valueProblem } from '../../machines/measures/units.ts';
import type { DatedValue } from '../../src/contract/measureAccess.ts';
import type { Author, CarriedMeasurement, MeasureStore } from './types.ts';

/** The fields an indicator had in the document before #12. */
export const LEGACY_FIELDS = ['measurements', 'baseline', 'target'] as const;

/** Who a carried value says entered it. */
export const FROM_THE_BOARD: Author = { id: null, name: 'Imported from the board' };

/** Where the migration's own document change comes from (a transaction origin). */
export const MIGRATION_ORIGIN = Symbol('measurements migration');

/** What an indicator held before #12, as read from a document or a version 1–3 file. */
export interface LegacyValues {
  indicator: string;
  unit: string;
  /** The frequency the indicator already has, if any (then its periods follow it). */
  frequency: Frequency | null;
  measurements: readonly unknown[];
  baseline: unknown;
  target: unknown;
}

/** What to write for one indicator: the store's rows and settings, and the document's new unit and frequency. */
export interface Carry {
  indicator: string;
  unit: string;
  frequency: Frequency;
  rows: CarriedMeasurement[];
  baseline: DatedValue | null;
  target: DatedValue | null;
}

const isLegacyMeasurement = (m: unknown): m is { date: string; value: number } =>
  typeof m === 'object' &&
  m !== null &&
  typeof (m as { date?: unknown }).date === 'string' &&
  isRealDate((m as { date: string }).date) &&
  typeof (m as { value?: unknown }).value === 'number' &&
  Number.isFinite((m as { value: number }).value);

const legacyNumber = (value: unknown): DatedValue | null =>
  typeof value === 'number' && Number.isFinite(value) ? { value, date: null } : null;

/**
 * The coarsest of yearly, quarterly and monthly under which no two of `dates`
 * share a period (monthly when even months repeat: the later value of a month
 * is then current, the earlier kept in the history).
 */
export function coarsestFrequency(dates: readonly string[]): Frequency {
  const coarsestFirst = [...FREQUENCIES].reverse();
  return (
    coarsestFirst.find((frequency) => new Set(dates.map((d) => periodOf(d, frequency))).size === dates.length) ??
    'monthly'
  );
}

/**
 * One indicator's old values as the store takes them. Stable ids
 * `legacy:<initiative>:<indicator>:<n>` (n: the value's place in the old
 * list), so carrying twice writes once. Oldest first, so of two values of one
 * period the later is current. A value its unit does not allow (a −999999 %)
 * or dated in the future comes in `submitted`, for the lead to review; the
 * others `approved`. Entries that were never a dated number (which the board
 * never showed either) are left out.
 */
export function legacyCarry(initiativeId: string, legacy: LegacyValues, at: string): Carry {
  const unit = normaliseUnit(legacy.unit);
  const values = legacy.measurements
    .map((m, n) => ({ m, n }))
    .filter((x): x is { m: { date: string; value: number }; n: number } => isLegacyMeasurement(x.m));
  const frequency = legacy.frequency ?? coarsestFrequency(values.map(({ m }) => m.date));
  const today = at.slice(0, 10);
  const rows = values
    .sort((a, b) => (a.m.date < b.m.date ? -1 : a.m.date > b.m.date ? 1 : a.n - b.n))
    .map(({ m, n }): CarriedMeasurement => ({
      id: `legacy:${initiativeId}:${legacy.indicator}:${n}`,
      indicator: legacy.indicator,
      date: m.date,
      period: periodOf(m.date, frequency),
      value: m.value,
      subgroup: null,
      note: null,
      enteredBy: FROM_THE_BOARD,
      enteredAt: at,
      status: valueProblem(m.value, unit) === null && m.date <= today ? 'approved' : 'submitted',
    }));
  return {
    indicator: legacy.indicator,
    unit,
    frequency,
    rows,
    baseline: legacyNumber(legacy.baseline),
    target: legacyNumber(legacy.target),
  };
}

/** Writes carried values to the store: the rows, and the baseline and target only where the store has none. */
export async function carryToStore(store: MeasureStore, initiativeId: string, carries: readonly Carry[]): Promise<void> {
  const settings = await store.settings(initiativeId);
  for (const carry of carries) {
    if (carry.rows.length > 0) await store.carry(initiativeId, carry.rows);
    const stored = settings.get(carry.indicator);
    const change = {
      ...(carry.baseline && !stored?.baseline ? { baseline: carry.baseline } : {}),
      ...(carry.target && !stored?.target ? { target: carry.target } : {}),
    };
    if (Object.keys(change).length > 0) await store.setSettings(initiativeId, carry.indicator, change);
  }
}

const isFrequency = (value: unknown): value is Frequency =>
  typeof value === 'string' && (FREQUENCIES as readonly string[]).includes(value);

/** The document's indicators that still hold values, as the migration reads them. */
export function legacyInDoc(doc: Y.Doc): { entry: Y.Map<unknown>; legacy: LegacyValues }[] {
  const found: { entry: Y.Map<unknown>; legacy: LegacyValues }[] = [];
  for (const [id, entry] of doc.getMap<unknown>('entities').entries()) {
    if (!(entry instanceof Y.Map) || entry.get('kind') !== 'indicator') continue;
    if (!LEGACY_FIELDS.some((field) => entry.has(field))) continue;
    const measurements: unknown = entry.get('measurements');
    const unit: unknown = entry.get('unit');
    const frequency: unknown = entry.get('frequency');
    found.push({
      entry: entry as Y.Map<unknown>,
      legacy: {
        indicator: id,
        unit: typeof unit === 'string' ? unit : '',
        frequency: isFrequency(frequency) ? frequency : null,
        measurements: measurements instanceof Y.Array ? measurements.toArray() : Array.isArray(measurements) ? measurements : [],
        baseline: entry.get('baseline'),
        target: entry.get('target'),
      },
    });
  }
  return found;
}

/**
 * Carries every indicator's values out of the document: to the store first,
 * then out of the document with the unit normalised and the frequency set, in
 * one transaction. Answers how many indicators it moved (0: nothing to do, the
 * document untouched).
 */
export async function migrateRoom(store: MeasureStore, initiativeId: string, doc: Y.Doc, at: string): Promise<number> {
  const found = legacyInDoc(doc);
  if (found.length === 0) return 0;
  const carries = found.map(({ legacy }) => legacyCarry(initiativeId, legacy, at));
  await carryToStore(store, initiativeId, carries);
  doc.transact(() => {
    found.forEach(({ entry }, index) => {
      const carry = carries[index];
      for (const field of LEGACY_FIELDS) entry.delete(field);
      if (entry.get('unit') !== carry.unit) entry.set('unit', carry.unit);
      if (entry.get('frequency') !== carry.frequency) entry.set('frequency', carry.frequency);
    });
  }, MIGRATION_ORIGIN);
  return found.length;
}

/**
 * Whether a stored document may hold values to migrate: its bytes name the
 * `measurements` field, which every indicator made before #12 has (a
 * document where the word never occurs needs no building to know). False
 * positives only cost building the document early.
 */
export function mayHoldValues(stored: Uint8Array): boolean {
  return Buffer.from(stored.buffer, stored.byteOffset, stored.byteLength).includes('measurements');
}

/**
 * The rooms' load hook (server/app.ts): migrates the document of a room as it
 * loads, before any connection or the workflow reads it. A stored document
 * that cannot hold old values is not built for it.
 */
export function migrateOnLoad(store: MeasureStore, clock: () => number, onMigrated?: (initiativeId: string, indicators: number) => void) {
  return async (name: string, room: { unbuilt: Uint8Array | null; doc: Y.Doc; idle(): Promise<void>; compactSoon(): void }): Promise<void> => {
    const stored = room.unbuilt;
    if (stored && !mayHoldValues(stored)) return;
    const moved = await migrateRoom(store, name, room.doc, new Date(clock()).toISOString());
    if (moved === 0) return;
    // The old values are still in the stored log's first entries: a snapshot of the document replaces them.
    await room.idle();
    room.compactSoon();
    await room.idle();
    onMigrated?.(name, moved);
  };
}
