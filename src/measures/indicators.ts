/**
 * What the measures screens read of an indicator card on the framework board
 * (its name, definition, unit, direction, frequency and subgroups; the values
 * are on the server), and how figures and typed values are read and written.
 */
import type { IndicatorEntity, InitiativeModel } from '../../machines/entities.ts';

/** An indicator as the board keeps it: the document's entity, without its kind. */
export type IndicatorInfo = Omit<IndicatorEntity, 'kind'>;

/** The framework board's indicators, in the board's order. */
export function indicatorsOf(model: InitiativeModel): IndicatorInfo[] {
  return model.entities.indicator.map(({ kind: _kind, ...indicator }) => ({
    ...indicator,
    name: indicator.name.trim() || 'Untitled indicator',
    subgroups: indicator.subgroups.filter((s) => s.trim() !== ''),
  }));
}

/** A difference with its sign: "+2.5", "−1", "0". */
export function signed(difference: number, digits = 2): string {
  const rounded = Number(difference.toFixed(digits));
  const text = Math.abs(rounded).toLocaleString('en-GB', { maximumFractionDigits: digits });
  return rounded > 0 ? `+${text}` : rounded < 0 ? `−${text}` : text;
}

/**
 * What a value typed in a cell means: null for nothing typed, NaN for what is
 * not a number. "1,250" is a thousand and more; "41,2" is 41.2.
 */
export function readNumber(text: string): number | null {
  const trimmed = text.trim().replace(/\s/g, '');
  if (trimmed === '') return null;
  let normal = trimmed;
  if (/^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(trimmed)) normal = trimmed.replace(/,/g, '');
  else if (/^-?\d+,\d+$/.test(trimmed)) normal = trimmed.replace(',', '.');
  return /^-?(\d+\.?\d*|\.\d+)$/.test(normal) ? Number(normal) : Number.NaN;
}
