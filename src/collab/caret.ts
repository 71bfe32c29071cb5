/**
 * Where the caret goes when the text under it changes remotely. Pure, for
 * CollaborativeText: the change is taken as one edit (the common prefix and
 * suffix are kept, the middle replaced), the way bindText writes it.
 */
export interface TextEdit {
  /** Where the edit starts (same in the old and the new text). */
  index: number;
  /** Characters removed from the old text at `index`. */
  removed: number;
  /** Characters inserted at `index`. */
  inserted: number;
}

/** The single edit that turns `before` into `after` (null when they are equal). */
export function diffText(before: string, after: string): TextEdit | null {
  if (before === after) return null;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  return { index: start, removed: before.length - start - end, inserted: after.length - start - end };
}

/**
 * A caret (or selection end) position in `before`, moved to the same place in
 * `after`: positions before the edit stay, positions after it shift by the
 * edit's length, positions inside removed text go to the end of what replaced
 * it. A remote insertion exactly at the caret lands after the caret (you keep
 * typing where you were).
 */
export function shiftCaret(before: string, after: string, caret: number): number {
  const position = Math.max(0, Math.min(caret, before.length));
  const edit = diffText(before, after);
  if (!edit) return position;
  if (position <= edit.index) return position;
  if (position >= edit.index + edit.removed) return position + edit.inserted - edit.removed;
  return edit.index + edit.inserted;
}

export interface TextSelection {
  start: number;
  end: number;
}

/** shiftCaret for both ends of a selection. */
export function shiftSelection(before: string, after: string, selection: TextSelection): TextSelection {
  const start = shiftCaret(before, after, selection.start);
  const end = shiftCaret(before, after, selection.end);
  return { start, end: Math.max(start, end) };
}
