/**
 * The decision lock across processes (server/pg/lock.ts, #14): two "processes"
 * (each its own pool and its own PgDecisionLock) on one throwaway PostgreSQL.
 * The work of one initiative never overlaps, whichever process runs it; other
 * initiatives' work runs meanwhile; failing work, and a process whose
 * connection dies while it holds the lock, free it for the others.
 */
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { reentrant } from '../../server/lock.ts';
import { PgDecisionLock } from '../../server/pg/lock.ts';
import { createPool, type Pool, type PoolClient } from '../../server/pg/pool.ts';
import { filePostgres, PG_START_TIMEOUT } from './contract-databases.ts';

const pg = filePostgres();

/** A promise and the function that resolves it. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the decision lock on PostgreSQL, shared by several processes', () => {
  let pools: Pool[] = [];
  /** Two processes: a pool for their lock and one for their work (the stores'), as openPostgresStores makes them. */
  const processes = async () => {
    pools = [await pg.fresh(), await pg.pool(), await pg.pool(), await pg.pool()];
    const [workA, lockA, workB, lockB] = pools;
    return [
      { work: workA, lockPool: lockA, lock: new PgDecisionLock(lockA) },
      { work: workB, lockPool: lockB, lock: new PgDecisionLock(lockB) },
    ];
  };
  const advisoryLocks = async (pool: Pool) =>
    (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted")).rows[0].n;

  beforeAll(() => pg.database(), PG_START_TIMEOUT);
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    pools = [];
  });

  it('the work of one initiative never overlaps, whichever process runs it', async () => {
    const [a, b] = await processes();
    const events: string[] = [];
    const waitingInDatabase = async () =>
      (await a.work.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")).rows[0].n;
    const decide = (process: typeof a, name: string) =>
      process.lock.run('meadow', async () => {
        events.push(`enter ${name}`);
        // The first decision holds on until the other process waits for the lock in the database:
        // both are then at it together, and nothing but the lock keeps them apart.
        if (events.length === 1) await vi.waitFor(async () => expect(await waitingInDatabase()).toBeGreaterThan(0), { timeout: 10_000 });
        // Several round trips to the database: ample room for another decision to slip in if nothing held it out.
        for (let i = 0; i < 3; i++) await process.work.query('SELECT count(*) FROM initiatives');
        events.push(`leave ${name}`);
        return name;
      });
    const names = Array.from({ length: 12 }, (_, i) => `${i % 2 === 0 ? 'A' : 'B'}${i}`);
    expect(await Promise.all(names.map((name, i) => decide(i % 2 === 0 ? a : b, name)))).toEqual(names);
    expect(events).toHaveLength(24);
    for (let k = 0; k < events.length; k += 2) {
      expect(events[k]).toMatch(/^enter /);
      expect(events[k + 1]).toBe(events[k].replace('enter', 'leave'));
    }
    expect(await advisoryLocks(a.work)).toBe(0);
  });

  it('other initiatives decide meanwhile: a lock is per initiative, not for the whole database', async () => {
    const [a, b] = await processes();
    const bIn = deferred();
    // A's work can finish only once B's work for another initiative has started: one lock for all would never let it.
    const first = a.lock.run('meadow', async () => {
      await bIn.promise;
      return 'meadow decided';
    });
    const second = b.lock.run('riverside', async () => {
      bIn.resolve();
      return 'riverside decided';
    });
    expect(await Promise.all([first, second])).toEqual(['meadow decided', 'riverside decided']);
  });

  it('failing work frees the lock: its error reaches the caller and the next decision runs', async () => {
    const [a, b] = await processes();
    await expect(
      a.lock.run('meadow', async () => {
        await a.work.query('SELECT 1');
        throw new Error('The vote budget of 3 dots is spent.');
      }),
    ).rejects.toThrow('The vote budget of 3 dots is spent.');
    expect(await b.lock.run('meadow', async () => 'next')).toBe('next');
    expect(await a.lock.run('meadow', async () => 'and again')).toBe('and again');
    expect(await advisoryLocks(a.work)).toBe(0);
    // Every lock connection went back to its pool.
    expect(a.lockPool.idleCount).toBe(a.lockPool.totalCount);
    expect(b.lockPool.idleCount).toBe(b.lockPool.totalCount);
  });

  it('waiting for the lock longer than the statement limit is a wait, not an unreachable database', async () => {
    const url = await pg.database();
    pools = [await pg.fresh(), createPool(url, { queryTimeoutMillis: 300 }), createPool(url, { queryTimeoutMillis: 300 })];
    const [work, lockA, lockB] = pools;
    const [a, b] = [new PgDecisionLock(lockA), new PgDecisionLock(lockB)];
    const holding = deferred();
    const finish = deferred();
    const first = a.run('meadow', async () => {
      holding.resolve();
      await finish.promise;
      return 'a decided';
    });
    await holding.promise;
    const second = b.run('meadow', async () => 'b decided');
    // B's statement has waited in the database for more than the 300 ms a statement is given.
    await vi.waitFor(async () => {
      const { rows } = await work.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'SELECT pg_advisory_lock%' AND now() - query_start > interval '900 milliseconds'",
      );
      expect(rows[0].n).toBe(1);
    }, { timeout: 10_000, interval: 100 });
    finish.resolve();
    expect(await first).toBe('a decided');
    expect(await second).toBe('b decided');
  });

  it('work that finds the database unreachable drops its lock connection without an unlock; the session ends, and the lock with it', async () => {
    const [a, b] = await processes();
    const sent: string[] = [];
    const connect = a.lockPool.connect.bind(a.lockPool) as () => Promise<PoolClient>;
    a.lockPool.connect = (async () => {
      const client = await connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        const config = args[0] as string | { text: string };
        sent.push(typeof config === 'string' ? config : config.text);
        return query(...args);
      }) as PoolClient['query'];
      return client;
    }) as Pool['connect'];
    // What node-postgres says of a statement unanswered past its limit (a database that hangs).
    await expect(a.lock.run('meadow', async () => Promise.reject(new Error('Query read timeout')))).rejects.toThrow('Query read timeout');
    expect(sent.filter((text) => text.includes('unlock'))).toEqual([]);
    expect(sent.filter((text) => text.includes('pg_advisory_lock'))).toHaveLength(1);
    // The dropped connection's session ends, which frees the lock: the other process decides.
    expect(await b.lock.run('meadow', async () => 'b decided')).toBe('b decided');
    expect(a.lockPool.totalCount).toBe(0);
  });

  it('a process whose connection dies while it holds the lock frees it for the others, and lives on', async () => {
    const [a, b] = await processes();
    const holding = deferred();
    const finish = deferred();
    const first = a.lock.run('meadow', async () => {
      holding.resolve();
      await finish.promise;
      return 'finished without the lock';
    });
    await holding.promise;
    const waiting = b.lock.run('meadow', async () => 'b decided');
    // As a crashed machine or a restarted database would: the holder's session ends.
    const { rows } = await b.work.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted");
    expect(rows).toHaveLength(1);
    await b.work.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    expect(await waiting).toBe('b decided');
    finish.resolve();
    expect(await first).toBe('finished without the lock');
    // The broken connection was dropped, not handed out again: the next decision of A works.
    await vi.waitFor(async () => expect(await a.lock.run('meadow', async () => 'a again')).toBe('a again'));
  });

  it('re-entered by its holder (server/lock.ts reentrant), a decision inside a decision does not wait for itself', async () => {
    const [a] = await processes();
    const lock = reentrant(a.lock);
    expect(await lock.run('meadow', () => lock.run('meadow', async () => 'inner'))).toBe('inner');
  });
});
