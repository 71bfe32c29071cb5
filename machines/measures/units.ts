/**
 * What an indicator's values are counted in, and which values make sense for
 * each unit. The indicator's `unit` field holds one of UNIT_KINDS or, for
 * anything else, a custom label ("visits", "tonnes"): a custom unit takes any
 * finite number.
 */
export const UNIT_KINDS = ['percent', 'count', 'rate', 'currency', 'score'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_LABELS: Record<UnitKind, string> = {
  percent: 'Percent',
  count: 'Count',
  rate: 'Rate per 1,000',
  currency: 'Currency',
  score: 'Score',
};

/** How a value is written after its number: "24 %", "3.1 per 1,000". */
const SUFFIX: Record<UnitKind, string> = { percent: ' %', count: '', rate: ' per 1,000', currency: '', score: '' };

/** Units written before this model (free text): how the migration reads them. */
const LEGACY: Record<string, UnitKind> = {
  '%': 'percent',
  percent: 'percent',
  percentage: 'percent',
  count: 'count',
  number: 'count',
  '#': 'count',
  'per 1,000': 'rate',
  'per 1000': 'rate',
  'rate per 1,000': 'rate',
  score: 'score',
  currency: 'currency',
};

/** The unit kind of a stored `unit`, or null for a custom label (or none). */
export function unitKind(unit: string): UnitKind | null {
  return (UNIT_KINDS as readonly string[]).includes(unit) ? (unit as UnitKind) : null;
}

/** A unit as it was typed before units had kinds ("%") → its kind, or the text kept as a custom label. */
export function normaliseUnit(unit: string): string {
  const trimmed = unit.trim();
  const lower = trimmed.toLowerCase();
  return LEGACY[lower] ?? unitKind(lower) ?? trimmed;
}

/** The unit's name for people: "Percent", "Rate per 1,000", or the custom label. */
export function unitLabel(unit: string): string {
  const kind = unitKind(unit);
  return kind ? UNIT_LABELS[kind] : unit;
}

/** "24 %", "1,250", "3.1 per 1,000", "12 visits". */
export function formatValue(value: number, unit: string): string {
  const kind = unitKind(unit);
  const digits = kind === 'count' ? 0 : 2;
  const number = value.toLocaleString('en-GB', { maximumFractionDigits: digits });
  if (kind) return `${number}${SUFFIX[kind]}`;
  return unit ? `${number} ${unit}` : number;
}

/**
 * Why `value` cannot be a value of an indicator counted in `unit`, in words a
 * partner understands, or null when it can: a percent lies within 0 to 100, a
 * count is a whole number at least 0, a rate per 1,000 is at least 0 (and at
 * most 1,000), and every value is a finite number.
 */
export function valueProblem(value: number, unit: string): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'Enter a number.';
  switch (unitKind(unit)) {
    case 'percent':
      return value < 0 || value > 100 ? `A percent lies between 0 and 100 (${value} given).` : null;
    case 'count':
      return !Number.isInteger(value) || value < 0 ? `A count is a whole number, 0 or more (${value} given).` : null;
    case 'rate':
      return value < 0 || value > 1000 ? `A rate per 1,000 lies between 0 and 1,000 (${value} given).` : null;
    default:
      return null;
  }
}

/**
 * A plain decimal number: an optional sign, digits with a point for decimals,
 * an optional exponent ("12.5", "-3", ".5", "1e3"). No thousands separators,
 * decimal commas, units or spaces inside: "1,250" could be 1.25 or 1250.
 */
const NUMBER = /^[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/**
 * The number a typed value writes, or why it is none: the one rule for a
 * value typed in the entry grid, the indicator settings and a CSV file's
 * `value` column, so each says the same sentence.
 */
export function readNumber(text: string): { value: number } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { problem: 'Enter a number: the value is empty.' };
  if (/^[-+]?\d+,\d+$/.test(trimmed)) {
    return { problem: `Enter a number with a point for decimals and no thousands separator (“${trimmed}” has a comma).` };
  }
  if (!NUMBER.test(trimmed)) return { problem: `Enter a number (“${trimmed}” is not one).` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { problem: `Enter a number (“${trimmed}” is too large).` };
  return { value };
}
