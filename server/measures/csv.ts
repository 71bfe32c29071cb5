/**
 * Reading a CSV of measurements (docs/api.md "Shared measurement"): RFC 4180
 * (fields in double quotes may hold commas, line breaks and doubled quotes;
 * lines end in CRLF or LF), a leading byte order mark ignored, blank rows skipped.
 *
 * The header names the columns CSV_COLUMNS, in that order: `indicator`,
 * `date` and `value` are required, `subgroup` and `note` may be left out
 * (case and spaces around a name aside). Rows are numbered as a spreadsheet
 * shows them: the header is row 1, and a quoted value spanning lines stays
 * in its row. Fields come back trimmed; checking them against the board's
 * indicators is the service's work, this only finds what makes the file
 * unreadable: a wrong header, a row with too many or too few fields, a quote
 * never closed or followed by text.
 */
import { CSV_COLUMNS, type RowIssue } from '../../src/contract/measureAccess.ts';

type Column = (typeof CSV_COLUMNS)[number];

/** One row of values, as text. */
export interface CsvMeasurementRow {
  /** Its row in a spreadsheet (the header is row 1). */
  line: number;
  indicator: string;
  date: string;
  /** As written; readNumber() (machines/measures/units.ts) reads it. */
  value: string;
  /** '' when the column is left out or empty. */
  subgroup: string;
  note: string;
}

export interface ParsedCsv {
  rows: CsvMeasurementRow[];
  /** What makes the file unreadable; when any, `rows` holds only the rows read before the first one that could not be. */
  issues: RowIssue[];
}

const REQUIRED: readonly Column[] = ['indicator', 'date', 'value'];
const HEADER = CSV_COLUMNS.join(',');

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** One record of the file (a row of the spreadsheet): its fields, and any problem reading it. */
interface CsvRecord {
  fields: string[];
  problem: string | null;
}

/**
 * Splits `text` into records. Stops at a quote never closed (the rest of the
 * file would be one value), answering it as the last record's problem.
 */
function records(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n) {
    const fields: string[] = [];
    let problem: string | null = null;
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === QUOTE) {
        // A quoted field: up to the next quote not doubled.
        let value = '';
        let from = i + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1) {
            out.push({ fields, problem: 'A quote (") opens a value that is never closed: close it, or double a quote inside a value ("").' });
            return out;
          }
          value += text.slice(from, close);
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += '"';
            from = close + 2;
          } else {
            i = close + 1;
            break;
          }
        }
        const c = text.charCodeAt(i);
        if (i < n && c !== COMMA && c !== LF && c !== CR) {
          problem ??= 'Text follows a closing quote: put the whole value in quotes, and double any quote inside it ("").';
          // Read on to the end of the field, so the next field is found.
          while (i < n && text.charCodeAt(i) !== COMMA && text.charCodeAt(i) !== LF && text.charCodeAt(i) !== CR) i++;
        }
        field = value;
      } else {
        const start = i;
        while (i < n) {
          const c = text.charCodeAt(i);
          if (c === COMMA || c === LF || c === CR) break;
          i++;
        }
        field = text.slice(start, i);
      }
      fields.push(field.trim());
      const c = text.charCodeAt(i);
      if (i < n && c === COMMA) {
        i++;
        continue;
      }
      // End of the record: CRLF, LF, a lone CR, or the end of the text.
      if (c === CR && text.charCodeAt(i + 1) === LF) i += 2;
      else if (i < n) i++;
      break;
    }
    out.push({ fields, problem });
  }
  return out;
}

function headerIssues(names: readonly string[], row: number): { issues: RowIssue[]; columns: Column[] } {
  const issues: RowIssue[] = [];
  const columns: Column[] = [];
  const seen = new Set<string>();
  const known = CSV_COLUMNS as readonly string[];
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (name === '') {
      issues.push({ row, field: 'file', message: `The header has an empty column name: the header is ${HEADER}.` });
    } else if (!known.includes(name)) {
      issues.push({ row, field: 'file', message: `Unknown column “${raw}”: the header is ${HEADER}.` });
    } else if (seen.has(name)) {
      issues.push({ row, field: name as Column, message: `The column “${name}” appears twice.` });
    } else {
      seen.add(name);
      columns.push(name as Column);
    }
  }
  for (const column of REQUIRED) {
    if (!seen.has(column)) issues.push({ row, field: column, message: `The column “${column}” is missing: the header is ${HEADER}.` });
  }
  const order = columns.map((c) => known.indexOf(c));
  if (order.some((o, k) => k > 0 && o < order[k - 1])) {
    issues.push({
      row,
      field: 'file',
      message: `The columns are out of order (${columns.join(', ')}): the header is ${HEADER}.`,
    });
  }
  return { issues, columns };
}

/** Reads a CSV of measurements: its rows, or what makes the file unreadable (every such row named). */
export function parseMeasurementsCsv(text: string): ParsedCsv {
  const all = records(text);
  const blank = (r: CsvRecord) => r.problem === null && r.fields.every((f) => f === '');
  const headerAt = all.findIndex((r) => !blank(r));
  if (headerAt === -1) {
    return { rows: [], issues: [{ row: 1, field: 'file', message: `The file is empty: its first row is the header ${HEADER}.` }] };
  }
  const header = all[headerAt];
  const { issues, columns } = headerIssues(header.fields, headerAt + 1);
  if (header.problem) issues.push({ row: headerAt + 1, field: 'row', message: header.problem });
  if (issues.length > 0) return { rows: [], issues };

  const rows: CsvMeasurementRow[] = [];
  for (let r = headerAt + 1; r < all.length; r++) {
    const record = all[r];
    const line = r + 1;
    if (blank(record)) continue;
    if (record.problem) {
      issues.push({ row: line, field: 'row', message: record.problem });
      continue;
    }
    if (record.fields.length !== columns.length) {
      issues.push({
        row: line,
        field: 'row',
        message: `This row has ${record.fields.length} ${record.fields.length === 1 ? 'value' : 'values'}, the header ${columns.length} columns (${columns.join(', ')}): a value holding a comma goes in quotes.`,
      });
      continue;
    }
    const row: CsvMeasurementRow = { line, indicator: '', date: '', value: '', subgroup: '', note: '' };
    columns.forEach((column, k) => {
      row[column] = record.fields[k];
    });
    // PostgreSQL's text cannot hold a NUL, and no value needs one (as every JSON body, server/http/nul.ts).
    const withNul = columns.filter((column) => row[column].includes('\u0000'));
    for (const column of withNul) {
      issues.push({ row: line, field: column, message: `The ${column} holds a NUL character (U+0000), which is not allowed in text: remove it and send the file again.` });
    }
    if (withNul.length === 0) rows.push(row);
  }
  if (rows.length === 0 && issues.length === 0) {
    issues.push({ row: headerAt + 2, field: 'file', message: 'The file has no values below its header.' });
  }
  return { rows, issues };
}
