/**
 * docs/nginx.conf's room affinity (`upstream convene_rooms`, `hash $uri
 * consistent`), with three real server processes on one PostgreSQL and one
 * Redis behind it (#14, docs/deploy.md "Room affinity"): the websockets of one
 * room all go to one process, different rooms go to different processes, and
 * when a room's process is killed its clients come back through nginx together
 * on one other process, with every edit any of them had received.
 */
import { describe, expect, it, vi } from 'vitest';
import { syncClient } from './harness.ts';
import { clusterParts } from './cluster.ts';
import { call, metricValue, seedInitiative } from './sync-helpers.ts';

const { clients, cluster } = clusterParts();

describe('room affinity through the reference nginx', () => {
  it('one room’s websockets on one process, rooms spread over the processes, and a killed room’s clients together on the next', async () => {
    const { servers, nginx, adminToken } = await cluster(3);
    const connections = async () =>
      Promise.all(servers.map(async (s) => metricValue((await call(s.url, 'GET', '/metrics', adminToken)).text, 'convene_connections')));

    // Six people of one room, each connecting through nginx: all on one process.
    const { id, tokens } = await seedInitiative(nginx.url, adminToken, Array.from({ length: 6 }, () => 'participant'));
    const room = tokens.map((token) => syncClient(nginx.url, id, token));
    clients.push(...room);
    await Promise.all(room.map((c) => c.synced));
    const placed = await connections();
    expect([...placed].sort()).toEqual([0, 0, 6]);
    const host = servers[placed.indexOf(6)];

    // Eleven other rooms, one person each: not all on that one process (with three processes, all twelve rooms
    // on one would be a chance of about 1 in 177,000).
    const others = [];
    for (let r = 0; r < 11; r++) {
      const other = await seedInitiative(nginx.url, adminToken, ['participant']);
      const client = syncClient(nginx.url, other.id, other.tokens[0]);
      clients.push(client);
      others.push(client);
    }
    await Promise.all(others.map((c) => c.synced));
    const spread = await connections();
    expect(spread.reduce((a, b) => a + b, 0)).toBe(17);
    expect(spread.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    for (const c of others) c.destroy();
    await vi.waitFor(async () => expect((await connections()).reduce((a, b) => a + b, 0)).toBe(6));

    // Edits flow; then the room's process dies.
    room.forEach((c, i) => c.doc.getMap('edits').set(`before-${i}`, i));
    await vi.waitFor(() => {
      for (const c of room) expect(c.doc.getMap('edits').size).toBe(6);
    });
    host.child.kill('SIGKILL');
    await host.exited;

    // Its clients reconnect through nginx by themselves, all to one other process (the next on the hash ring),
    // keep what they had and take each other's edits again.
    room.forEach((c, i) => c.doc.getMap('edits').set(`after-${i}`, i));
    const left = servers.filter((s) => s !== host);
    await vi.waitFor(
      async () => {
        const counts = await Promise.all(left.map(async (s) => metricValue((await call(s.url, 'GET', '/metrics', adminToken)).text, 'convene_connections')));
        expect([...counts].sort()).toEqual([0, 6]);
      },
      { timeout: 20_000, interval: 100 },
    );
    await vi.waitFor(
      () => {
        for (const c of room) expect([...c.doc.getMap('edits').keys()].sort()).toHaveLength(12);
      },
      { timeout: 20_000, interval: 50 },
    );
  }, 120_000);
});
