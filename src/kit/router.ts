/**
 * A tiny pathname router: no library, just the History API. `navigate` pushes
 * (or replaces) an entry and tells every `usePathname` subscriber.
 */
import { useSyncExternalStore } from 'react';

const NAVIGATE_EVENT = 'convene:navigate';

/** The admin console. */
export const ADMIN_PATH = '/admin';

export function navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
  window.scrollTo(0, 0);
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(NAVIGATE_EVENT, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(NAVIGATE_EVENT, onChange);
  };
}

const getPathname = () => location.pathname;

/** The current pathname. Re-renders on every navigation. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, getPathname);
}

export type Route =
  | { name: 'home' }
  | { name: 'admin' }
  | { name: 'join'; token: string }
  | { name: 'initiative'; id: string }
  | { name: 'people'; id: string }
  | { name: 'workshops'; id: string }
  | { name: 'workshop'; id: string; workshopId: string }
  | { name: 'measures'; id: string }
  | { name: 'indicator'; id: string; indicatorId: string }
  | { name: 'report'; token: string }
  | { name: 'not-found' };

function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function matchRoute(pathname: string): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/') return { name: 'home' };
  if (path === ADMIN_PATH) return { name: 'admin' };
  const join = /^\/join\/([^/]+)$/.exec(path);
  if (join) return { name: 'join', token: segment(join[1]) };
  const initiative = /^\/i\/([^/]+)$/.exec(path);
  if (initiative) return { name: 'initiative', id: segment(initiative[1]) };
  const people = /^\/i\/([^/]+)\/people$/.exec(path);
  if (people) return { name: 'people', id: segment(people[1]) };
  const workshops = /^\/i\/([^/]+)\/workshops$/.exec(path);
  if (workshops) return { name: 'workshops', id: segment(workshops[1]) };
  const workshop = /^\/i\/([^/]+)\/workshops\/([^/]+)$/.exec(path);
  if (workshop) return { name: 'workshop', id: segment(workshop[1]), workshopId: segment(workshop[2]) };
  const measures = /^\/i\/([^/]+)\/measures$/.exec(path);
  if (measures) return { name: 'measures', id: segment(measures[1]) };
  const indicator = /^\/i\/([^/]+)\/measures\/([^/]+)$/.exec(path);
  if (indicator) return { name: 'indicator', id: segment(indicator[1]), indicatorId: segment(indicator[2]) };
  const report = /^\/report\/([^/]+)$/.exec(path);
  if (report) return { name: 'report', token: segment(report[1]) };
  return { name: 'not-found' };
}

export function initiativePath(id: string): string {
  return `/i/${encodeURIComponent(id)}`;
}

/** The members screen of an initiative. */
export function peoplePath(id: string): string {
  return `${initiativePath(id)}/people`;
}

/** The workshops of an initiative: planned, running and past. */
export function workshopsPath(id: string): string {
  return `${initiativePath(id)}/workshops`;
}

/** One workshop: its record. */
export function workshopPath(id: string, workshopId: string): string {
  return `${workshopsPath(id)}/${encodeURIComponent(workshopId)}`;
}

/** The shared measures of an initiative: the report card and every indicator. */
export function measuresPath(id: string): string {
  return `${initiativePath(id)}/measures`;
}

/** One indicator's screen: its figures, curve, settings and entry grid. */
export function indicatorPath(id: string, indicatorId: string): string {
  return `${measuresPath(id)}/${encodeURIComponent(indicatorId)}`;
}
