/**
 * Two Convene servers (two "processes") on one PostgreSQL (#14), each with its
 * own `openPostgresStores` and its decision lock, through the real HTTP API:
 * what one writes the other reads, an invite is redeemed once whichever server
 * is asked, and two leads demoting each other on two servers at once leave
 * one lead. The lead wires DATABASE_URL the same way in server/main.ts.
 */
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStores } from '../../server/pg/stores.ts';
import { filePostgres, PG_START_TIMEOUT } from './contract-databases.ts';
import { startHarness, type Harness } from './harness.ts';

const pg = filePostgres();

describe('two servers on one PostgreSQL', () => {
  let servers: Harness[] = [];
  beforeAll(() => pg.database(), PG_START_TIMEOUT);
  afterEach(async () => {
    // Closing a server closes its stores.
    await Promise.all(servers.map((s) => s.stop()));
    servers = [];
  });

  const twoServers = async () => {
    const url = await pg.database();
    // Every table emptied: a fresh start for this test.
    await (await pg.fresh(1)).end();
    const adminToken = 'a'.repeat(48);
    for (let i = 0; i < 2; i++) {
      const stores = await openPostgresStores(url);
      servers.push(await startHarness({ stores, lock: stores.lock, adminToken }));
    }
    return servers;
  };

  it('what one server writes the other serves; an invite redeemed on both at once makes one member', async () => {
    const [a, b] = await twoServers();
    const id = await a.createInitiative('Meadow County Coalition for Healthy Youth');
    expect((await b.api('GET', '/api/initiatives')).body).toEqual(expect.arrayContaining([expect.objectContaining({ id, name: 'Meadow County Coalition for Healthy Youth' })]));

    // Dana joins through server B; her session works on server A.
    const dana = await b.join(id, 'lead', 'Dana Whitfield');
    const members = await a.api('GET', `/api/initiatives/${id}/members`, undefined, dana.token);
    expect(members.status).toBe(200);
    expect((members.body as { name: string }[]).map((m) => m.name)).toEqual(['Dana Whitfield']);

    for (let round = 0; round < 4; round++) {
      const link = await a.inviteLink(id, 'participant');
      const answers = await Promise.all([
        a.api('POST', '/api/session', { token: link.token, name: `Amira ${round}` }, ''),
        b.api('POST', '/api/session', { token: link.token, name: `Mallory ${round}` }, ''),
      ]);
      expect(answers.map((r) => r.status).sort()).toEqual([200, 410]);
    }
    const after = await b.api('GET', `/api/initiatives/${id}/members`, undefined, dana.token);
    expect((after.body as unknown[]).length).toBe(5);
  });

  it('a server on PostgreSQL writes nothing to its data directory: one it cannot make does not stop it', async () => {
    const url = await pg.database();
    await (await pg.fresh(1)).end();
    const stores = await openPostgresStores(url);
    // Never made: were the server to make it (as on SQLite), a deployment whose DATA_DIR it may not write would crash at start.
    const dataDir = join(tmpdir(), `convene-never-made-${process.pid}-${Date.now()}`);
    const server = await startHarness({ stores, lock: stores.lock, adminToken: 'b'.repeat(48), dataDir });
    servers.push(server);
    const id = await server.createInitiative('Harbor City Food Security Network');
    expect((await server.api('GET', `/api/initiatives/${id}`)).status).toBe(200);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('two leads demoting each other on two servers at once: one is refused, one lead stays', async () => {
    const [a, b] = await twoServers();
    const id = await a.createInitiative('Riverside Homelessness Partnership');
    const dana = await a.join(id, 'lead', 'Dana Whitfield');
    const sam = await b.join(id, 'lead', 'Sam Ortiz');
    const answers = await Promise.all([
      a.api('PATCH', `/api/initiatives/${id}/members/${sam.memberId}`, { role: 'observer' }, dana.token),
      b.api('PATCH', `/api/initiatives/${id}/members/${dana.memberId}`, { role: 'observer' }, sam.token),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const members = (await a.api('GET', `/api/initiatives/${id}/members`)).body as { role: string }[];
    expect(members.filter((m) => m.role === 'lead')).toHaveLength(1);
  });

  it('workflow events sent to both servers at once: each decides from the other’s, and the history keeps both', async () => {
    const [a, b] = await twoServers();
    const id = await a.createInitiative('Meadow County Coalition for Healthy Youth');
    // Both servers have loaded the workflow before either changes it.
    for (const server of [a, b]) expect((await server.api('GET', `/api/initiatives/${id}/workflow`)).status).toBe(200);
    const assess = (precondition: string) => ({ type: 'readiness.assess', precondition, status: 'met', evidence: 'Minutes of the leadership table.' });
    for (let round = 0; round < 3; round++) {
      const answers = await Promise.all([
        a.api('POST', `/api/initiatives/${id}/events`, assess(round % 2 === 0 ? 'champion' : 'urgency')),
        b.api('POST', `/api/initiatives/${id}/events`, assess(round % 2 === 0 ? 'resources' : 'champion')),
      ]);
      expect(answers.map((r) => r.status)).toEqual([200, 200]);
    }
    for (const server of [a, b]) expect(((await server.api('GET', `/api/initiatives/${id}/workflow`)).body.history as unknown[]).length).toBe(6);
  });
});
