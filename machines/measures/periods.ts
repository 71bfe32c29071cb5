/**
 * Reporting periods. A measurement is dated; the period it reports on follows
 * from the indicator's frequency: the month, quarter or year the date falls
 * in, named by the period's first day. Two measurements of one indicator and
 * subgroup in one period are one value and its replacement.
 */
export const FREQUENCIES = ['monthly', 'quarterly', 'yearly'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const FREQUENCY_LABELS: Record<Frequency, string> = { monthly: 'Monthly', quarterly: 'Quarterly', yearly: 'Yearly' };

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `date` is a real calendar date written YYYY-MM-DD (not 2023-02-30). */
export function isRealDate(date: string): boolean {
  const match = DATE.exec(date);
  if (!match) return false;
  const [, y, m, d] = match.map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d && y >= 1900;
}

/** Today's date (UTC) at `now` ms, YYYY-MM-DD. */
export function today(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/**
 * Why `date` cannot date a measurement on `todayDate`, or null: it must be a
 * real date and not in the future.
 */
export function dateProblem(date: string, todayDate: string): string | null {
  if (!isRealDate(date)) {
    const year = DATE.exec(date)?.[1];
    return year !== undefined && Number(year) < 1900
      ? `The date ${date} is before 1900: check the year.`
      : `Write the date as YYYY-MM-DD, a real day ("${date}" is not).`;
  }
  if (date > todayDate) return `The date ${date} is in the future: record values once they are measured.`;
  return null;
}

/** The first day of the period `date` falls in: 2024-05-17 → 2024-05-01 (monthly), 2024-04-01 (quarterly), 2024-01-01 (yearly). */
export function periodOf(date: string, frequency: Frequency): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  if (frequency === 'yearly') return `${year}-01-01`;
  if (frequency === 'monthly') return `${date.slice(0, 7)}-01`;
  const first = Math.floor((month - 1) / 3) * 3 + 1;
  return `${year}-${String(first).padStart(2, '0')}-01`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** How a period is named for people: "2024", "Q2 2024", "May 2024". */
export function periodLabel(period: string, frequency: Frequency): string {
  const year = period.slice(0, 4);
  const month = Number(period.slice(5, 7));
  if (frequency === 'yearly') return year;
  if (frequency === 'quarterly') return `Q${Math.floor((month - 1) / 3) + 1} ${year}`;
  return `${MONTHS[month - 1]} ${year}`;
}

/** The period after `period`. */
export function nextPeriod(period: string, frequency: Frequency): string {
  const year = Number(period.slice(0, 4));
  const month = Number(period.slice(5, 7));
  const step = frequency === 'yearly' ? 12 : frequency === 'quarterly' ? 3 : 1;
  const index = year * 12 + (month - 1) + step;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

/**
 * The periods from the one `from` falls in to the one `to` falls in, oldest
 * first (the rows of an entry grid). At most `limit` periods, the latest kept.
 */
export function periodsBetween(from: string, to: string, frequency: Frequency, limit = 240): string[] {
  const last = periodOf(to, frequency);
  const periods: string[] = [];
  for (let p = periodOf(from, frequency); p <= last; p = nextPeriod(p, frequency)) periods.push(p);
  return periods.slice(-limit);
}
