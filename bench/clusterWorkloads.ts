/**
 * The deployments `bench:cluster` compares and one measured round on each.
 *
 * A deployment is one or more server processes with y-websocket clients (all in
 * this process) connected straight to them: Convene's compiled build, three
 * processes on PostgreSQL and Redis with clients dealt round robin over the
 * processes (bench/clusterFigures.ts `processOf`); the same build as one process
 * on SQLite; and the reference server. Connecting straight, not through nginx,
 * tells which process each client is on, so every delivery is known to be
 * same-process or cross-process, and no proxy hop is added to one side only.
 *
 * The workloads and their load are bench:sync's (bench/syncWorkloads.ts
 * SCENARIOS); a round is measured as there: each edit carries its send time and
 * every other client of the room records its delay. Beside that, each process's
 * CPU and resident memory from /proc (bench/cpu.ts) and, on Convene, its
 * storage-write metric from /metrics before and after the round.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { driveEdits, editProbe } from './editProbe.ts';
import { phaseCost, readProcess, type ProcessSample } from './cpu.ts';
import { api, call } from './servers.ts';
import { parseStorageWrites, processOf, propagation, writeLatency, type Delivery, type Propagation, type WriteLatency } from './clusterFigures.ts';
import type { Load, Scenario } from './syncWorkloads.ts';

/** One server process of a deployment. */
export interface Proc {
  pid: number;
  url: string;
}

export interface Deployment {
  name: string;
  procs: Proc[];
  /** Convene's admin token (rooms, invites and /metrics); none for the reference. */
  adminToken?: string;
  /** The sync path: `/collab` on Convene, the root on the reference. */
  syncPath: string;
  /** Where rooms and invites are made, when not the first process (clients of the kill go through nginx, but its setup does not). */
  apiUrl?: string;
  /** Processes the deployment relies on (PostgreSQL's and Redis's), read at each round's start and end. */
  support?: () => number[];
  /**
   * How clients are dealt over the processes: `spread` (the default) round robin, so every room has
   * clients on every process; `room`, every client of a room on one process (room r on process r mod n),
   * as the reference nginx's room affinity places them (docs/deploy.md).
   */
  placement?: 'spread' | 'room';
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  room: number;
  proc: number;
}

export interface ProcessFigures {
  cpuMs: number;
  cpuPercent: number;
  rssMb: number;
  /** Durable writes during the round (Convene only). */
  writes?: WriteLatency;
}

export interface ClusterRound {
  propagation: Propagation;
  updatesPerSecond: number;
  edits: number;
  delivered: number;
  seconds: number;
  /** CPU of every process of the deployment together, per delivered update. */
  cpuMsPerDelivered: number;
  perProcess: ProcessFigures[];
  /** The largest resident memory among the processes. */
  maxRssMb: number;
  /** CPU of the supporting processes (PostgreSQL's backends, Redis) over the round, in per cent of one core. */
  supportCpuPercent?: number;
}

/** Rooms and a credential per client: invites on Convene (made through its first process), nothing on the reference. */
async function prepareRooms(deployment: Deployment, scenario: Scenario): Promise<{ rooms: string[]; tokens: string[][] }> {
  const rooms: string[] = [];
  const tokens: string[][] = [];
  const { adminToken } = deployment;
  const url = deployment.apiUrl ?? deployment.procs[0].url;
  for (let r = 0; r < scenario.rooms; r++) {
    if (!adminToken) {
      rooms.push(`bench-${Date.now()}-${r}`);
      tokens.push([]);
      continue;
    }
    const { id } = await api(url, 'POST', '/api/initiatives', adminToken, { name: `Bench ${r}`, issue: 'Benchmarks' });
    rooms.push(id);
    const list: string[] = [];
    for (let c = 0; c < scenario.clientsPerRoom; c++) {
      const invite = await api(url, 'POST', `/api/initiatives/${id}/invites`, adminToken, { role: 'participant' });
      list.push((await api(url, 'POST', '/api/session', '', { token: invite.token, name: `Bench client ${c}` })).token);
    }
    tokens.push(list);
  }
  return { rooms, tokens };
}

/** A y-websocket client of `room` at `baseUrl` (http…), synced. */
export function openClient(baseUrl: string, room: string, token: string | undefined): { doc: Y.Doc; provider: WebsocketProvider; synced: Promise<void> } {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, 'ws'), room, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: token ? { token } : {},
  });
  const synced = new Promise<void>((done) => (provider.synced ? done() : provider.once('sync', () => done())));
  return { doc, provider, synced };
}

/** Every client of the scenario, dealt over the deployment's processes (see `placement`), each synced. */
export async function connectClients(deployment: Deployment, scenario: Scenario): Promise<Client[]> {
  const { rooms, tokens } = await prepareRooms(deployment, scenario);
  const clients: (Client & { synced: Promise<void> })[] = [];
  for (let r = 0; r < rooms.length; r++) {
    for (let c = 0; c < scenario.clientsPerRoom; c++) {
      const proc = deployment.placement === 'room' ? r % deployment.procs.length : processOf(r, c, scenario.clientsPerRoom, deployment.procs.length);
      const { doc, provider, synced } = openClient(deployment.procs[proc].url + deployment.syncPath, rooms[r], tokens[r][c]);
      clients.push({ doc, provider, room: r, proc, synced });
    }
  }
  await Promise.all(clients.map((c) => c.synced));
  return clients.map(({ doc, provider, room, proc }) => ({ doc, provider, room, proc }));
}

export function closeClients(clients: Client[]): void {
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
}

/** CPU time by process of those still running (a process may end between the listing and the reading). */
function cpuOf(pids: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    try {
      out.set(pid, readProcess(pid).cpuMs);
    } catch {
      // gone: a PostgreSQL backend whose connection closed
    }
  }
  return out;
}

/** CPU spent between two readings by the processes in both (one that started or ended meanwhile is left out). */
function supportCpuMs(before: Map<number, number>, after: Map<number, number>): number {
  let ms = 0;
  for (const [pid, cpu] of after) if (before.has(pid)) ms += cpu - before.get(pid)!;
  return ms;
}

async function scrapeWrites(deployment: Deployment): Promise<ReturnType<typeof parseStorageWrites>[] | null> {
  const token = deployment.adminToken;
  if (!token) return null;
  return Promise.all(deployment.procs.map(async (p) => parseStorageWrites((await call(p.url, 'GET', '/metrics', token)).text)));
}

/** One measured round on a deployment whose clients are connected. */
export async function measureRound(deployment: Deployment, clients: Client[], scenario: Scenario, load: Load, rep: number): Promise<ClusterRound> {
  const deliveries: Delivery[] = [];
  const probe = editProbe(clients, scenario.clientsPerRoom, (ms, sender, receiver) => deliveries.push({ ms, from: sender.proc, to: receiver.proc }));
  const writesBefore = await scrapeWrites(deployment);
  const before: ProcessSample[] = deployment.procs.map((p) => readProcess(p.pid));
  const supportBefore = deployment.support && cpuOf(deployment.support());
  const started = performance.now();
  const edits = await driveEdits(probe, clients, scenario, load, rep);
  const seconds = (performance.now() - started) / 1000;
  const after = deployment.procs.map((p) => readProcess(p.pid));
  const supportAfter = deployment.support && cpuOf(deployment.support());
  const writesAfter = await scrapeWrites(deployment);
  probe.stop();

  const sum = (samples: ProcessSample[]): ProcessSample => ({
    cpuMs: samples.reduce((s, x) => s + x.cpuMs, 0),
    systemMs: samples.reduce((s, x) => s + x.systemMs, 0),
    rssBytes: samples.reduce((s, x) => s + x.rssBytes, 0),
  });
  const cost = phaseCost(sum(before), sum(after), { edits, delivered: deliveries.length, seconds });
  const perProcess = deployment.procs.map((_, i): ProcessFigures => {
    const cpuMs = after[i].cpuMs - before[i].cpuMs;
    return {
      cpuMs,
      cpuPercent: (cpuMs / 1000 / seconds) * 100,
      rssMb: after[i].rssBytes / 2 ** 20,
      ...(writesBefore && writesAfter ? { writes: writeLatency(writesBefore[i], writesAfter[i]) } : {}),
    };
  });
  return {
    propagation: propagation(deliveries),
    updatesPerSecond: cost.updatesPerSecond,
    edits,
    delivered: deliveries.length,
    seconds,
    cpuMsPerDelivered: cost.cpuMsPerDelivered,
    perProcess,
    maxRssMb: Math.max(...perProcess.map((p) => p.rssMb)),
    ...(supportBefore && supportAfter ? { supportCpuPercent: (supportCpuMs(supportBefore, supportAfter) / 1000 / seconds) * 100 } : {}),
  };
}

/**
 * The deployments side by side on one workload, rounds interleaved (round k
 * starts with the k-th deployment, then the others in turn) after one warm-up
 * round each; answers each deployment's rounds in the order given.
 */
export async function runInterleaved(deployments: Deployment[], scenario: Scenario, load: Load, rounds: number): Promise<ClusterRound[][]> {
  const prepared: { deployment: Deployment; clients: Client[]; rounds: ClusterRound[] }[] = [];
  try {
    for (const deployment of deployments) {
      const clients = await connectClients(deployment, scenario);
      prepared.push({ deployment, clients, rounds: [] });
      await measureRound(deployment, clients, scenario, load, -1); // warm-up, not counted
    }
    for (let rep = 0; rep < rounds; rep++) {
      const first = rep % prepared.length;
      for (const p of [...prepared.slice(first), ...prepared.slice(0, first)]) {
        p.rounds.push(await measureRound(p.deployment, p.clients, scenario, load, rep));
      }
    }
  } finally {
    for (const p of prepared) closeClients(p.clients);
  }
  return prepared.map((p) => p.rounds);
}
