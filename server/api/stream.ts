/**
 * The initiative's event stream, `GET /api/initiatives/:id/workflow/stream`
 * (server-sent events): `workflow` events with the workflow view.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Action, WorkflowView } from '../../src/contract/index.ts';
import type { Access } from '../auth.ts';
import type { RequestContext, Router } from '../http/router.ts';
import type { Initiative } from '../store.ts';
import type { WorkflowRunner } from '../workflow/runner.ts';
import type { AccessWatch } from '../people/watch.ts';

export interface StreamDeps {
  member: (ctx: RequestContext, action: Action) => { initiative: Initiative; access: Access };
  workflows: WorkflowRunner;
  /** The live connections' access (the "live" work of #10 registers streams here). */
  watch?: AccessWatch;
}

export function mountStream(router: Router, { member, workflows }: StreamDeps): void {
  router.on('GET', '/api/initiatives/:id/workflow/stream', (ctx) => {
    const { initiative } = member(ctx, 'viewInitiative');
    streamWorkflow(ctx.req, ctx.res, (send, fail) => {
      // Subscribe first, so no accepted event is missed while the first view is read;
      // views that arrive meanwhile follow it, in order.
      let queued: WorkflowView[] | null = [];
      const stop = workflows.subscribe(initiative.id, (view) => (queued ? queued.push(view) : send(view)));
      workflows.view(initiative.id).then((view) => {
        send(view);
        for (const later of queued ?? []) send(later);
        queued = null;
      }, fail);
      return stop;
    });
  });
}

/** Server-sent events: `workflow` events, and a comment every 25 s to keep proxies from closing. */
function streamWorkflow(
  req: IncomingMessage,
  res: ServerResponse,
  start: (send: (view: unknown) => void, fail: () => void) => () => void,
): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  let open = true;
  const send = (view: unknown) => open && res.write(`event: workflow\ndata: ${JSON.stringify(view)}\n\n`);
  const close = () => {
    if (!open) return;
    open = false;
    clearInterval(keepAlive);
    stop();
  };
  const fail = () => {
    close();
    res.end();
  };
  const keepAlive = setInterval(() => open && res.write(': keep-alive\n\n'), 25_000).unref();
  const stop = start(send, fail);
  req.on('close', close);
}
