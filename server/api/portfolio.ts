/**
 * The backbone's view (docs/portfolio.md, docs/api.md "Portfolio and linked
 * initiatives"): `GET /api/portfolio` (the rows the caller may see, parents
 * above their sub-initiatives), `GET /api/portfolio/stream` (server-sent
 * `portfolio` events: the rows that changed, as the caller may see them now,
 * and the ids they no longer see) and `GET /api/initiatives/:id/links`.
 */
import type { IncomingMessage } from 'node:http';
import { treeOrder } from '../../machines/portfolio.ts';
import type { Action, PortfolioEvent, PortfolioRow } from '../../src/contract/index.ts';
import type { Access, Auth, Principal } from '../auth.ts';
import { sendJson } from '../http/http.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { Credential } from '../people/watch.ts';
import { principalNow, type PortfolioService } from '../portfolio/service.ts';
import type { Initiative } from '../stores.ts';
import { eventStream } from './stream.ts';

export interface PortfolioRouteDeps {
  who: (req: IncomingMessage) => Promise<Principal>;
  member: (ctx: RequestContext, action: Action) => Promise<{ initiative: Initiative; access: Access; credential: Credential }>;
  portfolio: PortfolioService;
  auth: Pick<Auth, 'fromSession'>;
}

const inTreeOrder = (rows: PortfolioRow[]): PortfolioRow[] => treeOrder(rows).map(({ row }) => row);

export function mountPortfolio(router: Router, { who, member, portfolio, auth }: PortfolioRouteDeps): void {
  router.on('GET', '/api/portfolio', async ({ req, res }) => {
    sendJson(res, 200, inTreeOrder(await portfolio.rows(await who(req))));
  });

  router.on('GET', '/api/portfolio/stream', async ({ req, res }) => {
    const principal = await who(req);
    // The first event carries every row; later ones the rows that changed, and those no longer seen.
    eventStream(req, res, (send, end) => {
      const sent = new Set<string>();
      // Heard of changes from before the first list is read: those that come meanwhile follow it, in order.
      let chain = portfolio.rows(principal).then((rows) => {
        const first = inTreeOrder(rows);
        for (const row of first) sent.add(row.id);
        send('portfolio', { rows: first, removed: [] } satisfies PortfolioEvent);
      }, end);
      const stop = portfolio.subscribe((ids) => {
        chain = chain.then(async () => {
          const now = await principalNow(auth, principal.credential);
          if (!now) return end();
          const visible = await portfolio.visible(now);
          const changed = [...new Set([...ids.filter((id) => visible.has(id)), ...[...visible.keys()].filter((id) => !sent.has(id))])];
          const removed = [...sent].filter((id) => !visible.has(id));
          const rows = changed.length > 0 ? await portfolio.rows(now, changed) : [];
          for (const id of removed) sent.delete(id);
          for (const row of rows) sent.add(row.id);
          if (rows.length > 0 || removed.length > 0) send('portfolio', { rows: inTreeOrder(rows), removed } satisfies PortfolioEvent);
        }, end);
      });
      return stop;
    });
  });

  router.on('GET', '/api/initiatives/:id/links', async (ctx) => {
    const { initiative } = await member(ctx, 'viewInitiative');
    sendJson(ctx.res, 200, await portfolio.links(initiative.id, await who(ctx.req)));
  });
}
