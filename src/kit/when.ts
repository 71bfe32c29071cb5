/** Dates and times as the screens write them (British English, the browser's time zone). */

// One formatter each, made once: toLocaleDateString with options builds a new one per call,
// which costs a third of a second over the 200 rows of a portfolio (bench/portfolioRender.ts).
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric' });
const DAY_THIS_YEAR = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short' });
const TIME = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit' });

/** "9 Dec 2026": a day, for expiry dates. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return DAY.format(date);
}

/** "2 Dec 10:14": a moment this year, for records; the year is added for other years. */
export function formatMoment(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = (date.getFullYear() === now.getFullYear() ? DAY_THIS_YEAR : DAY).format(date);
  return `${day} ${TIME.format(date)}`;
}
