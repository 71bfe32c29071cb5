/**
 * The portfolio as CSV, built in the browser from the rows the dashboard shows
 * (filters and order as on screen). Every cell is quoted; a cell that a
 * spreadsheet would run as a formula (starting with = + - @, or a tab or
 * carriage return) gets a leading apostrophe, so a name like `=HYPERLINK(…)`
 * stays text.
 */
import { STAGE_LABELS } from '../../machines/stages.ts';
import type { ShownRow } from './rows.ts';
import { monthsSince } from './rows.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: quoted, quotes doubled, formula starts neutralised. */
export function csvCell(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export const CSV_COLUMNS = [
  'Initiative',
  'Initiative id',
  'Under',
  'Stage',
  'Steps met',
  'Steps in total',
  'In stage since',
  'Months in stage',
  'Estimate min months',
  'Estimate max months',
  'Report card year',
  'Share trending right',
  'Share the year before',
  'Unmet conditions',
  'Last workshop',
  'Last workshop date',
  'Attended',
  'Last activity',
  'Initiatives below',
  'Share trending right below',
] as const;

const share = (value: number | null | undefined) => (value === null || value === undefined ? null : value.toFixed(2));

/** The CSV text (CRLF line ends, as RFC 4180 says) of `shown`, a header line first. */
export function portfolioCsv(shown: readonly ShownRow[], now: number): string {
  const lines = [CSV_COLUMNS.map(csvCell).join(',')];
  for (const { row, parentName, rollUp } of shown) {
    const card = row.reportCard;
    const cells: (string | number | null)[] = [
      row.name,
      row.id,
      parentName,
      STAGE_LABELS[row.stage],
      row.progress.met,
      row.progress.total,
      row.stageSince,
      monthsSince(row.stageSince, now),
      row.estimate.answered ? row.estimate.minMonths : null,
      row.estimate.answered ? row.estimate.maxMonths : null,
      card?.year ?? null,
      share(card?.share),
      share(card?.previousShare),
      row.unmet,
      row.lastWorkshop?.title ?? null,
      row.lastWorkshop?.date ?? null,
      row.lastWorkshop?.attended ?? null,
      row.lastActivityAt,
      rollUp?.below ?? null,
      share(rollUp?.share),
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
