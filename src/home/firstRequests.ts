/**
 * The home page's two requests, started as soon as the first script runs when
 * the page opens at `/`: `GET /api/session` and, side by side instead of after
 * it, `GET /api/portfolio` (the dashboard's rows, issue #13: the 200 rows are
 * drawn in under a second). Which one is needed is known only from the
 * session's answer, and the cookie that says who is asking cannot be read
 * here (HttpOnly): someone not signed in gets a 401 and someone who does not
 * see the portfolio gets their own few rows, and either answer is dropped.
 * Each is used once, by the page's first visit to `/`; later visits ask again.
 */
import type { Session } from '../contract/answers.ts';
import type { PortfolioRow } from '../contract/portfolio.ts';
import { api } from '../kit/api.ts';

type Dashboard = (typeof import('../portfolio/PortfolioDashboard.tsx'))['PortfolioDashboard'];

interface FirstRequests {
  session: Promise<Session>;
  portfolio: Promise<PortfolioRow[]>;
  Dashboard: Promise<Dashboard>;
}

/** The dashboard's own chunk (about 6 kB compressed, with its stylesheet). */
export const loadDashboard = (): Promise<Dashboard> =>
  import('../portfolio/PortfolioDashboard.tsx').then((m) => m.PortfolioDashboard);

let first: FirstRequests | null = null;
if (typeof location !== 'undefined' && location.pathname === '/') {
  // The dashboard's code downloads meanwhile too: once the rows are in, it would be the one thing left to wait for.
  first = { session: api.getSession(), portfolio: api.getPortfolio(), Dashboard: loadDashboard() };
  // Whoever takes them handles a failure; until then, and when dropped, none goes unhandled.
  first.session.catch(() => undefined);
  first.portfolio.catch(() => undefined);
  first.Dashboard.catch(() => undefined);
}

/** The requests started when the page opened at `/`, once; null afterwards (and on any other first page). */
export function takeFirstRequests(): FirstRequests | null {
  const taken = first;
  first = null;
  return taken;
}
