/**
 * "Online now" in the members list across real server processes (#14 point 2,
 * server/people/onlineAcross.ts): a member connected to any process is online
 * in the list every process answers; one who leaves is not, at once (not after
 * a heartbeat timeout); one whose process is killed with `kill -9` is not
 * within a few seconds; a process started later knows who was already there.
 */
import { describe, expect, it, vi } from 'vitest';
import { syncClient, type SyncClient } from './harness.ts';
import { clusterParts } from './cluster.ts';
import { call, seedInitiative } from './sync-helpers.ts';

/** The heartbeat timeout is 3 s, checked every second. */
const GONE_WITHIN_MS = 6_000;
/** Less than the heartbeat timeout: a goodbye of the member, not of the process. */
const AT_ONCE_MS = 2_900;

const { clients, processes, another } = clusterParts();

/** The names of the members the list at `url` says are online. */
async function onlineAt(url: string, id: string, adminToken: string): Promise<string[]> {
  const { status, body } = await call(url, 'GET', `/api/initiatives/${id}/members`, adminToken);
  expect(status).toBe(200);
  return (body as { name: string; online: boolean }[]).filter((m) => m.online).map((m) => m.name).sort();
}

async function connect(url: string, id: string, token: string): Promise<SyncClient> {
  const client = syncClient(url, id, token);
  clients.push(client);
  await client.synced;
  return client;
}

describe('members online across processes', () => {
  it('a member connected to one process is online in every process’s list, and not once they leave', async () => {
    const { servers, adminToken } = await processes(3);
    const [a, b, c] = servers;
    const { id, tokens } = await seedInitiative(a.url, adminToken, ['participant', 'facilitator', 'participant']);
    for (const server of servers) expect(await onlineAt(server.url, id, adminToken)).toEqual([]);

    const first = await connect(b.url, id, tokens[0]);
    await connect(c.url, id, tokens[1]);
    for (const server of servers) {
      await vi.waitFor(async () => expect(await onlineAt(server.url, id, adminToken)).toEqual(['Member 1', 'Member 2']), { timeout: 5_000 });
    }

    const left = performance.now();
    clients.splice(clients.indexOf(first), 1);
    first.destroy();
    await vi.waitFor(async () => expect(await onlineAt(a.url, id, adminToken)).toEqual(['Member 2']), { timeout: AT_ONCE_MS, interval: 50 });
    expect(performance.now() - left).toBeLessThan(AT_ONCE_MS);
    expect(await onlineAt(c.url, id, adminToken)).toEqual(['Member 2']);
  }, 60_000);

  it('kill -9 of a process: its members are offline elsewhere within a few seconds; a process started later knows who is online', async () => {
    const { servers, adminToken, databaseUrl } = await processes(2);
    const [survivor, victim] = servers;
    const { id, tokens } = await seedInitiative(survivor.url, adminToken, ['participant', 'participant']);
    await connect(victim.url, id, tokens[0]);
    await connect(survivor.url, id, tokens[1]);
    await vi.waitFor(async () => expect(await onlineAt(survivor.url, id, adminToken)).toEqual(['Member 1', 'Member 2']), { timeout: 5_000 });

    // A third process, started now, hears from the others who is connected to them.
    const late = await another(databaseUrl, adminToken);
    await vi.waitFor(async () => expect(await onlineAt(late.url, id, adminToken)).toEqual(['Member 1', 'Member 2']), { timeout: 5_000 });

    const killed = performance.now();
    victim.child.kill('SIGKILL');
    for (const server of [survivor, late]) {
      await vi.waitFor(async () => expect(await onlineAt(server.url, id, adminToken)).toEqual(['Member 2']), { timeout: GONE_WITHIN_MS, interval: 100 });
    }
    expect(performance.now() - killed).toBeLessThan(GONE_WITHIN_MS);
  }, 60_000);
});
