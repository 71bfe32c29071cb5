import { describe, expect, it } from 'vitest';
import { diffText, shiftCaret, shiftSelection } from '../../src/collab/caret.ts';

describe('caret shift for remote edits', () => {
  it('finds the single edit between two texts', () => {
    expect(diffText('hello', 'hello')).toBeNull();
    expect(diffText('hello', 'oh hello')).toEqual({ index: 0, removed: 0, inserted: 3 });
    expect(diffText('abcdef', 'abXYef')).toEqual({ index: 2, removed: 2, inserted: 2 });
  });

  it('keeps a caret before the edit where it is', () => {
    expect(shiftCaret('County health', 'County health department', 3)).toBe(3);
  });

  it('moves a caret after the edit by what was inserted or removed', () => {
    // Someone types "Riverside " at the start while my caret is after "County".
    expect(shiftCaret('County health', 'Riverside County health', 6)).toBe(16);
    // Someone deletes "old " before my caret.
    expect(shiftCaret('the old school', 'the school', 14)).toBe(10);
  });

  it('keeps my caret in front of text inserted exactly at it', () => {
    expect(shiftCaret('ab', 'aXb', 1)).toBe(1);
  });

  it('moves a caret inside removed text to the end of what replaced it', () => {
    expect(shiftCaret('abcdef', 'abXef', 3)).toBe(3);
    expect(shiftCaret('abcdef', 'abef', 3)).toBe(2);
  });

  it('clamps a caret that is out of range', () => {
    expect(shiftCaret('abc', 'xabc', 10)).toBe(4);
    expect(shiftCaret('abc', 'xabc', -2)).toBe(0);
  });

  it('shifts both ends of a selection', () => {
    // "health" selected in "County health"; someone prefixes "Riverside ".
    expect(shiftSelection('County health', 'Riverside County health', { start: 7, end: 13 })).toEqual({ start: 17, end: 23 });
    // The selected word is deleted remotely: the selection collapses where it was.
    expect(shiftSelection('County health dept', 'County dept', { start: 7, end: 13 })).toEqual({ start: 7, end: 7 });
  });
});
