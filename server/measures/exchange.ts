/**
 * The shared measurement of an export file (docs/schema.md, "Export format"),
 * between the measure store and the file:
 *
 * - export: each indicator's settings and current values, only what the
 *   exporting person may see (measureRights): a restricted indicator's values,
 *   baseline and target are left out for the others;
 * - import: a version 4 file's settings and values are carried to the store,
 *   keeping who entered each value, when, and its review status (data stewards
 *   only when they are members of the initiative imported into); a version 1–3
 *   file's in-document values move to the store as the migration of old
 *   documents moves them (./migrate.ts). The document never receives values.
 */
import { periodOf } from '../../machines/measures/periods.ts';
import { measureRights, type MeasureViewer } from '../../src/contract/measureAccess.ts';
import {
  datedValue,
  NO_MEASURES,
  type ExportedIndicator,
  type IndicatorMeasures,
  type InitiativeExport,
} from '../../src/schema/exchange.ts';
import { carryToStore, legacyCarry, type Carry } from './migrate.ts';
import { DEFAULT_SETTINGS, type CarriedMeasurement, type IndicatorSettings, type MeasureStore } from './types.ts';

/** Who a value of a version 4 file says entered it, when the file names no one. */
export const FROM_A_FILE = 'Imported from a file';

/** Each indicator's shared measurement as `viewer` may export it. */
export async function measuresForExport(
  store: MeasureStore,
  initiativeId: string,
  viewer: MeasureViewer,
): Promise<(indicatorId: string) => IndicatorMeasures> {
  const [settings, rows] = await Promise.all([store.settings(initiativeId), store.list(initiativeId)]);
  return (indicator) => {
    const stored = settings.get(indicator) ?? DEFAULT_SETTINGS;
    const base = { ...NO_MEASURES, access: stored.access, stewards: [...stored.stewards] };
    if (!measureRights(viewer, stored).see) return base;
    return {
      ...base,
      baseline: stored.baseline,
      target: stored.target,
      measurements: rows
        .filter((r) => r.indicator === indicator)
        .map((r) => ({
          date: r.date,
          value: r.value,
          ...(r.subgroup === null ? {} : { subgroup: r.subgroup }),
          ...(r.note === null ? {} : { note: r.note }),
          status: r.status,
          enteredBy: r.enteredBy.name,
          enteredAt: r.enteredAt,
        })),
    };
  };
}

/** What an import writes to the store, and the indicators' board fields it settles (version 1–3 files). */
export interface ImportedMeasures {
  /** Version 1–3 files: as the migration carries a document's values. */
  legacy: Carry[];
  /** Version 4 files: each indicator's rows and settings. */
  carried: { indicator: string; rows: CarriedMeasurement[]; settings: IndicatorSettings }[];
}

/**
 * Reads a validated file's shared measurement for `initiativeId`. For a
 * version 1–3 file it also sets each indicator's unit (normalised) and
 * frequency (the coarsest that keeps its values apart) in `data`, as the
 * document will hold them. `isMember` says whether a steward's member id
 * belongs to the initiative imported into.
 */
export function measuresFromImport(
  data: InitiativeExport,
  initiativeId: string,
  at: string,
  isMember: (memberId: string) => boolean,
): ImportedMeasures {
  const indicators = data.entities.filter((e): e is ExportedIndicator => e.kind === 'indicator');
  if (data.version < 4) {
    const legacy = indicators.map((indicator) => {
      const carry = legacyCarry(
        initiativeId,
        {
          indicator: indicator.id,
          unit: indicator.unit,
          frequency: null,
          measurements: indicator.measurements ?? [],
          baseline: indicator.baseline,
          target: indicator.target,
        },
        at,
      );
      indicator.unit = carry.unit;
      indicator.frequency = carry.frequency;
      return carry;
    });
    return { legacy, carried: [] };
  }
  const carried = indicators.map((indicator) => ({
    indicator: indicator.id,
    rows: (indicator.measurements ?? []).map(
      (m, n): CarriedMeasurement => ({
        id: `import:${initiativeId}:${indicator.id}:${n}`,
        indicator: indicator.id,
        date: m.date,
        period: periodOf(m.date, indicator.frequency),
        value: m.value,
        subgroup: m.subgroup ?? null,
        note: m.note ?? null,
        enteredBy: { id: null, name: m.enteredBy || FROM_A_FILE },
        enteredAt: m.enteredAt ?? at,
        // A value without a status was not reviewed: the lead reviews it.
        status: m.status ?? 'submitted',
      }),
    ),
    settings: {
      access: indicator.access ?? DEFAULT_SETTINGS.access,
      stewards: [...new Set(indicator.stewards ?? [])].filter(isMember),
      baseline: datedValue(indicator.baseline),
      target: datedValue(indicator.target),
    },
  }));
  return { legacy: [], carried };
}

/**
 * Writes an import's shared measurement: the initiative's store starts afresh
 * (its document is empty: whatever the store held belonged to cards no longer
 * there), then every value and setting is carried.
 */
export async function writeImportedMeasures(store: MeasureStore, initiativeId: string, imported: ImportedMeasures): Promise<void> {
  await store.clearInitiative(initiativeId);
  await carryToStore(store, initiativeId, imported.legacy);
  for (const { indicator, rows, settings } of imported.carried) {
    if (rows.length > 0) await store.carry(initiativeId, rows);
    const isDefault =
      settings.access === DEFAULT_SETTINGS.access && settings.stewards.length === 0 && !settings.baseline && !settings.target;
    if (!isDefault) await store.setSettings(initiativeId, indicator, settings);
  }
}

/** How many values an import carries (for its answer). */
export function importedValues(imported: ImportedMeasures): number {
  return [...imported.legacy, ...imported.carried].reduce((n, c) => n + c.rows.length, 0);
}
