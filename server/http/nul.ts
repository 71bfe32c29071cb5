/**
 * Text with a NUL character (U+0000) in a JSON body. SQLite stores it in a TEXT
 * column, PostgreSQL's text type cannot hold it at all (`invalid byte sequence
 * for encoding "UTF8": 0x00`): a body that carries one would be stored on one
 * database and fail with a 500 on the other, and an old SQLite data directory
 * holding one could not be moved to PostgreSQL. So every JSON body is refused
 * with a 400 naming each place that holds one (./http.ts readJson), before any
 * route sees it, whichever database the server runs on.
 */

/** One place of a body that holds a NUL character, named as validate() names a field. */
export interface NulIssue {
  path: string;
  message: string;
}

export const NUL_IN_TEXT = 'A NUL character (U+0000) is not allowed in text. Remove it and send again.';

/** The places listed at most: a body full of them is refused all the same. */
export const NUL_ISSUES_MAX = 20;

const hasNul = (text: string) => text.includes('\u0000');

/** A place in the value: its key in its parent, linked up to the root (a path copied per level would cost depth² on deep nesting). */
interface Place {
  value: unknown;
  key: string | number | null;
  parent: Place | null;
}

function pathOf(place: Place): string {
  const keys: (string | number)[] = [];
  for (let p: Place | null = place; p && p.key !== null; p = p.parent) keys.push(p.key);
  return keys.reverse().map(String).join('.') || '(body)';
}

/**
 * Every string value and object key of a parsed JSON value that holds a NUL
 * character, in document order (an object's keys before its values), at most
 * `max`. Walks without recursion, so however deep the nesting, it answers
 * rather than overflowing the stack.
 */
export function nulIssues(value: unknown, max: number = NUL_ISSUES_MAX): NulIssue[] {
  const issues: NulIssue[] = [];
  const stack: Place[] = [{ value, key: null, parent: null }];
  while (stack.length > 0 && issues.length < max) {
    const place = stack.pop()!;
    const here = place.value;
    if (typeof here === 'string') {
      if (hasNul(here)) issues.push({ path: pathOf(place), message: NUL_IN_TEXT });
    } else if (Array.isArray(here)) {
      for (let i = here.length - 1; i >= 0; i--) stack.push({ value: here[i], key: i, parent: place });
    } else if (here !== null && typeof here === 'object') {
      const entries = Object.entries(here as Record<string, unknown>);
      for (const [key] of entries) {
        if (hasNul(key) && issues.length < max) {
          // The key cannot be printed as it is: JSON.stringify writes its NUL as \u0000.
          issues.push({
            path: pathOf(place),
            message: `The key ${JSON.stringify(key)} holds a NUL character (U+0000), which is not allowed in text. Remove it and send again.`,
          });
        }
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i][1], key: entries[i][0], parent: place });
    }
  }
  return issues;
}

/**
 * Whether `source`, the JSON text `value` was parsed from, may hold a NUL: JSON
 * cannot carry one unescaped (JSON.parse refuses it), so a text without the
 * escape `\u0000` holds none and is not walked.
 */
export const mayHoldNul = (source: string) => source.includes('\\u0000');
