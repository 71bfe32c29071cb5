/**
 * The sync workloads of `bench:sync`: rooms of y-websocket clients (all in this
 * process) on each server under test, measured in interleaved rounds. Every
 * round records latency, updates per second, the deliveries the clients
 * received, and the server's CPU time and memory from /proc before and after
 * (bench/cpu.ts).
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { phaseCost, readProcess } from './cpu.ts';
import { driveEdits, editProbe } from './editProbe.ts';
import { api, type ConveneUnderTest, type ServerUnderTest } from './servers.ts';
import { quantile } from './stats.ts';

export interface Scenario {
  name: string;
  rooms: number;
  clientsPerRoom: number;
  mode: 'one-writer' | 'all-writing';
}

/** How much each round does. */
export interface Load {
  /** Edits in a round of the one-writer workload. */
  editsOneWriter: number;
  /** Rounds in which every client writes once, per measured round of the all-writing workloads. */
  waves: number;
}

export const SCENARIOS: Scenario[] = [
  { name: '1 room x 50 clients, one writer at a time', rooms: 1, clientsPerRoom: 50, mode: 'one-writer' },
  { name: '1 room x 50 clients, all writing', rooms: 1, clientsPerRoom: 50, mode: 'all-writing' },
  { name: '20 rooms x 10 clients, all writing', rooms: 20, clientsPerRoom: 10, mode: 'all-writing' },
];

/** One server's figures in one measured round. */
export interface RoundFigures {
  p50Ms: number;
  p99Ms: number;
  updatesPerSecond: number;
  edits: number;
  /** Updates received by clients: every edit, once by every other client of its room. */
  delivered: number;
  seconds: number;
  serverCpuMs: number;
  cpuMsPerDelivered: number;
  cpuMsPerEdit: number;
  serverCpuPercent: number;
  serverRssMb: number;
}

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  room: number;
}

const isConvene = (server: ServerUnderTest): server is ConveneUnderTest => 'adminToken' in server;

/** Room names and a credential per client: invites on Convene, nothing on the reference. */
async function prepareRooms(server: ServerUnderTest, scenario: Scenario): Promise<{ rooms: string[]; tokens: string[][] }> {
  const rooms: string[] = [];
  const tokens: string[][] = [];
  for (let r = 0; r < scenario.rooms; r++) {
    if (isConvene(server)) {
      const { id } = await api(server.url, 'POST', '/api/initiatives', server.adminToken, { name: `Bench ${r}`, issue: 'Benchmarks' });
      rooms.push(id);
      const list: string[] = [];
      for (let c = 0; c < scenario.clientsPerRoom; c++) {
        // An invite is redeemed once; the session token it gives is the client's credential.
        const invite = await api(server.url, 'POST', `/api/initiatives/${id}/invites`, server.adminToken, { role: 'participant' });
        list.push((await api(server.url, 'POST', '/api/session', '', { token: invite.token, name: `Bench client ${c}` })).token);
      }
      tokens.push(list);
    } else {
      rooms.push(`bench-${Date.now()}-${r}`);
      tokens.push([]);
    }
  }
  return { rooms, tokens };
}

async function connect(server: ServerUnderTest, rooms: string[], tokens: string[][], perRoom: number): Promise<Client[]> {
  const base = server.url.replace(/^http/, 'ws') + (isConvene(server) ? '/collab' : '');
  const clients: Client[] = [];
  for (let r = 0; r < rooms.length; r++) {
    for (let c = 0; c < perRoom; c++) {
      const doc = new Y.Doc();
      const provider = new WebsocketProvider(base, rooms[r], doc, {
        WebSocketPolyfill: WebSocket as never,
        disableBc: true,
        params: tokens[r][c] ? { token: tokens[r][c] } : {},
      });
      clients.push({ doc, provider, room: r });
    }
  }
  await Promise.all(
    clients.map(
      (c) => new Promise<void>((resolvePromise) => (c.provider.synced ? resolvePromise() : c.provider.once('sync', () => resolvePromise()))),
    ),
  );
  return clients;
}

/** One measured round: edits carry their send time; every other client in the room records the delay. */
async function measure(server: ServerUnderTest, clients: Client[], scenario: Scenario, load: Load, rep: number): Promise<RoundFigures> {
  const latencies: number[] = [];
  const probe = editProbe(clients, scenario.clientsPerRoom, (ms) => latencies.push(ms));

  const pid = server.child.pid!;
  const before = readProcess(pid);
  const started = performance.now();
  const edits = await driveEdits(probe, clients, scenario, load, rep);
  const seconds = (performance.now() - started) / 1000;
  const after = readProcess(pid);
  probe.stop();
  const cost = phaseCost(before, after, { edits, delivered: latencies.length, seconds });
  return {
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    updatesPerSecond: cost.updatesPerSecond,
    edits,
    delivered: latencies.length,
    seconds,
    serverCpuMs: cost.cpuMs,
    cpuMsPerDelivered: cost.cpuMsPerDelivered,
    cpuMsPerEdit: cost.cpuMsPerEdit,
    serverCpuPercent: cost.cpuPercent,
    serverRssMb: after.rssBytes / 1024 / 1024,
  };
}

interface Prepared {
  server: ServerUnderTest;
  clients: Client[];
  rounds: RoundFigures[];
}

/**
 * Every server side by side, their rounds interleaved (round k starts with the
 * k-th server, then the others in turn: A B, B A… for two), after one warm-up
 * round each. Answers each server's rounds in the order of `servers`; round k of
 * one server and round k of another ran back to back.
 */
export async function runScenario(servers: ServerUnderTest[], scenario: Scenario, load: Load, rounds: number): Promise<RoundFigures[][]> {
  const prepared: Prepared[] = [];
  for (const server of servers) {
    const { rooms, tokens } = await prepareRooms(server, scenario);
    const clients = await connect(server, rooms, tokens, scenario.clientsPerRoom);
    await measure(server, clients, scenario, load, -1); // warm-up, not counted
    prepared.push({ server, clients, rounds: [] });
  }
  for (let rep = 0; rep < rounds; rep++) {
    const first = rep % prepared.length;
    const order = [...prepared.slice(first), ...prepared.slice(0, first)];
    for (const p of order) p.rounds.push(await measure(p.server, p.clients, scenario, load, rep));
  }
  for (const p of prepared) {
    for (const c of p.clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
  }
  return prepared.map((p) => p.rounds);
}
