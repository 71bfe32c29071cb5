/** Dates and reporting periods (machines/measures/periods.ts). */
import { describe, expect, it } from 'vitest';
import { dateProblem, FREQUENCIES, isRealDate, nextPeriod, periodLabel, periodOf, periodsBetween, today } from '../../../machines/measures/index.ts';

describe('dates', () => {
  it('a real calendar date, written YYYY-MM-DD', () => {
    for (const date of ['2024-02-29', '2000-02-29', '2023-12-31', '1900-01-01']) expect(isRealDate(date), date).toBe(true);
    for (const date of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01', '2024-00-10', '2024-01-00', '2024-2-29', '24-02-29', '2024/02/29', '2024-02-29T00:00', '', 'soon', '1899-12-31']) {
      expect(isRealDate(date), date).toBe(false);
    }
  });

  it('a measured value’s date is real and not in the future; today is fine', () => {
    expect(dateProblem('2026-03-02', '2026-03-02')).toBeNull();
    expect(dateProblem('2024-02-29', '2026-03-02')).toBeNull();
    expect(dateProblem('2026-03-03', '2026-03-02')).toBe('The date 2026-03-03 is in the future: record values once they are measured.');
    expect(dateProblem('2030-01-01', '2026-03-02')).toBe('The date 2030-01-01 is in the future: record values once they are measured.');
    expect(dateProblem('2023-02-29', '2026-03-02')).toBe('Write the date as YYYY-MM-DD, a real day ("2023-02-29" is not).');
    expect(dateProblem('31/12/2024', '2026-03-02')).toBe('Write the date as YYYY-MM-DD, a real day ("31/12/2024" is not).');
    expect(dateProblem('1850-06-30', '2026-03-02')).toBe('The date 1850-06-30 is before 1900: check the year.');
  });

  it('today is the UTC date of a time', () => {
    expect(today(Date.parse('2026-03-02T23:59:59.999Z'))).toBe('2026-03-02');
    expect(today(Date.parse('2026-03-03T00:00:00.000Z'))).toBe('2026-03-03');
  });
});

describe('periods', () => {
  it('a date’s period is the first day of its month, quarter or year', () => {
    const cases: [string, string, string, string][] = [
      // date, monthly, quarterly, yearly
      ['2024-01-01', '2024-01-01', '2024-01-01', '2024-01-01'],
      ['2024-03-31', '2024-03-01', '2024-01-01', '2024-01-01'],
      ['2024-04-01', '2024-04-01', '2024-04-01', '2024-01-01'],
      ['2024-05-17', '2024-05-01', '2024-04-01', '2024-01-01'],
      ['2024-09-30', '2024-09-01', '2024-07-01', '2024-01-01'],
      ['2024-10-01', '2024-10-01', '2024-10-01', '2024-01-01'],
      ['2024-12-31', '2024-12-01', '2024-10-01', '2024-01-01'],
    ];
    for (const [date, monthly, quarterly, yearly] of cases) {
      expect([periodOf(date, 'monthly'), periodOf(date, 'quarterly'), periodOf(date, 'yearly')], date).toEqual([monthly, quarterly, yearly]);
    }
  });

  it('a period is its own period', () => {
    for (const frequency of FREQUENCIES) {
      for (const date of ['2023-02-14', '2024-11-30']) {
        const period = periodOf(date, frequency);
        expect(periodOf(period, frequency)).toBe(period);
      }
    }
  });

  it('names periods as people do', () => {
    expect(periodLabel('2024-01-01', 'yearly')).toBe('2024');
    expect(periodLabel('2024-01-01', 'quarterly')).toBe('Q1 2024');
    expect(periodLabel('2024-04-01', 'quarterly')).toBe('Q2 2024');
    expect(periodLabel('2024-10-01', 'quarterly')).toBe('Q4 2024');
    expect(periodLabel('2024-05-01', 'monthly')).toBe('May 2024');
    expect(periodLabel('2024-12-01', 'monthly')).toBe('Dec 2024');
  });

  it('steps to the next period across the turn of a year', () => {
    expect(nextPeriod('2024-12-01', 'monthly')).toBe('2025-01-01');
    expect(nextPeriod('2024-10-01', 'quarterly')).toBe('2025-01-01');
    expect(nextPeriod('2024-01-01', 'yearly')).toBe('2025-01-01');
    expect(nextPeriod('2024-02-01', 'monthly')).toBe('2024-03-01');
  });

  it('lists the periods between two dates, both ends included', () => {
    expect(periodsBetween('2023-11-15', '2024-02-03', 'monthly')).toEqual(['2023-11-01', '2023-12-01', '2024-01-01', '2024-02-01']);
    expect(periodsBetween('2023-08-20', '2024-04-01', 'quarterly')).toEqual(['2023-07-01', '2023-10-01', '2024-01-01', '2024-04-01']);
    expect(periodsBetween('2021-06-30', '2024-01-01', 'yearly')).toEqual(['2021-01-01', '2022-01-01', '2023-01-01', '2024-01-01']);
    expect(periodsBetween('2024-05-02', '2024-05-30', 'monthly')).toEqual(['2024-05-01']);
    expect(periodsBetween('2025-01-01', '2024-01-01', 'yearly')).toEqual([]);
  });

  it('keeps at most `limit` periods, the latest', () => {
    expect(periodsBetween('2000-01-01', '2024-12-31', 'monthly')).toHaveLength(240);
    expect(periodsBetween('2000-01-01', '2024-12-31', 'monthly').at(-1)).toBe('2024-12-01');
    expect(periodsBetween('2000-01-01', '2024-12-31', 'yearly', 3)).toEqual(['2022-01-01', '2023-01-01', '2024-01-01']);
  });
});
