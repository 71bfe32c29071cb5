/**
 * The initiative's event stream, `GET /api/initiatives/:id/workflow/stream`
 * (server-sent events): `workflow` events with the workflow view, and `access`
 * events (the contract's `AccessEvent`) when the caller's role changes or their
 * access ends, after which the stream ends; and `workshops` events with the
 * initiative's workshops (as `GET …/workshops` lists them) after the first view and whenever
 * one is created, starts or ends, so every page knows when a workshop runs;
 * and `measures` events (the contract's `MeasuresEvent`: indicator ids, never
 * values) when values or settings of indicators the caller may see change, or
 * when who may see an indicator changes (docs/measures.md); and `links` events
 * (the contract's `InitiativeLinks`, as `GET …/links` answers) whenever the
 * parent's or a sub-initiative's row changes (docs/portfolio.md).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AccessEvent, Action, MeasuresEvent, WorkflowView } from '../../src/contract/index.ts';
import type { Access, Auth } from '../auth.ts';
import { principalNow, type PortfolioService } from '../portfolio/service.ts';
import type { RequestContext, Router } from '../http/router.ts';
import { ACCESS_REMOVED, type AccessWatch, type Credential } from '../people/watch.ts';
import type { Initiative } from '../stores.ts';
import type { WorkflowRunner } from '../workflow/runner.ts';
import { viewerOf, type MeasureService } from '../measures/service.ts';
import type { WorkshopRunner } from '../workshops/runner.ts';

export interface StreamDeps {
  /** The initiative, the caller's access, and the credential they asked with (which the stream registers in `watch`). */
  member: (ctx: RequestContext, action: Action) => Promise<{ initiative: Initiative; access: Access; credential: Credential }>;
  workflows: WorkflowRunner;
  /** Live access: role changes and lost access reach the open stream. */
  watch: AccessWatch;
  workshops?: Pick<WorkshopRunner, 'list' | 'watchList'>;
  measures?: Pick<MeasureService, 'subscribe' | 'rights'>;
  /** Linked initiatives: `links` events when the parent's or a sub-initiative's row changes. */
  portfolio?: Pick<PortfolioService, 'subscribe' | 'links'>;
  auth?: Pick<Auth, 'fromSession'>;
}

/** Sends one named event. */
export type Send = (event: string, data: unknown) => void;

export function mountStream(router: Router, { member, workflows, watch, workshops, measures, portfolio, auth }: StreamDeps): void {
  router.on('GET', '/api/initiatives/:id/workflow/stream', async (ctx) => {
    // Read before the caller's access is: a change to people made meanwhile is rechecked for this stream.
    const version = watch.version;
    const { initiative, access, credential } = await member(ctx, 'viewInitiative');
    eventStream(ctx.req, ctx.res, (send, end) => {
      // Subscribe first, so no accepted event is missed while the first view is read;
      // views that arrive meanwhile follow it, in order.
      let queued: WorkflowView[] | null = [];
      const sendView = (view: WorkflowView) => send('workflow', view);
      const stop = workflows.subscribe(initiative.id, (view) => (queued ? queued.push(view) : sendView(view)));
      let closed = false;
      let unlist: (() => void) | undefined;
      workflows
        .view(initiative.id)
        .then(async (view) => {
          sendView(view);
          for (const later of queued ?? []) sendView(later);
          queued = null;
          // The workflow view comes first; then the workshops, and each change to them.
          if (!workshops || closed) return;
          // Listening before the first list is read: a list heard meanwhile is newer, and the first is not sent after it.
          let heard = false;
          unlist = workshops.watchList(initiative.id, (list) => {
            heard = true;
            send('workshops', list);
          });
          const first = await workshops.list(initiative.id);
          if (!heard && !closed) send('workshops', first);
        })
        .catch(end);
      // Rights are asked at each change, with the caller's role as it is then.
      let now = access;
      const unwatch = watchAccess(watch, initiative.id, credential, access, send, end, (changed) => (now = changed), version);
      const unmeasure = measures?.subscribe(initiative.id, (change) => {
        void measures.rights(viewerOf(now), initiative.id).then((rights) => {
          const indicators = [...new Set([...change.indicators.filter((id) => rights(id).see), ...change.accessChanged])];
          if (!closed && indicators.length > 0) send('measures', { indicators } satisfies MeasuresEvent);
        }, end);
      });
      const unlink = portfolio && auth && watchLinks(portfolio, auth, initiative, credential, send, end);
      return () => {
        closed = true;
        stop();
        unwatch();
        unlist?.();
        unmeasure?.();
        unlink?.();
      };
    });
  });
}

/**
 * Sends `links` whenever the initiative's links, as the caller may see them,
 * differ from the last ones (the first, read when the stream opens, is not sent:
 * `GET …/links` answers it). Answers the function that stops it.
 */
function watchLinks(
  portfolio: Pick<PortfolioService, 'subscribe' | 'links'>,
  auth: Pick<Auth, 'fromSession'>,
  initiative: Initiative,
  credential: Credential,
  send: Send,
  end: () => void,
): () => void {
  const read = async (): Promise<string | null> => {
    const principal = await principalNow(auth, credential);
    return principal && JSON.stringify(await portfolio.links(initiative.id, principal));
  };
  let chain = read().then((first) => void (last = first), end);
  let last: string | null = null;
  return portfolio.subscribe(() => {
    chain = chain.then(async () => {
      const now = await read();
      if (now === null || now === last) return;
      last = now;
      send('links', JSON.parse(now));
    }, end);
  });
}

/**
 * Registers an open stream with the live access watch: an `access` event
 * `{ role }` when the caller's role changes, `{ removed, reason }` and the end
 * of the stream when their access ends. `version`: the watch's, read before
 * `access` was looked up. Answers the function that unregisters it.
 */
export function watchAccess(
  watch: AccessWatch,
  initiativeId: string,
  credential: Credential,
  access: Access,
  send: Send,
  end: () => void,
  onChange?: (now: Access) => void,
  version?: number,
): () => void {
  return watch.register(initiativeId, credential, access, (now) => {
    if (now) {
      onChange?.(now);
      return send('access', { role: now.role } satisfies AccessEvent);
    }
    send('access', { removed: true, reason: ACCESS_REMOVED } satisfies AccessEvent);
    end();
  }, version);
}

/** Server-sent events, and a comment every 25 s to keep proxies from closing. Also the workshop stream's (./workshops.ts). */
export function eventStream(
  req: IncomingMessage,
  res: ServerResponse,
  start: (send: Send, end: () => void) => () => void,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  let open = true;
  const send: Send = (event, data) => open && res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(keepAlive);
    stop();
  };
  const end = () => {
    close();
    res.end();
  };
  const keepAlive = setInterval(() => open && res.write(': keep-alive\n\n'), 25_000).unref();
  const stop = start(send, end);
  req.on('close', close);
}
