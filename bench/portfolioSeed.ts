/**
 * Seeds a running Convene with a portfolio through its public API, as people
 * would build one (docs/performance.md "The portfolio"): initiatives in a tree
 * (sub-initiatives created with `parentId`), each with indicators on its
 * framework board (put there by a y-websocket client, as a browser does), a
 * value per indicator per year, a few workflow steps taken and a workshop. The
 * same seed gives the same portfolio. `bench/portfolio.ts` times the API over
 * it; the dashboard's render benchmark reuses it.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { createEntity } from '../src/schema/index.ts';
import { prng } from './canvas/graph.ts';
import { api } from './servers.ts';

export interface PortfolioSeedOptions {
  /** Initiatives per level, top first (default [2, 8, 40, 150]: 200 initiatives, 4 levels). */
  levels?: number[];
  /** Indicators on each initiative's framework board (default 20). */
  indicators?: number;
  /** Years of values, ending last year (default 5). */
  years?: number;
  /** Seed of the pseudo-random choices (stages, values; default 13). */
  seed?: number;
  /** Told after each initiative is complete (done, total). */
  progress?: (done: number, total: number) => void;
}

export interface SeededPortfolio {
  /** Every initiative, top level first, then each level in creation order. */
  ids: string[];
  /** The ids of each level. */
  levels: string[][];
  /** A session token of the backbone lead of the first top-level initiative (sees it and everything below). */
  leadToken: string;
}

const SECTORS = ['Schools', 'Housing', 'Health', 'Jobs', 'Transport', 'Parks', 'Food', 'Safety'];

/** Puts `count` yearly indicators on the initiative's framework board through the sync endpoint; answers their ids. */
async function indicatorsOn(url: string, token: string, id: string, count: number): Promise<string[]> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${url.replace(/^http/, 'ws')}/collab`, id, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: { token },
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    const ids = Array.from({ length: count }, (_, i) =>
      createEntity(doc, 'indicator', { name: `Measure ${i + 1}`, unit: 'percent', direction: i % 3 ? 'increase' : 'decrease', frequency: 'yearly' }, [
        { board: 'framework', position: { x: (i % 5) * 300, y: Math.floor(i / 5) * 200 } },
      ]),
    );
    // The server has them once its list holds them all.
    for (;;) {
      const listed = await api<unknown[]>(url, 'GET', `/api/initiatives/${id}/indicators`, token);
      if (listed.length === count) return ids;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

/** Builds the portfolio on the server at `url` as its admin. */
export async function seedPortfolio(server: { url: string; adminToken: string }, options: PortfolioSeedOptions = {}): Promise<SeededPortfolio> {
  const { url, adminToken: admin } = server;
  const sizes = options.levels ?? [2, 8, 40, 150];
  const indicatorCount = options.indicators ?? 20;
  const years = options.years ?? 5;
  const rand = prng(options.seed ?? 13);
  const total = sizes.reduce((a, b) => a + b, 0);
  const lastYear = new Date().getUTCFullYear() - 1;
  const levels: string[][] = [];
  let done = 0;
  for (const [depth, size] of sizes.entries()) {
    const parents = levels[depth - 1] ?? [];
    const level: string[] = [];
    for (let i = 0; i < size; i++) {
      const parentId = parents.length > 0 ? parents[i % parents.length] : undefined;
      const name = `${SECTORS[i % SECTORS.length]} ${depth === 0 ? 'city-wide' : `level ${depth + 1}`} ${i + 1}`;
      const { id } = await api<{ id: string }>(url, 'POST', '/api/initiatives', admin, { name, issue: 'Opportunity for every child', parentId });
      level.push(id);
      const indicators = await indicatorsOn(url, admin, id, indicatorCount);
      const rows = indicators.flatMap((indicator) => {
        let value = 20 + rand() * 60;
        return Array.from({ length: years }, (_, y) => {
          value += (rand() - 0.45) * 10;
          return { indicator, date: `${lastYear - years + 1 + y}-12-31`, value: Math.round(value * 10) / 10 };
        });
      });
      await api(url, 'POST', `/api/initiatives/${id}/measurements`, admin, rows);
      await api(url, 'POST', `/api/initiatives/${id}/workshops`, admin, {
        title: `Steering group ${i + 1}`,
        date: new Date(Date.UTC(lastYear + 1, Math.floor(rand() * 12), 1 + Math.floor(rand() * 28), 9)).toISOString(),
        agenda: [{ title: 'Where we stand', minutes: 30, activity: 'discuss' }],
      });
      // Two thirds are past readiness; some of those in Phase II.
      const steer = (body: Record<string, unknown>) => api(url, 'POST', `/api/initiatives/${id}/events`, admin, body);
      await steer({ type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'A respected leader chairs it.' });
      if (rand() < 2 / 3) {
        await steer({ type: 'readiness.confirm', override: { reason: 'Funded and urgent.' } });
        await steer({ type: 'step.confirm', step: 'initiate.community.outreach', note: 'Met residents in every district.' });
        if (rand() < 0.4) await steer({ type: 'phase.advance', override: { reason: 'The plan is due.' } });
      }
      options.progress?.(++done, total);
    }
    levels.push(level);
  }
  const link = await api<{ token: string }>(url, 'POST', `/api/initiatives/${levels[0][0]}/invites`, admin, { role: 'lead' });
  const session = await api<{ token: string }>(url, 'POST', '/api/session', '', { token: link.token, name: 'Backbone lead' });
  return { ids: levels.flat(), levels, leadToken: session.token };
}
