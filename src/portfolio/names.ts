/**
 * Names in order without waking the browser's collator. The first
 * `localeCompare` in a page loads ICU's collation data: 50–200 ms of the
 * renderer's main thread measured in Chromium, on the dashboard's first paint
 * (the tree's siblings are sorted by name). Names made only of ASCII letters,
 * digits, spaces and common punctuation are compared here in the very order of
 * the root collation that `localeCompare` applies (checked against it in
 * test/portfolio/names.test.ts): letters without regard to case first, then
 * lower case before upper case; punctuation before digits before letters. Any
 * other name (an accent, another script) goes to `localeCompare`.
 *
 * One caveat (docs/performance.md, "The portfolio dashboard"): a few languages' own orders of
 * plain ASCII letters (Danish "aa", Lithuanian "y") are not applied to these
 * names; the server's tree order (Node's root collation) does not apply them either.
 */

/** The root collation's order of the ASCII characters it compares here (upper case takes its lower case's place). */
export const COLLATION_ORDER = " _-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$0123456789abcdefghijklmnopqrstuvwxyz";

/** Rank + 1 of each ASCII code (0: not handled here). */
const RANK = new Uint8Array(128);
for (let i = 0; i < COLLATION_ORDER.length; i++) {
  const code = COLLATION_ORDER.charCodeAt(i);
  RANK[code] = i + 1;
  if (code >= 97 && code <= 122) RANK[code - 32] = i + 1;
}

const rank = (s: string, i: number) => {
  const code = s.charCodeAt(i);
  return code < 128 ? RANK[code]! : 0;
};

/** `a.localeCompare(b)`'s sign for two names, without the collator when both are plain ASCII. */
export function compareNames(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  // Primary level: characters without regard to case; a name that is the other's beginning comes first.
  for (let i = 0; i < length; i++) {
    const x = rank(a, i);
    const y = rank(b, i);
    if (x === 0 || y === 0) return a.localeCompare(b);
    if (x !== y) return x - y;
  }
  for (let i = length; i < a.length; i++) if (rank(a, i) === 0) return a.localeCompare(b);
  for (let i = length; i < b.length; i++) if (rank(b, i) === 0) return a.localeCompare(b);
  if (a.length !== b.length) return a.length - b.length;
  // Tertiary level: at the first difference of case, lower case comes first (its code is the larger).
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return y - x;
  }
  return 0;
}
