/** A minimal router: method + path pattern (`:param` segments) to an async handler. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError } from './http.ts';

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  url: URL;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  path: string;
  parts: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  on(method: string, path: string, handler: Handler): this {
    this.routes.push({ method, path, parts: path.split('/').filter(Boolean), handler });
    return this;
  }

  /** Every registered route as `METHOD /path/:param`, in registration order (test/server/permissions.test.ts walks them all). */
  list(): string[] {
    return this.routes.map((route) => `${route.method} ${route.path}`);
  }

  /** Finds the handler for a request; throws 404/405 when none fits. Null when no route shares the prefix. */
  match(method: string, pathname: string): { handler: Handler; params: Record<string, string> } | null {
    const segments = pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchParts(route.parts, segments);
      if (!params) continue;
      pathMatched = true;
      if (route.method === method) return { handler: route.handler, params };
    }
    if (pathMatched) throw new HttpError(405, `${method} is not allowed here.`);
    return null;
  }
}

function matchParts(parts: string[], segments: string[]): Record<string, string> | null {
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    if (parts[i].startsWith(':')) {
      try {
        params[parts[i].slice(1)] = decodeURIComponent(segments[i]);
      } catch {
        return null;
      }
    } else if (parts[i] !== segments[i]) return null;
  }
  return params;
}
