import { useCallback, useEffect, useMemo, useState } from 'react';
import { isEditableTarget } from '../collab/shortcuts.ts';
import { PANEL_KEYS, type PanelName } from '../canvas/shortcuts.ts';

export type { PanelName };
export type Panels = Record<PanelName, boolean>;

/** Phones show panels as sheets over the board, one at a time. */
export const PHONE_QUERY = '(max-width: 720px)';

const matches = (query: string) => typeof window !== 'undefined' && window.matchMedia(query).matches;

/** First visit: the board takes the page, with the card panel beside it (on a phone, a sheet once a card is selected). */
function defaults(): Panels {
  return { navigator: false, details: true, people: false };
}

function read(key: string): Panels {
  const fallback = defaults();
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return fallback;
    const record = stored as Record<string, unknown>;
    const pick = (name: PanelName) => (typeof record[name] === 'boolean' ? (record[name] as boolean) : fallback[name]);
    return { navigator: pick('navigator'), details: pick('details'), people: pick('people') };
  } catch {
    return fallback;
  }
}

function withPanel(current: Panels, name: PanelName, open: boolean): Panels {
  const next = { ...current, [name]: open };
  if (open && name !== 'details' && matches(PHONE_QUERY)) next[name === 'navigator' ? 'people' : 'navigator'] = false;
  return next;
}

/**
 * Which workspace panels are open (the workflow navigator, the selected card's
 * details, who is here), remembered per person and initiative in this
 * browser's localStorage. On a phone, opening the navigator or who is here
 * closes the other, as they share the sheet.
 */
export function usePanels(initiativeId: string, personId: string) {
  const key = `convene.panels.${initiativeId}.${personId}`;
  const [panels, setPanels] = useState<Panels>(() => read(key));

  useEffect(() => {
    try {
      localStorage.setItem(key, JSON.stringify(panels));
    } catch {
      // Private mode or a full quota: the choice lasts for this visit only.
    }
  }, [key, panels]);

  const set = useCallback(
    (name: PanelName, open: boolean) => setPanels((current) => withPanel(current, name, open)),
    [],
  );
  const toggle = useCallback((name: PanelName) => setPanels((current) => withPanel(current, name, !current[name])), []);

  return useMemo(() => ({ panels, set, toggle }), [panels, set, toggle]);
}

/** The panels' keys (PANEL_KEYS: W, D, H), outside text fields, menus and dialogs. */
export function usePanelKeys(toggle: (name: PanelName) => void): void {
  useEffect(() => {
    const byKey = new Map(Object.entries(PANEL_KEYS).map(([name, key]) => [key, name as PanelName]));
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.shiftKey) return;
      const target = event.target;
      if (isEditableTarget(target)) return;
      if (target instanceof Element && target.closest('[role="dialog"], [role="menu"]')) return;
      const name = byKey.get(event.key.toLowerCase());
      if (!name) return;
      event.preventDefault();
      toggle(name);
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [toggle]);
}
