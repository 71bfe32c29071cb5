/** Reading a CSV of measurements (server/measures/csv.ts): RFC 4180, spreadsheet row numbers, structural refusals (a value read as a number: test/machines/measures/units.test.ts). */
import { describe, expect, it } from 'vitest';
import { parseMeasurementsCsv } from '../../server/measures/csv.ts';

const HEADER = 'indicator,date,value,subgroup,note';

const row = (line: number, indicator: string, date: string, value: string, subgroup = '', note = '') => ({
  line,
  indicator,
  date,
  value,
  subgroup,
  note,
});

describe('reading the rows', () => {
  it('reads each row under the header, numbered as a spreadsheet shows them', () => {
    const csv = [HEADER, 'Youth reporting alcohol use,2024-06-30,21.5,,', 'Youth reporting alcohol use,2024-06-30,18,North district,Smaller sample'].join('\n');
    expect(parseMeasurementsCsv(csv)).toEqual({
      rows: [
        row(2, 'Youth reporting alcohol use', '2024-06-30', '21.5'),
        row(3, 'Youth reporting alcohol use', '2024-06-30', '18', 'North district', 'Smaller sample'),
      ],
      issues: [],
    });
  });

  it('reads quoted values holding commas, doubled quotes and line breaks, and keeps the row numbers of the rows after', () => {
    const csv = [
      HEADER,
      '"Graduation rate, on time",2023-06-30,88,,"The ""new"" cohort',
      'counted twice, then corrected"',
      'ind-2,2023-06-30,"1e3","",""',
    ].join('\r\n');
    expect(parseMeasurementsCsv(csv)).toEqual({
      rows: [
        row(2, 'Graduation rate, on time', '2023-06-30', '88', '', 'The "new" cohort\r\ncounted twice, then corrected'),
        row(3, 'ind-2', '2023-06-30', '1e3'),
      ],
      issues: [],
    });
  });

  it('reads CRLF, LF and a lone CR alike, ignores a byte order mark and a trailing empty line', () => {
    const lf = `${HEADER}\nind-1,2024-01-31,1,,\nind-1,2024-02-29,2,,\n`;
    const expected = { rows: [row(2, 'ind-1', '2024-01-31', '1'), row(3, 'ind-1', '2024-02-29', '2')], issues: [] };
    expect(parseMeasurementsCsv(lf)).toEqual(expected);
    expect(parseMeasurementsCsv(`\uFEFF${lf.replaceAll('\n', '\r\n')}`)).toEqual(expected);
    expect(parseMeasurementsCsv(lf.replaceAll('\n', '\r'))).toEqual(expected);
  });

  it('skips blank rows (empty, or only commas) and keeps counting them', () => {
    const csv = `${HEADER}\n\nind-1,2024-01-31,1,,\n,,,,\nind-1,2024-02-29,2,,\n\n\n`;
    expect(parseMeasurementsCsv(csv).rows.map((r) => r.line)).toEqual([3, 5]);
  });

  it('trims spaces around values and column names, and takes the header in any case', () => {
    const csv = ' Indicator , DATE ,value,Subgroup,note\n ind-1 , 2024-01-31 , 12.5 , North , checked \n';
    expect(parseMeasurementsCsv(csv)).toEqual({ rows: [row(2, 'ind-1', '2024-01-31', '12.5', 'North', 'checked')], issues: [] });
  });

  it('takes a file without the optional subgroup and note columns', () => {
    expect(parseMeasurementsCsv('indicator,date,value\nind-1,2024-01-31,3\n')).toEqual({ rows: [row(2, 'ind-1', '2024-01-31', '3')], issues: [] });
    expect(parseMeasurementsCsv('indicator,date,value,note\nind-1,2024-01-31,3,why\n').rows).toEqual([row(2, 'ind-1', '2024-01-31', '3', '', 'why')]);
  });

  it('reads 10,000 rows, keeping every one in order', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `ind-${i % 100},${2000 + (i % 20)}-06-30,${i / 4},${i % 2 ? '"District, north"' : ''},"row ${i}"`);
    const parsed = parseMeasurementsCsv([HEADER, ...lines].join('\r\n'));
    expect(parsed.issues).toEqual([]);
    expect(parsed.rows).toHaveLength(10_000);
    expect(parsed.rows[9_999]).toEqual(row(10_001, 'ind-99', '2019-06-30', '2499.75', 'District, north', 'row 9999'));
    expect(parsed.rows.every((r, i) => r.note === `row ${i}` && r.line === i + 2)).toBe(true);
  });
});

describe('refusing what cannot be read', () => {
  it('an empty file', () => {
    for (const text of ['', '\uFEFF', '\n\n', ',,,,\n']) {
      expect(parseMeasurementsCsv(text)).toEqual({
        rows: [],
        issues: [{ row: 1, field: 'file', message: `The file is empty: its first row is the header ${HEADER}.` }],
      });
    }
  });

  it('a header without values below it', () => {
    expect(parseMeasurementsCsv(`${HEADER}\n\n`).issues).toEqual([{ row: 2, field: 'file', message: 'The file has no values below its header.' }]);
  });

  it('names each missing required column', () => {
    expect(parseMeasurementsCsv('indicator,subgroup\nind-1,North\n')).toEqual({
      rows: [],
      issues: [
        { row: 1, field: 'date', message: `The column “date” is missing: the header is ${HEADER}.` },
        { row: 1, field: 'value', message: `The column “value” is missing: the header is ${HEADER}.` },
      ],
    });
  });

  it('names an unknown, an empty and a repeated column', () => {
    expect(parseMeasurementsCsv('indicator,date,value,Unit,,value\nind-1,2024-01-31,3,%,,3\n').issues).toEqual([
      { row: 1, field: 'file', message: `Unknown column “Unit”: the header is ${HEADER}.` },
      { row: 1, field: 'file', message: `The header has an empty column name: the header is ${HEADER}.` },
      { row: 1, field: 'value', message: 'The column “value” appears twice.' },
    ]);
  });

  it('names columns out of order, and a file whose first row is values, not the header', () => {
    expect(parseMeasurementsCsv('date,indicator,value,subgroup,note\n2024-01-31,ind-1,3,,\n').issues).toEqual([
      { row: 1, field: 'file', message: `The columns are out of order (date, indicator, value, subgroup, note): the header is ${HEADER}.` },
    ]);
    const issues = parseMeasurementsCsv('ind-1,2024-01-31,3,,\n').issues;
    expect(issues[0]).toEqual({ row: 1, field: 'file', message: `Unknown column “ind-1”: the header is ${HEADER}.` });
    expect(issues.map((i) => i.field)).toEqual(['file', 'file', 'file', 'file', 'file', 'indicator', 'date', 'value']);
  });

  it('names every row with too many or too few values, and reads the others', () => {
    const csv = [HEADER, 'ind-1,2024-01-31,12,5,,', 'ind-1,2024-02-29,3,,', 'ind-1,2024-03-31', 'ind-1,2024-04-30,4,,'].join('\n');
    const parsed = parseMeasurementsCsv(csv);
    expect(parsed.issues).toEqual([
      {
        row: 2,
        field: 'row',
        message: 'This row has 6 values, the header 5 columns (indicator, date, value, subgroup, note): a value holding a comma goes in quotes.',
      },
      {
        row: 4,
        field: 'row',
        message: 'This row has 2 values, the header 5 columns (indicator, date, value, subgroup, note): a value holding a comma goes in quotes.',
      },
    ]);
    expect(parsed.rows.map((r) => r.line)).toEqual([3, 5]);
  });

  it('a quote never closed, named at the row it opens in (rows spanning lines counted once)', () => {
    const csv = [HEADER, 'ind-1,2024-01-31,1,,"two', 'lines"', 'ind-1,2024-02-29,2,,"never closed', 'ind-1,2024-03-31,3,,'].join('\n');
    const parsed = parseMeasurementsCsv(csv);
    expect(parsed.issues).toEqual([
      { row: 3, field: 'row', message: 'A quote (") opens a value that is never closed: close it, or double a quote inside a value ("").' },
    ]);
    expect(parsed.rows).toEqual([row(2, 'ind-1', '2024-01-31', '1', '', 'two\nlines')]);
  });

  it('text after a closing quote', () => {
    const parsed = parseMeasurementsCsv(`${HEADER}\n"ind-1" x,2024-01-31,1,,\nind-1,2024-02-29,2,,\n`);
    expect(parsed.issues).toEqual([
      { row: 2, field: 'row', message: 'Text follows a closing quote: put the whole value in quotes, and double any quote inside it ("").' },
    ]);
    expect(parsed.rows.map((r) => r.line)).toEqual([3]);
  });

  it('a quote inside an unquoted value is read as it stands', () => {
    expect(parseMeasurementsCsv(`${HEADER}\nind-1,2024-01-31,1,,the 5" sample\n`).rows[0].note).toBe('the 5" sample');
  });
});
