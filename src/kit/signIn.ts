/**
 * Redeeming a link's token: once per token and page, however often React runs
 * the effect that asks (StrictMode runs effects twice), because the server
 * accepts each invite, sign-in link or admin sign-in token only once.
 */
import type { SessionStarted } from '../contract/answers.ts';
import { api } from './api.ts';

const started = new Map<string, Promise<SessionStarted>>();

export function signInOnce(token: string, name?: string): Promise<SessionStarted> {
  const key = `${token}\n${name ?? ''}`;
  let promise = started.get(key);
  if (!promise) {
    promise = api.startSession(token, name);
    started.set(key, promise);
    // A refusal may be retried (e.g. after a rate limit); only a success is final.
    promise.catch(() => started.delete(key));
  }
  return promise;
}
