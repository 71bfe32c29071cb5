import { useEffect } from 'react';
import { useLatest } from './useLatest.ts';

export interface BoardKeyActions {
  editable: boolean;
  /** Single keys (lower case) that add a card. */
  addKeys: Record<string, () => void>;
  undo: () => void;
  redo: () => void;
  /** Answer false when there was nothing to copy or paste, so the browser's own copy runs. */
  copy: () => boolean;
  paste: () => boolean;
  fit: () => void;
  help: () => void;
  clear: () => void;
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.closest('[role="dialog"], [role="menu"]')) return true;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * The board's keyboard shortcuts (src/canvas/shortcuts.ts lists them), active
 * while no text field, menu or dialog has focus. Delete and Backspace are
 * React Flow's own.
 */
export function useBoardKeys(actions: BoardKeyActions): void {
  const latest = useLatest(actions);
  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || isTyping(event.target)) return;
      const a = latest.current;
      const key = event.key.toLowerCase();
      const mod = event.ctrlKey || event.metaKey;
      let handled = true;
      if (mod && key === 'z' && !event.shiftKey && a.editable) a.undo();
      else if (mod && ((key === 'z' && event.shiftKey) || key === 'y') && a.editable) a.redo();
      else if (mod && key === 'c') handled = a.copy();
      else if (mod && key === 'v' && a.editable) handled = a.paste();
      else if (mod || event.altKey) handled = false;
      else if (event.key === '?') a.help();
      else if (key === 'escape') a.clear();
      else if (key === 'f' && !event.shiftKey) a.fit();
      else if (a.editable && a.addKeys[key] && !event.shiftKey) a.addKeys[key]();
      else handled = false;
      if (handled) event.preventDefault();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [latest]);
}
