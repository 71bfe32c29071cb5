/** How the workshop screens write times: the timer, clock times, durations. */

/** A countdown as "m:ss" (or "h:mm:ss"), rounded up: it reads 0:00 only at zero. */
export function countdown(ms: number): string {
  const total = Math.ceil(Math.max(0, ms) / 1000);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

const TIME = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const DAY = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** "09:30" for a time (ms or ISO); "" without one. */
export function clockTime(at: number | string | null | undefined): string {
  if (at === null || at === undefined) return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : TIME.format(date);
}

/** "Thu, 3 Dec 2026, 09:30". */
export function dayAndTime(at: string | null): string {
  if (!at) return '';
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? '' : `${DAY.format(date)}, ${TIME.format(date)}`;
}

export const minutesWords = (n: number) => `${n} ${n === 1 ? 'minute' : 'minutes'}`;

/** "12 min" from ms spent, for actual times. */
export function spent(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return minutes < 1 && ms > 0 ? 'under a minute' : minutesWords(minutes);
}

/** A `datetime-local` field's value (local time, no offset) as ISO with this browser's offset. */
export function localToIso(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return undefined;
  const offset = -date.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, '0');
  return `${value.length === 16 ? `${value}:00` : value}${sign}${pad(offset / 60)}:${pad(offset % 60)}`;
}

/** "+1:30": how long after the start, for an agenda without a date. */
export function afterStart(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  return `+${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
