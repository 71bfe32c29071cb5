import { useEffect, useRef, type RefObject } from 'react';

export interface Shortcut {
  keys: string;
  action: string;
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
/** The modifier key as people know it on this platform. */
export const MOD = isMac ? '⌘' : 'Ctrl';

/** Keyboard shortcuts of the boards, for the help dialog. Boards add their own through ShortcutHelp's `extra`. */
export const SHORTCUTS: Shortcut[] = [
  { keys: `${MOD}+Z`, action: 'Undo your last change (never someone else’s)' },
  { keys: isMac ? '⌘+Shift+Z' : 'Ctrl+Y or Ctrl+Shift+Z', action: 'Redo' },
  { keys: 'Tab / Shift+Tab', action: 'Move between cards and controls' },
  { keys: 'Enter or Space', action: 'Select the focused card' },
  { keys: 'Arrow keys', action: 'Move the selected cards' },
  { keys: `${MOD}+click`, action: 'Add a card to the selection' },
  { keys: 'Shift+drag', action: 'Select every card in an area' },
  { keys: 'Delete or Backspace', action: 'Remove what is selected' },
  { keys: 'Escape', action: 'Close a dialog or panel' },
  { keys: '?', action: 'Show these shortcuts' },
];

type KeyEventLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

const modifier = (event: KeyEventLike) => (event.ctrlKey || event.metaKey) && !event.altKey;

export function isUndoKey(event: KeyEventLike): boolean {
  return modifier(event) && !event.shiftKey && event.key.toLowerCase() === 'z';
}

export function isRedoKey(event: KeyEventLike): boolean {
  const key = event.key.toLowerCase();
  return modifier(event) && ((event.shiftKey && key === 'z') || (!event.shiftKey && key === 'y'));
}

export function isHelpKey(event: KeyEventLike): boolean {
  return event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey;
}

/** True for elements that handle their own keys (text fields, selects, editable content). */
export function isEditableTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as Element).closest !== 'function') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const tag = element.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (element as HTMLInputElement).type;
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
  }
  return false;
}

function insideDialog(target: EventTarget | null): boolean {
  return !!target && typeof (target as Element).closest === 'function' && !!(target as Element).closest('[role="dialog"]');
}

interface UndoKeysTarget {
  undo(): void;
  redo(): void;
}

interface ShortcutOptions {
  /** Off for observers (nothing to undo) or while something else owns the keys. */
  enabled?: boolean;
  /** Only react when focus is inside this element; without it, anywhere on the page. */
  scope?: RefObject<HTMLElement | null>;
}

function inScope(scope: RefObject<HTMLElement | null> | undefined, target: EventTarget | null): boolean {
  if (!scope) return true;
  const root = scope.current;
  return !!root && target instanceof Node && root.contains(target);
}

/**
 * Ctrl/⌘+Z undoes, Ctrl+Y / Ctrl/⌘+Shift+Z redoes, except in text fields (they
 * keep their own text undo) and dialogs.
 */
export function useUndoShortcuts(controls: UndoKeysTarget, { enabled = true, scope }: ShortcutOptions = {}): void {
  const latest = useRef(controls);
  useEffect(() => {
    latest.current = controls;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented) return;
      if (isEditableTarget(event.target) || insideDialog(event.target) || !inScope(scope, event.target)) return;
      if (isUndoKey(event)) {
        event.preventDefault();
        latest.current.undo();
      } else if (isRedoKey(event)) {
        event.preventDefault();
        latest.current.redo();
      }
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled, scope]);
}

/** "?" (outside text fields) calls `open`, e.g. to show ShortcutHelp. */
export function useHelpShortcut(open: () => void, { enabled = true, scope }: ShortcutOptions = {}): void {
  const latest = useRef(open);
  useEffect(() => {
    latest.current = open;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || !isHelpKey(event)) return;
      if (isEditableTarget(event.target) || insideDialog(event.target) || !inScope(scope, event.target)) return;
      event.preventDefault();
      latest.current();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled, scope]);
}
