/**
 * Linked initiatives on the boards (issue #13, point 1): the parent and the
 * sub-initiatives of this initiative as the server answers them (names, phase,
 * report card share, whether the viewer may open them), asked once per
 * initiative for the whole page and kept live from the initiative stream's
 * `links` events. The document holds only ids (a group's `initiativeId`, a
 * strategy's `servesId`); every name shown comes from here, filtered by what the
 * viewer may see.
 */
import { createContext, useCallback, useContext, useSyncExternalStore, type ReactNode } from 'react';
import { formatShare } from '../../machines/measures/trend.ts';
import type { InitiativeLinks, LinkedInitiative } from '../contract/portfolio.ts';
import { api } from '../kit/api.ts';
import { listenToStream } from '../kit/eventStream.ts';
import { matchRoute, usePathname } from '../kit/router.ts';

interface Entry {
  links: InitiativeLinks | null;
  listeners: Set<() => void>;
  stop: () => void;
}

const entries = new Map<string, Entry>();

function set(entry: Entry, links: InitiativeLinks): void {
  entry.links = links;
  for (const listener of [...entry.listeners]) listener();
}

/** Asks the server again for `initiativeId`'s links (after creating a sub-initiative, after a reconnection). */
function reloadLinks(initiativeId: string): void {
  const entry = entries.get(initiativeId);
  if (entry)
    api.getLinks(initiativeId).then(
      (links) => set(entry, links),
      () => {},
    );
}

/** One request and one stream listener per initiative, however many cards read it; closed with its last reader. */
function subscribe(initiativeId: string, listener: () => void): () => void {
  let entry = entries.get(initiativeId);
  if (!entry) {
    const created: Entry = { links: null, listeners: new Set(), stop: () => {} };
    const stopLinks = listenToStream(initiativeId, 'links', (data) =>
      set(created, JSON.parse(data) as InitiativeLinks),
    );
    const stopOpen = listenToStream(initiativeId, 'open', () => reloadLinks(initiativeId));
    created.stop = () => {
      stopLinks();
      stopOpen();
    };
    entries.set(initiativeId, created);
    entry = created;
    reloadLinks(initiativeId);
  }
  const current = entry;
  current.listeners.add(listener);
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size > 0) return;
    current.stop();
    if (entries.get(initiativeId) === current) entries.delete(initiativeId);
  };
}

/** The links of `initiativeId`, live; null until loaded (or when they cannot be). */
export function useInitiativeLinks(initiativeId: string): InitiativeLinks | null {
  // Stable per initiative: a new function each render would close and reopen the subscription.
  const listen = useCallback(
    (listener: () => void) => (initiativeId ? subscribe(initiativeId, listener) : () => {}),
    [initiativeId],
  );
  return useSyncExternalStore(listen, () => (initiativeId ? (entries.get(initiativeId)?.links ?? null) : null));
}

/** Which initiative a board shows and the viewer's role there, for the board's cards and panels. */
const BoardContext = createContext<{ initiativeId: string; role: string } | null>(null);

export function LinksProvider({
  initiativeId,
  role,
  children,
}: {
  initiativeId: string;
  role: string;
  children: ReactNode;
}) {
  // Keeps the links loaded while the board is open, even before a card asks.
  useInitiativeLinks(initiativeId);
  return <BoardContext.Provider value={{ initiativeId, role }}>{children}</BoardContext.Provider>;
}

export interface BoardLinks {
  initiativeId: string;
  /** The viewer's role here ('' when the board did not say: no lead-only affordance then). */
  role: string;
  links: InitiativeLinks | null;
  reload(): void;
}

/** The links of the board's initiative (from LinksProvider, else from the page's address). */
export function useLinks(): BoardLinks {
  const board = useContext(BoardContext);
  const route = matchRoute(usePathname());
  const initiativeId = board?.initiativeId ?? ('id' in route ? route.id : '');
  const links = useInitiativeLinks(initiativeId);
  return { initiativeId, role: board?.role ?? '', links, reload: () => reloadLinks(initiativeId) };
}

/** The sub-initiative `id` as the viewer may see it, or undefined (not a child of this one, or not loaded yet). */
export function linkedChild(links: InitiativeLinks | null, id: string): LinkedInitiative | undefined {
  return id ? links?.children.find((c) => c.id === id) : undefined;
}

/** A report card share as words, written as the report card writes it: "66.7 % of measures trending the right way (2025)". */
export function shareWords(child: LinkedInitiative): string {
  const card = child.reportCard;
  if (!card) return 'No measures reported yet';
  return `${formatShare(card.share)} of measures trending the right way (${card.year})`;
}

/** What a strategy card says it serves: the parent's strategy by name, or that it serves one the viewer cannot see. */
export function servesWords(links: InitiativeLinks | null, servesId: string): string | null {
  if (!servesId || !links?.parent) return null;
  const strategy = links.parent.strategies?.find((s) => s.id === servesId);
  if (strategy) return `Serves: ${strategy.name}`;
  return links.parent.strategies ? null : `Serves a strategy of ${links.parent.name}`;
}
