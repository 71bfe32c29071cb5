/**
 * `openPostgresStores` (server/pg/stores.ts, #14): every store of a server on
 * one throwaway PostgreSQL, migrated on open (also when several processes open
 * an empty database at once), a `ping` that says false instead of throwing or
 * hanging while the database cannot be reached, and a clear refusal when it
 * cannot be opened. Reachability is cut by a TCP relay between the stores and
 * the real server, as a network would cut it.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { frameworkSnapshot } from '../../machines/framework/snapshot.ts';
import { PG_MIGRATIONS } from '../../server/pg/migrate.ts';
import { createPool, inTransaction, type Pool, type PoolClient } from '../../server/pg/pool.ts';
import { isDatabaseUnreachable } from '../../server/storage/outage.ts';
import { openPostgresStores, type PostgresStores } from '../../server/pg/stores.ts';
import type { InitiativeFigures } from '../../server/portfolio/types.ts';
import { meadowFramework } from '../machines/framework/framework-model.ts';
import { freePort } from '../support/ports.ts';
import { filePostgres, PG_START_TIMEOUT } from './contract-databases.ts';
import { testClock } from './harness.ts';

const pg = filePostgres();
const LATEST = PG_MIGRATIONS[PG_MIGRATIONS.length - 1].version;
const FIGURES: InitiativeFigures = {
  stage: 'readiness',
  progress: { met: 2, total: 7 },
  stageSince: '2026-03-02T09:00:00.000Z',
  estimate: { minMonths: 8, maxMonths: 13, answered: true },
  reportCard: null,
  unmet: 5,
  lastWorkshop: null,
  lastActivityAt: '2026-03-02T10:00:00.000Z',
};

/** A TCP relay to `port` that can cut every connection (`cut`) and let them through again (`mend`). */
async function relay(port: number): Promise<{ url(database: string): string; cut(): void; mend(): void; close(): Promise<void> }> {
  let open = true;
  const sockets = new Set<Socket>();
  const server: Server = createServer((incoming) => {
    if (!open) return void incoming.destroy();
    const outgoing = connect(port, '127.0.0.1');
    for (const s of [incoming, outgoing]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    incoming.pipe(outgoing).pipe(incoming);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const own = (server.address() as { port: number }).port;
  return {
    url: (database) => `postgres://convene@127.0.0.1:${own}/${database}`,
    cut() {
      open = false;
      for (const s of sockets) s.destroy();
    },
    mend() {
      open = true;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('openPostgresStores', () => {
  let opened: PostgresStores[] = [];
  let pools: Pool[] = [];
  beforeAll(() => pg.database(), PG_START_TIMEOUT);
  afterEach(async () => {
    await Promise.all([...opened.map((s) => s.close()), ...pools.map((p) => p.end())]);
    opened = [];
    pools = [];
  });
  const open = async (url: string, ...rest: Parameters<typeof openPostgresStores> extends [string, ...infer R] ? R : never) => {
    const stores = await openPostgresStores(url, ...rest);
    opened.push(stores);
    return stores;
  };

  it('opens every store on an empty database, migrated, and each of them keeps what it is given', async () => {
    const clock = testClock();
    const url = await (await pg.server()).createDatabase();
    const stores = await open(url, clock.now);
    expect(stores.migration).toEqual({ from: 0, to: LATEST, applied: PG_MIGRATIONS.map((m) => m.version) });
    expect(await stores.ping()).toBe(true);

    const meadow = await stores.initiatives.createInitiative('Meadow County Coalition for Healthy Youth', 'Teen substance use');
    expect(meadow.createdAt).toBe(new Date(clock.now()).toISOString());
    const dana = await stores.people.addMember(meadow.id, 'lead', 'Dana Whitfield', 'Backbone lead');
    const doc = new Y.Doc();
    doc.getText('note').insert(0, 'Youth council first');
    expect(await stores.docs.append(`initiative:${meadow.id}`, Y.encodeStateAsUpdate(doc))).toBe(1);
    doc.destroy();
    await stores.workshops.create({ id: 'w1', initiativeId: meadow.id, title: 'Kick-off', date: null, status: 'draft', snapshot: { value: 'draft' }, createdBy: dana.id });
    await stores.measures.setSettings(meadow.id, 'Youth vaping rate', { access: 'members' });
    const version = await stores.versions.save(meadow.id, {
      name: 'First draft',
      note: '',
      kind: 'saved',
      content: frameworkSnapshot(meadowFramework()),
      by: { id: dana.id, name: 'Dana Whitfield' },
      at: new Date(clock.now()).toISOString(),
    });
    await stores.statuses.put(meadow.id, FIGURES, new Date(clock.now()).toISOString());
    expect(await stores.lock.run(meadow.id, async () => 'decided')).toBe('decided');

    // Another process on the same database finds it all.
    const other = await open(url, clock.now);
    expect(other.migration).toEqual({ from: LATEST, to: LATEST, applied: [] });
    expect(await other.initiatives.listInitiatives()).toEqual([meadow]);
    expect((await other.people.leads(meadow.id)).map((m) => m.name)).toEqual(['Dana Whitfield']);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, (await other.docs.load(`initiative:${meadow.id}`))!.update);
    expect(loaded.getText('note').toString()).toBe('Youth council first');
    loaded.destroy();
    expect((await other.workshops.list(meadow.id)).map((w) => w.title)).toEqual(['Kick-off']);
    expect((await other.measures.settings(meadow.id)).get('Youth vaping rate')).toMatchObject({ access: 'members' });
    expect(await other.versions.get(meadow.id, version.id)).toEqual(version);
    expect((await other.statuses.get([meadow.id])).get(meadow.id)).toEqual(FIGURES);
  });

  it('several processes opening one empty database at once all start; one of them migrates it', async () => {
    const url = await (await pg.server()).createDatabase();
    const all = await Promise.all([open(url), open(url), open(url)]);
    expect(all.filter((s) => s.migration.applied.length > 0)).toHaveLength(1);
    expect(all.map((s) => s.migration.to)).toEqual([LATEST, LATEST, LATEST]);
  });

  it('a database that cannot be reached is refused with where it was tried, never the password', async () => {
    const port = await freePort();
    const attempt = openPostgresStores(`postgres://convene:s3cret-password@127.0.0.1:${port}/convene`);
    await expect(attempt).rejects.toThrow(`PostgreSQL at convene@127.0.0.1:${port}/convene could not be opened`);
    await expect(attempt).rejects.not.toThrow('s3cret-password');
  });

  it('ping says false while the database cannot be reached, true again once it can, and false once closed', async () => {
    const cable = await relay((await pg.server()).port);
    try {
      const stores = await open(cable.url(new URL(await pg.database()).pathname.slice(1)), Date.now, { pingTimeoutMs: 500 });
      expect(await stores.ping()).toBe(true);
      cable.cut();
      expect(await stores.ping()).toBe(false);
      cable.mend();
      await vi.waitFor(async () => expect(await stores.ping()).toBe(true), { timeout: 10_000 });
      await stores.close();
      expect(await stores.ping()).toBe(false);
      await stores.close();
    } finally {
      await cable.close();
    }
  });

  it('a transaction whose statement gets no answer in time (a database that hangs) fails once, without waiting again for a ROLLBACK', async () => {
    const mine = createPool(await pg.database(), { queryTimeoutMillis: 300 });
    pools = [mine];
    // One connection, open and idle in the pool before the database stops answering.
    expect((await mine.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
    const sent: string[] = [];
    mine.on('acquire', (client: PoolClient) => {
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      client.query = ((...args: unknown[]) => {
        sent.push(String(typeof args[0] === 'string' ? args[0] : (args[0] as { text: string }).text));
        return query(...args);
      }) as PoolClient['query'];
    });
    const server = await pg.server();
    server.freeze();
    try {
      const failed = await inTransaction(mine, async (client) => void (await client.query('SELECT 1'))).then(
        () => null,
        (error: unknown) => error,
      );
      expect((failed as Error).message).toBe('Query read timeout');
      expect(isDatabaseUnreachable(failed)).toBe(true);
      // BEGIN went unanswered; no ROLLBACK was sent after it to wait for its own limit, and the connection was dropped.
      expect(sent).toEqual(['BEGIN']);
      expect(mine.totalCount).toBe(0);
    } finally {
      server.thaw();
    }
    expect((await mine.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });

  it('a connection that breaks inside a transaction fails that transaction, and the process lives on', async () => {
    pools = [await pg.pool(), await pg.pool()];
    const [mine, other] = pools;
    const attempt = inTransaction(mine, async (client) => {
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await other.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      // The break reaches the client while it is idle, between two statements.
      await vi.waitFor(async () => expect((await other.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1', [rows[0].pid])).rows[0].n).toBe(0));
      await client.query('SELECT 1');
    });
    await expect(attempt).rejects.toThrow();
    expect((await mine.query<{ one: number }>('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
