/**
 * The DecisionLock (server/lock.ts) of servers sharing one PostgreSQL (#14):
 * the decisions of one initiative (workflow events, workshop commands,
 * membership changes) take turns across every process, so two facilitators on
 * two processes never both advance a phase and a vote budget is never
 * exceeded.
 *
 * Each decision first waits its turn in this process (LocalDecisionLock: at
 * most one connection per initiative and process waits in the database), then
 * holds a session-level advisory lock keyed by the initiative id's hash on a
 * connection of its own while its work runs, and releases it when the work
 * settles, whether it answered or failed. A connection that breaks ends its
 * session, and PostgreSQL frees the lock with it: a dead process never keeps
 * an initiative locked. Two ids with one hash only take turns needlessly.
 *
 * The pool given should be the lock's own (openPostgresStores makes one): a
 * decision holds its connection while its work uses the stores' pool, so
 * sharing one pool could leave every connection held by work waiting for another.
 */
import { LocalDecisionLock, type DecisionLock } from '../lock.ts';
import { isDatabaseUnreachable } from '../storage/outage.ts';
import { lockStatement, type Pool } from './pool.ts';

/** The first key of an initiative's decision lock ('dec'); the second is the initiative id's hash. */
export const DECISION_LOCK = 0x646563;

export class PgDecisionLock implements DecisionLock {
  private readonly local = new LocalDecisionLock();

  constructor(private readonly pool: Pool) {}

  run<T>(initiativeId: string, work: () => Promise<T>): Promise<T> {
    return this.local.run(initiativeId, async () => {
      const client = await this.pool.connect();
      const key = [DECISION_LOCK, initiativeId];
      try {
        await client.query(lockStatement('SELECT pg_advisory_lock($1, hashtext($2))', key));
      } catch (error) {
        client.release(error as Error);
        throw error;
      }
      // The connection sits idle while the work runs: if it breaks then, it says so here, not as an
      // unhandled 'error' event that would end the process (the pool listens only to idle connections).
      let broken: Error | undefined;
      const onError = (error: Error) => (broken = error);
      client.on('error', onError);
      try {
        return await work();
      } catch (error) {
        // The work found the database unreachable: the unlock would wait for its time limit too. The connection
        // is dropped instead, and its session ends with the lock.
        if (isDatabaseUnreachable(error)) broken ??= error as Error;
        throw error;
      } finally {
        // When the unlock fails the connection is dropped, not reused: its session ends and the lock with it.
        if (!broken) await client.query('SELECT pg_advisory_unlock($1, hashtext($2))', key).catch(onError);
        client.removeListener('error', onError);
        client.release(broken);
      }
    });
  }
}
