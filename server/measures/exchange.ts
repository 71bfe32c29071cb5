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
 *   documents moves them (./migrate.ts). The document never receives values;
 * - who may import what (`fileRefusals`, `storeRefusals`): each part of the
 *   file, and each stored thing the import would delete, needs the right the
 *   rest of the API asks for it (docs/api.md, the import route).
 */
import { periodOf } from '../../machines/measures/periods.ts';
import { MEASURE_REFUSALS, measureRights, type MeasureViewer } from '../../src/contract/measureAccess.ts';
import { can, IMPORT_REFUSALS } from '../../src/contract/permissions.ts';
import {
  datedValue,
  NO_MEASURES,
  type ExportedIndicator,
  type IndicatorMeasures,
  type InitiativeExport,
} from '../../src/schema/exchange.ts';
import { carryToStore, legacyCarry, type Carry } from './migrate.ts';
import {
  DEFAULT_SETTINGS,
  type CarriedMeasurement,
  type IndicatorSettings,
  type MeasureStore,
  type StoredMeasurement,
} from './types.ts';

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
    rows: (indicator.measurements ?? []).map((m, n): CarriedMeasurement => ({
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
    })),
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
export async function writeImportedMeasures(
  store: MeasureStore,
  initiativeId: string,
  imported: ImportedMeasures,
): Promise<void> {
  await store.clearInitiative(initiativeId);
  await carryToStore(store, initiativeId, imported.legacy);
  for (const { indicator, rows, settings } of imported.carried) {
    if (rows.length > 0) await store.carry(initiativeId, rows);
    if (!isDefault(settings)) await store.setSettings(initiativeId, indicator, settings);
  }
}

const isDefault = (settings: IndicatorSettings) =>
  sameSight(settings, DEFAULT_SETTINGS) && !settings.baseline && !settings.target;

/** The same access level and data stewards: who reports and sees the indicator. */
const sameSight = (a: IndicatorSettings, b: IndicatorSettings) =>
  a.access === b.access && a.stewards.join('\n') === b.stewards.join('\n');

const sameDated = (a: IndicatorSettings['baseline'], b: IndicatorSettings['baseline']) =>
  a === b || (!!a && !!b && a.value === b.value && a.date === b.date);

/** The same baseline and target. */
const sameFigures = (a: IndicatorSettings, b: IndicatorSettings) =>
  sameDated(a.baseline, b.baseline) && sameDated(a.target, b.target);

/** Each indicator's settings once `imported` is written, for those it leaves other than DEFAULT_SETTINGS. */
function settingsAfter(imported: ImportedMeasures): Map<string, IndicatorSettings> {
  const after = new Map<string, IndicatorSettings>();
  // The store starts afresh, so a version 1–3 file's baseline and target are always written.
  for (const { indicator, baseline, target } of imported.legacy) {
    if (baseline || target) after.set(indicator, { ...DEFAULT_SETTINGS, stewards: [], baseline, target });
  }
  for (const { indicator, settings } of imported.carried) if (!isDefault(settings)) after.set(indicator, settings);
  return after;
}

/** Every value `imported` writes, by its stable id. */
const rowsOf = (imported: ImportedMeasures): CarriedMeasurement[] =>
  [...imported.legacy, ...imported.carried].flatMap((c) => c.rows);

/**
 * Why `viewer` may not import what the file itself carries (empty: they may),
 * each in words. An indicator's settings are judged against what a new
 * indicator gets (DEFAULT_SETTINGS), as the store starts afresh:
 * - an access level other than `members`, or data stewards (those kept, being
 *   members here): `configureMeasures`, as `PATCH …/indicators/:id` asks;
 * - values approved or rejected (a version 1–3 file's values are `approved`,
 *   as the migration carries them): `reviewMeasures`, the table's row and not
 *   a data steward's right, since a file's values name no member who entered them;
 * - values, a baseline or a target: entering the indicator's values, under the
 *   settings it will have (`measureRights`), as `POST …/measurements` asks.
 * `nameOf` names an indicator as its card in the file does.
 */
export function fileRefusals(
  viewer: MeasureViewer,
  imported: ImportedMeasures,
  nameOf: (indicator: string) => string,
): string[] {
  const after = settingsAfter(imported);
  const rows = rowsOf(imported);
  const indicators = [...new Set([...imported.legacy, ...imported.carried].map((c) => c.indicator))];
  const configured: string[] = [];
  const reviewed: string[] = [];
  const entered: string[] = [];
  for (const indicator of indicators) {
    const settings = after.get(indicator) ?? DEFAULT_SETTINGS;
    const rights = measureRights(viewer, settings);
    const own = rows.filter((r) => r.indicator === indicator);
    const chooses = !sameSight(settings, DEFAULT_SETTINGS);
    if (chooses && !rights.configure) configured.push(indicator);
    if (own.some((r) => r.status !== 'submitted') && !can(viewer.role, 'reviewMeasures')) reviewed.push(indicator);
    // Whoever may not choose its settings is told that first: entering follows from them.
    if ((own.length > 0 || settings.baseline || settings.target) && !rights.enter && !configured.includes(indicator)) {
      entered.push(indicator);
    }
  }
  // By name: the order of the values in the file (or of their ids) says nothing to the reader.
  const byName = (ids: string[]) => ids.map((id) => ({ id, name: nameOf(id) })).sort((a, b) => a.name.localeCompare(b.name));
  return [
    ...(configured.length > 0 ? [IMPORT_REFUSALS.settings(byName(configured).map((i) => i.name))] : []),
    ...(reviewed.length > 0 ? [IMPORT_REFUSALS.reviewed(byName(reviewed).map((i) => i.name))] : []),
    ...byName(entered).map(({ id: indicator }) =>
      (after.get(indicator) ?? DEFAULT_SETTINGS).access === 'restricted' && can(viewer.role, 'enterMeasures')
        ? MEASURE_REFUSALS.enterRestricted(nameOf(indicator))
        : MEASURE_REFUSALS.enter(nameOf(indicator)),
    ),
  ];
}

/** Whether writing `carried` puts `stored` back as it is: same id, value, author and status, and no review of its own. */
const putBack = (stored: StoredMeasurement, carried: CarriedMeasurement | undefined) =>
  !!carried &&
  stored.review === null &&
  stored.status === carried.status &&
  stored.indicator === carried.indicator &&
  stored.date === carried.date &&
  stored.period === carried.period &&
  stored.value === carried.value &&
  stored.subgroup === carried.subgroup &&
  stored.note === carried.note &&
  stored.enteredBy.id === carried.enteredBy.id &&
  stored.enteredBy.name === carried.enteredBy.name;

/**
 * Why `viewer` may not have the import delete what the store holds (empty:
 * they may). The initiative's document is empty, but its store may still hold
 * values, settings and report links (everyone deleted the cards); the import
 * starts the store afresh. What the import writes back as it is (a retry of an
 * import whose document write failed after its store write) is not deleted.
 * - values, history included: no route deletes a value; taking one out of the
 *   record is rejecting it, `reviewMeasures`;
 * - an access level or data stewards it would change: `configureMeasures`;
 * - a baseline or target it would change: entering that indicator's values,
 *   under its stored settings (`measureRights`);
 * - report links: revoking them, `publishReport`.
 */
export async function storeRefusals(
  store: MeasureStore,
  initiativeId: string,
  viewer: MeasureViewer,
  imported: ImportedMeasures,
): Promise<string[]> {
  const [stored, values, links] = await Promise.all([
    store.settings(initiativeId),
    store.list(initiativeId, { history: true }),
    store.reportLinks(initiativeId),
  ]);
  const after = settingsAfter(imported);
  const carried = new Map(rowsOf(imported).map((r) => [r.id, r]));
  const deletesValues = values.some((row) => !putBack(row, carried.get(row.id)));
  let sight = false;
  let figures = false;
  for (const [indicator, before] of stored) {
    const next = after.get(indicator) ?? DEFAULT_SETTINGS;
    const rights = measureRights(viewer, before);
    if (!sameSight(before, next) && !rights.configure) sight = true;
    if (!sameFigures(before, next) && !rights.enter) figures = true;
  }
  return [
    ...(deletesValues && !can(viewer.role, 'reviewMeasures') ? [IMPORT_REFUSALS.storedValues] : []),
    ...(sight ? [IMPORT_REFUSALS.storedSettings] : []),
    ...(figures ? [IMPORT_REFUSALS.storedFigures] : []),
    ...(links.length > 0 && !can(viewer.role, 'publishReport') ? [IMPORT_REFUSALS.reportLinks] : []),
  ];
}

/** How many values an import carries (for its answer). */
export function importedValues(imported: ImportedMeasures): number {
  return [...imported.legacy, ...imported.carried].reduce((n, c) => n + c.rows.length, 0);
}
