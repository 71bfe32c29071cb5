/** Days written by hand (src/kit/when.ts) read exactly as the platform's en-GB Intl writes them. */
import { describe, expect, it } from 'vitest';
import { formatDay, formatMoment } from '../../src/kit/when.ts';

const intlDay = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });

describe('formatDay', () => {
  it("writes every month's days as en-GB's Intl does", () => {
    for (let month = 0; month < 12; month++) {
      for (const day of [1, 9, 28]) {
        const date = new Date(2026, month, day, 12);
        expect(formatDay(date.toISOString())).toBe(intlDay.format(date));
      }
    }
    expect(formatDay('2026-09-03T10:00:00')).toBe('3 Sept 2026');
  });

  it('gives back what is not a date as it came', () => {
    expect(formatDay('soon')).toBe('soon');
  });
});

describe('formatMoment', () => {
  it('adds the year for another year, as a day is written', () => {
    const now = new Date(2026, 11, 1, 12);
    expect(formatMoment(new Date(2025, 8, 3, 9, 5).toISOString(), now)).toBe('3 Sept 2025 09:05');
    expect(formatMoment(new Date(2026, 1, 2, 10, 14).toISOString(), now)).toBe('2 Feb 10:14');
  });
});
