/** Small HTTP helpers: JSON bodies with limits, errors as statuses, zod validation. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { DATABASE_UNREACHABLE, isDatabaseUnreachable } from '../storage/outage.ts';
import { mayHoldNul, nulIssues, type NulIssue } from './nul.ts';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * A JSON body with a NUL character in its text (./nul.ts): a 400 naming the
 * first place, with every place in `issues`, as validate() names fields.
 */
export class NulInBody extends HttpError {
  constructor(readonly issues: NulIssue[]) {
    super(400, `Invalid ${issues[0].path}: ${issues[0].message}`, { field: issues[0].path, issues });
  }
}

export const unauthorized = () => new HttpError(401, 'Sign in first: send a valid token or open your invite link.');
export const forbidden = (what: string) => new HttpError(403, what);
export const notFound = (what = 'Not found.') => new HttpError(404, what);

const MAX_BODY = 1024 * 1024;

/**
 * Reads a JSON body of at most `maxBytes` (1 MiB unless a route needs more); a
 * body with a NUL character in any text (a string or a key) is a 400 naming each place.
 */
export async function readJson(req: IncomingMessage, maxBytes: number = MAX_BODY): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'Send the body as application/json.');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, `The body is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB.`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text.trim()) return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, 'The body is not valid JSON.');
  }
  // PostgreSQL's text cannot hold a NUL (./nul.ts): refused on every route and database, before anything is stored.
  const issues = mayHoldNul(text) ? nulIssues(body) : [];
  if (issues.length > 0) throw new NulInBody(issues);
  return body;
}

/** Parses `body` with `schema`; a failure is a 400 that names each failing field. */
export function validate<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const first = issues[0];
  throw new HttpError(400, `Invalid ${first.path}: ${first.message}`, { field: first.path, issues });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Answers an error: an HttpError as it says; any error that says the database
 * cannot be reached (server/storage/outage.ts), whichever route met it, a 503
 * with one sentence (try again in a moment); anything else a 500.
 */
export function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpError) {
    sendJson(res, error.status, { error: error.message, ...error.body });
  } else if (isDatabaseUnreachable(error)) {
    sendJson(res, 503, { error: DATABASE_UNREACHABLE }, { 'retry-after': '5' });
  } else {
    sendJson(res, 500, { error: 'Something went wrong on the server.' });
  }
}

/** The base of links the server hands out: `publicUrl` when set, else the request's own origin. */
export function publicOrigin(req: IncomingMessage, publicUrl: string | undefined): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}
