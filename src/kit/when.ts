/** Dates and times as the screens write them (British English, the browser's time zone). */

// A day is written by hand, as en-GB's Intl writes it ("9 Dec 2026", "3 Sept 2026"): making an
// Intl.DateTimeFormat loads the locale's data, tens of milliseconds on the first page that shows a
// day (the portfolio's 200 rows, bench/portfolioRender.ts). test/kit/when.test.ts checks the two agree.
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

/** The formatters of moments, made once, when first needed. */
let moments: { dayThisYear: Intl.DateTimeFormat; time: Intl.DateTimeFormat } | null = null;
function momentFormats() {
  moments ??= {
    dayThisYear: new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' }),
    time: new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' }),
  };
  return moments;
}

/** "9 Dec 2026": a day, for expiry dates. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}`;
}

/** "2 Dec 10:14": a moment this year, for records; the year is added for other years. */
export function formatMoment(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const formats = momentFormats();
  const day = date.getFullYear() === now.getFullYear() ? formats.dayThisYear.format(date) : formatDay(iso);
  return `${day} ${formats.time.format(date)}`;
}
