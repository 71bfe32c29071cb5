/**
 * Readiness (`GET /readyz`, #14): whether this process can serve, as a load
 * balancer asks it. `/healthz` stays liveness only (the process answers); this
 * one asks every dependency (the database; Redis once it is wired) and answers
 * 200 `ready`, or 503 with one sentence per dependency that did not answer.
 *
 * Each check has a timeout, so a database that hangs (a network partition, a
 * full connection pool) gives a 503 within it rather than a request that never
 * ends; the checks run side by side, so the answer takes at most the longest
 * timeout. The cause of a failure goes to the log, never into the answer,
 * which anyone may read.
 */
import type { ServerResponse } from 'node:http';

export interface ReadinessCheck {
  /** A short name for the log ('database', 'redis'). */
  name: string;
  /** What the answer says when the check fails or hangs: "The database cannot be reached." */
  unreachable: string;
  /** Resolves when the dependency answers; throws (or rejects) when it does not. */
  check(): unknown;
  /** How long to wait for it (ms); DEFAULT_READY_TIMEOUT_MS unless given. */
  timeoutMs?: number;
}

export const DEFAULT_READY_TIMEOUT_MS = 1000;

export interface CheckFailure {
  name: string;
  unreachable: string;
  /** Why, for the log: the error's message, or that it did not answer in time. */
  cause: string;
}

/** Runs every check side by side; answers those that failed or did not answer in time (empty: ready). */
export async function runChecks(
  checks: readonly ReadinessCheck[],
  defaultTimeoutMs = DEFAULT_READY_TIMEOUT_MS,
): Promise<CheckFailure[]> {
  const results = await Promise.all(
    checks.map(async (c): Promise<CheckFailure | null> => {
      const timeoutMs = c.timeoutMs ?? defaultTimeoutMs;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        // A check that throws synchronously is a failure like one that rejects.
        await Promise.race([Promise.resolve().then(() => c.check()), timedOut]);
        return null;
      } catch (error) {
        return {
          name: c.name,
          unreachable: c.unreachable,
          cause: error instanceof Error ? error.message : String(error),
        };
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.filter((r): r is CheckFailure => r !== null);
}

/** Answers `GET /readyz`: 200 `ready`, or 503 with the sentence of every check that failed (and logs why). */
export async function serveReadiness(
  res: ServerResponse,
  checks: readonly ReadinessCheck[],
  onFailure: (failures: CheckFailure[]) => void,
  defaultTimeoutMs?: number,
): Promise<void> {
  const failures = await runChecks(checks, defaultTimeoutMs);
  const headers = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' };
  if (failures.length === 0) return void res.writeHead(200, headers).end('ready');
  onFailure(failures);
  res.writeHead(503, headers).end(failures.map((f) => f.unreachable).join(' '));
}
