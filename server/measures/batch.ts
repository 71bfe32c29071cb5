/**
 * Checking a batch of values against the board's indicators (docs/measures.md
 * "Entering values"): each row names an indicator on the framework board (by
 * id, or by name with case and spaces aside), a real date not in the future, a
 * value that makes sense for the indicator's unit, a subgroup the indicator is
 * broken down by (or none), and a note of bounded length. Every failing row is
 * named, with its column and reason, so the whole batch can be corrected at
 * once; nothing is written unless every row passes. Pure: the service
 * (./service.ts) reads the board and the clock and writes what passes.
 */
import type { IndicatorEntity } from '../../machines/entities.ts';
import { dateProblem, periodOf } from '../../machines/measures/periods.ts';
import { readNumber, valueProblem } from '../../machines/measures/units.ts';
import { CSV_COLUMNS, MEASURE_LIMITS, MEASURE_REFUSALS, MeasurementInput, type RowIssue } from '../../src/contract/index.ts';
import type { NewMeasurement } from './types.ts';

/** An indicator as the framework board defines it (the shared document's part of it). */
export type BoardIndicator = Omit<IndicatorEntity, 'kind'>;

/** One row as sent: its number (the CSV line, or the JSON index + 1) and its fields, not yet checked. */
export interface SentRow {
  row: number;
  fields: unknown;
}

/** A row that passed, ready for the store, with the indicator it names. */
export interface CheckedRow {
  row: number;
  indicator: BoardIndicator;
  measurement: NewMeasurement;
}

/** Lower-cased, with runs of spaces made one: how names are compared. */
export function nameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** Finds indicators by id, or by name (case and spaces aside); a name two indicators share is ambiguous. */
export class IndicatorIndex {
  private readonly byId = new Map<string, BoardIndicator>();
  private readonly byName = new Map<string, BoardIndicator[]>();

  constructor(readonly indicators: readonly BoardIndicator[]) {
    for (const indicator of indicators) {
      this.byId.set(indicator.id, indicator);
      const key = nameKey(indicator.name);
      this.byName.set(key, [...(this.byName.get(key) ?? []), indicator]);
    }
  }

  get(id: string): BoardIndicator | undefined {
    return this.byId.get(id);
  }

  /** The indicator `ref` names, or the sentence saying why there is not exactly one. */
  find(ref: string): BoardIndicator | string {
    const byId = this.byId.get(ref.trim());
    if (byId) return byId;
    const named = this.byName.get(nameKey(ref)) ?? [];
    if (named.length === 1) return named[0];
    if (named.length === 0) return MEASURE_REFUSALS.noIndicator(ref.trim());
    return `${named.length} indicators are named “${ref.trim()}”: use the indicator’s id (${named.map((i) => i.id).join(', ')}).`;
  }
}

const FIELDS = new Set<string>(CSV_COLUMNS);

/**
 * Checks every row against the board (`index`) on `todayDate`: answers the rows
 * that passed and an issue for each failing field of each row.
 */
export function checkRows(rows: readonly SentRow[], index: IndicatorIndex, todayDate: string): { checked: CheckedRow[]; issues: RowIssue[] } {
  const checked: CheckedRow[] = [];
  const issues: RowIssue[] = [];
  for (const { row, fields } of rows) {
    const before = issues.length;
    const issue = (field: RowIssue['field'], message: string) => issues.push({ row, field, message });
    if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
      issue('row', 'Each value is an object: { indicator, date, value, subgroup?, note? }.');
      continue;
    }
    const parsed = MeasurementInput.safeParse(fields);
    if (!parsed.success) {
      // Each field once, with its first reason; unknown keys are ignored as zod does.
      const seen = new Set<string>();
      for (const failure of parsed.error.issues) {
        const field = String(failure.path[0] ?? 'row');
        if (seen.has(field)) continue;
        seen.add(field);
        issue(FIELDS.has(field) ? (field as RowIssue['field']) : 'row', reason(field, (fields as Record<string, unknown>)[field], failure.message));
      }
    }
    const input = fields as Record<string, unknown>;
    // The indicator decides the unit, period and subgroups: look it up even when other fields failed.
    const ref = typeof input.indicator === 'string' ? input.indicator.trim() : '';
    const found = ref ? index.find(ref) : undefined;
    if (typeof found === 'string') issue('indicator', found);
    const indicator = typeof found === 'object' ? found : undefined;
    const date = typeof input.date === 'string' ? input.date.trim() : null;
    if (date !== null) {
      const problem = dateProblem(date, todayDate);
      if (problem) issue('date', problem);
    }
    const value = input.value;
    if (indicator && typeof value === 'number' && Number.isFinite(value)) {
      const problem = valueProblem(value, indicator.unit);
      if (problem) issue('value', problem);
    }
    const subgroup = typeof input.subgroup === 'string' ? input.subgroup.trim() : '';
    let canonical: string | null = null;
    if (indicator && subgroup !== '' && subgroup.length <= MEASURE_LIMITS.subgroupMax) {
      canonical = indicator.subgroups.find((s) => nameKey(s) === nameKey(subgroup)) ?? null;
      if (canonical === null) issue('subgroup', subgroupProblem(subgroup, indicator));
    }
    if (issues.length > before || !parsed.success || !indicator || date === null) continue;
    checked.push({
      row,
      indicator,
      measurement: {
        indicator: indicator.id,
        date,
        period: periodOf(date, indicator.frequency),
        value: parsed.data.value,
        subgroup: canonical,
        note: parsed.data.note ? parsed.data.note : null,
      },
    });
  }
  return { checked, issues };
}

/** What a field needs, when it is missing or not even of the right type. */
const MISSING: Record<string, string> = {
  indicator: 'Name the indicator (its name as on the board, or its id).',
  date: 'Give the date the value holds for, as YYYY-MM-DD.',
  value: 'Enter a number.',
  subgroup: 'Write the subgroup as text, or leave it out.',
  note: 'Write the note as text, or leave it out.',
};

/** The reason a field failed: zod's sentence (from the contract) for a wrong value, ours for a missing one or text where a number goes. */
function reason(field: string, given: unknown, fallback: string): string {
  if (field === 'value' && typeof given === 'string') {
    // A CSV value that reads as no number (CSV values that do arrive as numbers), or JSON text where a number goes.
    const read = readNumber(given);
    return 'problem' in read ? read.problem : `Send the value as a number, not as text (“${given.trim()}”).`;
  }
  const expected = field === 'value' ? 'number' : 'string';
  if (field in MISSING && typeof given !== expected) return MISSING[field];
  return fallback;
}

function subgroupProblem(subgroup: string, indicator: BoardIndicator): string {
  if (indicator.subgroups.length === 0) {
    return `“${indicator.name}” is not broken down by subgroup: leave the subgroup empty for the whole population (“${subgroup}” given).`;
  }
  return `“${subgroup}” is not a subgroup of “${indicator.name}”: use one of ${indicator.subgroups.map((s) => `“${s}”`).join(', ')}, or leave it empty for the whole population.`;
}
