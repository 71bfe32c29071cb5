/**
 * `bench:cluster`'s kill: three processes behind the reference nginx
 * (docs/nginx.conf, run by test/support/nginx.ts), the clients of a workload all
 * connected through nginx (which deals them over the processes), edits flowing
 * from random clients. One process gets `kill -9` in the middle of it; the
 * writers stop at that instant (edits in flight stay in flight) and every client
 * makes one more edit, those of the killed process while they are cut off.
 *
 * The killed process's clients are the ones whose connection closes. For each:
 * the time from the kill until it is connected and synced again (through nginx,
 * to another process), and until it is back in sync: its document's state
 * vector equals that of every other client of its room, which, since every
 * client made an edit after the kill, means each has everything.
 */
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import { startNginx } from '../test/support/nginx.ts';
import { call } from './servers.ts';
import { closeClients, connectClients, type Client } from './clusterWorkloads.ts';
import { startCluster, type Backing } from './clusterServers.ts';
import { median } from './stats.ts';
import type { Scenario } from './syncWorkloads.ts';

export interface KillFigures {
  clients: number;
  /** Clients of the killed process (its open sync connections just before the kill). */
  victims: number;
  /** Edits made before the kill, from the start of the writing. */
  editsBefore: number;
  /** Kill to the websocket open again (through nginx, on another process). */
  connectedMs: { p50: number; max: number };
  /** Kill to connected and synced again, over the killed process's clients. */
  reconnectMs: { p50: number; max: number };
  /** Kill to the same document as every other client of the room. */
  backInSyncMs: { p50: number; max: number };
  /** Closed connections of the killed process's clients after the kill (the kill's own included): failed attempts make y-websocket back off. */
  closesAfterKill: { p50: number; max: number; codes: Record<string, number> };
  /** Clients of the killed process not back in sync when the bench gave up (30 s). */
  notBackInSync: number;
}

const GIVE_UP_MS = 30_000;

const connections = async (url: string, token: string) =>
  Number(/^convene_connections (\d+)/m.exec((await call(url, 'GET', '/metrics', token)).text)?.[1] ?? NaN);

export async function killRun(main: string, backing: Backing, scenario: Scenario, seed: number, writeMs = 1000): Promise<KillFigures> {
  const cluster = await startCluster(main, backing);
  // Without room affinity, as the workloads deal clients: every room has clients on the process killed.
  const nginx = await startNginx(cluster.servers.map((s) => s.port), { roomAffinity: false });
  const generator = prng.create(seed);
  const pick = (below: number) => prng.uint32(generator, 0, below - 1);
  let clients: Client[] = [];
  try {
    const token = cluster.deployment.adminToken!;
    // Rooms and invites straight to one process; the sockets through nginx, which deals them over the three.
    const through = { name: 'nginx', procs: [{ pid: 0, url: nginx.url }], apiUrl: cluster.servers[0].url, adminToken: token, syncPath: '/collab' };
    clients = await connectClients(through, scenario);
    const victim = cluster.servers[pick(cluster.servers.length)];

    let killedAt = Infinity;
    const cut = new Map<Client, { connectedAt?: number; reconnectedAt?: number; inSyncAt?: number }>();
    let measuring = true;
    const closes = new Map<Client, number>();
    const codes: Record<string, number> = {};
    for (const c of clients) {
      c.provider.on('connection-close', (event: { code?: number } | null) => {
        if (performance.now() < killedAt || !measuring) return;
        closes.set(c, (closes.get(c) ?? 0) + 1);
        const code = String(event?.code ?? 'none');
        codes[code] = (codes[code] ?? 0) + 1;
      });
      c.provider.on('status', ({ status }: { status: string }) => {
        if (status === 'disconnected' && performance.now() >= killedAt && !cut.has(c)) cut.set(c, {});
        const entry = cut.get(c);
        if (status === 'connected' && entry && entry.connectedAt === undefined) entry.connectedAt = performance.now();
      });
      c.provider.on('sync', (synced: boolean) => {
        const entry = cut.get(c);
        if (synced && entry && entry.reconnectedAt === undefined) entry.reconnectedAt = performance.now();
      });
    }

    // Edits from random clients, two every 10 ms, until the kill.
    let editsBefore = 0;
    const writer = setInterval(() => {
      for (let i = 0; i < 2; i++) clients[pick(clients.length)].doc.getMap('edits').set(`w-${editsBefore++}`, editsBefore);
    }, 10);
    await new Promise((resolve) => setTimeout(resolve, writeMs));
    const victims = await connections(victim.url, token);
    killedAt = performance.now();
    victim.child.kill('SIGKILL');
    clearInterval(writer);
    clients.forEach((c, i) => c.doc.getMap('edits').set(`after-${i}`, i));

    const byRoom = new Map<number, Client[]>();
    for (const c of clients) byRoom.set(c.room, [...(byRoom.get(c.room) ?? []), c]);
    const vector = (c: Client) => Buffer.from(Y.encodeStateVector(c.doc)).toString('base64');
    while (performance.now() - killedAt < GIVE_UP_MS) {
      const waiting = [...cut].filter(([, e]) => e.inSyncAt === undefined);
      if (cut.size >= victims && waiting.length === 0) break;
      const now = performance.now();
      for (const [c, entry] of waiting) {
        if (!c.provider.wsconnected || !c.provider.synced) continue;
        const mine = vector(c);
        if (byRoom.get(c.room)!.every((other) => vector(other) === mine)) entry.inSyncAt = now;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    measuring = false; // the clients' own closes at the end are not the kill's
    const entries = [...cut.values()];
    const since = (list: (number | undefined)[]) => list.filter((t): t is number => t !== undefined).map((t) => t - killedAt);
    const reconnect = since(entries.map((e) => e.reconnectedAt));
    const inSync = since(entries.map((e) => e.inSyncAt));
    const spread = (ms: number[]) => (ms.length ? { p50: Math.round(median(ms)), max: Math.round(Math.max(...ms)) } : { p50: NaN, max: NaN });
    return {
      clients: clients.length,
      victims,
      editsBefore,
      connectedMs: spread(since(entries.map((e) => e.connectedAt))),
      reconnectMs: spread(reconnect),
      backInSyncMs: spread(inSync),
      closesAfterKill: { ...spread([...cut.keys()].map((c) => closes.get(c) ?? 0)), codes },
      notBackInSync: victims - inSync.length,
    };
  } finally {
    closeClients(clients);
    await nginx.stop();
    await cluster.stop();
  }
}
