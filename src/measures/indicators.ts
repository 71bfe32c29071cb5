/**
 * What the measures screens read of an indicator card on the framework board
 * (its name, definition, unit, direction, frequency and subgroups; the values
 * are on the server), how a change is written and a refused batch read (a typed value is read by readNumber,
 * machines/measures/units.ts, the rule a CSV file's values follow too).
 */
import type { IndicatorEntity, InitiativeModel } from '../../machines/entities.ts';
import type { RowIssue } from '../contract/measureAccess.ts';
import { ApiError } from '../kit/api.ts';
import { messageOf } from './ReportLinks.tsx';

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

/** The first row's sentence of a refused batch, or the refusal itself. */
export function rowMessage(problem: unknown): string {
  const issues = rowIssuesOf(problem);
  return issues[0]?.message ?? messageOf(problem);
}

/** The row issues a refused batch carries (400, 409), read defensively. */
export function rowIssuesOf(problem: unknown): RowIssue[] {
  if (!(problem instanceof ApiError)) return [];
  return (problem.issues as unknown[]).filter(
    (i): i is RowIssue =>
      !!i &&
      typeof i === 'object' &&
      typeof (i as RowIssue).row === 'number' &&
      typeof (i as RowIssue).message === 'string',
  );
}
