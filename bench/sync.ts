/**
 * `npm run bench:sync`: the sync engine against the plain reference server.
 *
 * Workloads (y-websocket clients in this process, servers as child processes,
 * loopback only): one room with 50 clients, one writer at a time; the same room
 * all writing; 20 rooms with 10 clients each, all writing. Then, Convene only:
 * the cold load of a room holding 5,000 entities, and resident memory across
 * 1,000 room join/leave cycles. Prints a table; writes bench/results/sync-<date>.json.
 *
 * `npm run bench:sync -- --cold-only` skips the three workloads (a quick look at
 * the cold load and memory while working on them).
 */
import { cpus } from 'node:os';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { createEntity, createInitiativeDoc } from '../src/schema/index.ts';
import { api, procStats, startConvene, startReference, writeResults, type ConveneUnderTest, type ServerUnderTest } from './servers.ts';

const REPS = Number(process.env.BENCH_REPS ?? 5);
const EDITS_ONE_WRITER = 200;
const ROUNDS_ALL_WRITING = 10;

interface Scenario {
  name: string;
  rooms: number;
  clientsPerRoom: number;
  mode: 'one-writer' | 'all-writing';
}

const SCENARIOS: Scenario[] = [
  { name: '1 room x 50 clients, one writer at a time', rooms: 1, clientsPerRoom: 50, mode: 'one-writer' },
  { name: '1 room x 50 clients, all writing', rooms: 1, clientsPerRoom: 50, mode: 'all-writing' },
  { name: '20 rooms x 10 clients, all writing', rooms: 20, clientsPerRoom: 10, mode: 'all-writing' },
];

interface RunFigures {
  p50Ms: number;
  p99Ms: number;
  updatesPerSecond: number;
  serverCpuPercent: number;
  serverRssMb: number;
}

interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  room: number;
}

const median = (values: number[]) => quantile(values, 0.5);
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Room names and a credential per client: invites on Convene, nothing on the reference. */
async function prepareRooms(server: ServerUnderTest, scenario: Scenario): Promise<{ rooms: string[]; tokens: string[][] }> {
  const rooms: string[] = [];
  const tokens: string[][] = [];
  for (let r = 0; r < scenario.rooms; r++) {
    if ('adminToken' in server) {
      const s = server as ConveneUnderTest;
      const { id } = await api(s.url, 'POST', '/api/initiatives', s.adminToken, { name: `Bench ${r}`, issue: 'Benchmarks' });
      rooms.push(id);
      const list: string[] = [];
      for (let c = 0; c < scenario.clientsPerRoom; c++) {
        // An invite is redeemed once; the session token it gives is the client's credential.
        const invite = await api(s.url, 'POST', `/api/initiatives/${id}/invites`, s.adminToken, { role: 'participant' });
        list.push((await api(s.url, 'POST', '/api/session', '', { token: invite.token, name: `Bench client ${c}` })).token);
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
  const base = server.url.replace(/^http/, 'ws') + ('adminToken' in server ? '/collab' : '');
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

/** One measured run: edits carry their send time; every other client in the room records the delay. */
async function measure(server: ServerUnderTest, clients: Client[], scenario: Scenario, rep: number): Promise<RunFigures> {
  const latencies: number[] = [];
  const pending = new Map<string, { remaining: number; done: () => void }>();
  const unobserve: (() => void)[] = [];
  for (const client of clients) {
    const map = client.doc.getMap<number>('bench');
    const observer = (event: Y.YMapEvent<number>) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const entry = pending.get(key);
        if (!entry) continue;
        latencies.push(now - (map.get(key) as number));
        if (--entry.remaining === 0) {
          pending.delete(key);
          entry.done();
        }
      }
    };
    map.observe(observer);
    unobserve.push(() => map.unobserve(observer));
  }
  const edit = (client: Client, key: string) => {
    const arrived = new Promise<void>((done) => pending.set(key, { remaining: scenario.clientsPerRoom - 1, done }));
    client.doc.getMap<number>('bench').set(key, performance.now());
    return arrived;
  };

  const before = procStats(server.child.pid!);
  const started = performance.now();
  let edits = 0;
  if (scenario.mode === 'one-writer') {
    for (let i = 0; i < EDITS_ONE_WRITER; i++, edits++) await edit(clients[i % clients.length], `r${rep}-e${i}`);
  } else {
    for (let round = 0; round < ROUNDS_ALL_WRITING; round++) {
      await Promise.all(clients.map((c, i) => edit(c, `r${rep}-${round}-${i}`)));
      edits += clients.length;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const after = procStats(server.child.pid!);
  for (const off of unobserve) off();
  return {
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    updatesPerSecond: edits / seconds,
    serverCpuPercent: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
    serverRssMb: after.rssBytes / 1024 / 1024,
  };
}

interface Prepared {
  server: ServerUnderTest;
  clients: Client[];
  runs: RunFigures[];
}

async function prepare(server: ServerUnderTest, scenario: Scenario): Promise<Prepared> {
  const { rooms, tokens } = await prepareRooms(server, scenario);
  const clients = await connect(server, rooms, tokens, scenario.clientsPerRoom);
  // A warm-up run, not counted.
  await measure(server, clients, scenario, -1);
  return { server, clients, runs: [] };
}

function summarise(runs: RunFigures[]): RunFigures {
  const pick = (f: (r: RunFigures) => number) => round(median(runs.map(f)));
  return {
    p50Ms: pick((r) => r.p50Ms),
    p99Ms: pick((r) => r.p99Ms),
    updatesPerSecond: pick((r) => r.updatesPerSecond),
    serverCpuPercent: pick((r) => r.serverCpuPercent),
    serverRssMb: pick((r) => r.serverRssMb),
  };
}

/** Both servers side by side, their runs interleaved (alternating which goes first), medians of the runs. */
async function runScenario(servers: ServerUnderTest[], scenario: Scenario): Promise<RunFigures[]> {
  const prepared: Prepared[] = [];
  for (const server of servers) prepared.push(await prepare(server, scenario));
  for (let rep = 0; rep < REPS; rep++) {
    const order = rep % 2 === 0 ? prepared : [...prepared].reverse();
    for (const p of order) p.runs.push(await measure(p.server, p.clients, scenario, rep));
  }
  for (const p of prepared) {
    for (const c of p.clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
  }
  return prepared.map((p) => summarise(p.runs));
}

/**
 * For a room not in memory, from opening a socket: the time to the sync step 2
 * that answers our step 1 (the first sync reply, the figure with a target), and
 * the time to the server's own step 1, which it sends once it has built the
 * document in memory.
 */
async function coldLoad(server: ConveneUnderTest, room: string): Promise<{ replyMs: number; builtMs: number }> {
  const started = performance.now();
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/collab/${room}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  const step1 = encoding.createEncoder();
  encoding.writeVarUint(step1, 0);
  syncProtocol.writeSyncStep1(step1, new Y.Doc());
  ws.on('open', () => ws.send(encoding.toUint8Array(step1)));
  let replyMs = 0;
  let builtMs = 0;
  await new Promise<void>((resolvePromise, reject) => {
    ws.on('message', (data: Buffer) => {
      if (data[0] !== 0) return;
      if (data[1] === 1 && !replyMs) replyMs = performance.now() - started;
      if (data[1] === 0 && !builtMs) builtMs = performance.now() - started;
      if (replyMs && builtMs) resolvePromise();
    });
    ws.on('error', reject);
  });
  ws.close();
  await new Promise((r) => ws.once('close', r));
  return { replyMs, builtMs };
}

async function roomsLoaded(server: ConveneUnderTest): Promise<number> {
  const text = (await api(server.url, 'GET', '/metrics', server.adminToken)) as string;
  return Number(/^convene_rooms_loaded (\d+)/m.exec(text)?.[1]);
}

async function untilUnloaded(server: ConveneUnderTest): Promise<void> {
  for (let i = 0; i < 500 && (await roomsLoaded(server)) > 0; i++) await new Promise((r) => setTimeout(r, 10));
}

async function coldLoadFigures(
  server: ConveneUnderTest,
): Promise<{ entities: number; storedBytes: number; medianMs: number; runsMs: number[]; builtMedianMs: number; builtRunsMs: number[] }> {
  const { id } = await api(server.url, 'POST', '/api/initiatives', server.adminToken, { name: 'Big coalition', issue: 'Scale' });
  const doc = createInitiativeDoc();
  for (let i = 0; i < 5000; i++) {
    createEntity(doc, 'stakeholder', { name: `Organisation ${i}`, sector: 'nonprofit', role: 'partner' }, [{ board: 'stakeholders', position: { x: (i % 100) * 200, y: Math.floor(i / 100) * 150 } }]);
  }
  const provider = new WebsocketProvider(`${server.url.replace('http', 'ws')}/collab`, id, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: server.adminToken },
  });
  await new Promise<void>((r) => provider.once('sync', () => r()));
  // Synced means the server answered our step 1; make sure it also has our step 2 by reading it back.
  const check = new Y.Doc();
  const reader = new WebsocketProvider(`${server.url.replace('http', 'ws')}/collab`, id, check, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: server.adminToken },
  });
  // Bounded: give up after 30 s.
  const target = Buffer.from(Y.encodeStateVector(doc)).toString('hex');
  for (let i = 0; i < 1500 && Buffer.from(Y.encodeStateVector(check)).toString('hex') !== target; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  if (Buffer.from(Y.encodeStateVector(check)).toString('hex') !== target) throw new Error('the 5,000-entity document never arrived');
  const storedBytes = Y.encodeStateAsUpdate(check).byteLength;
  const entities = 5000;
  reader.destroy();
  provider.destroy();
  doc.destroy();
  check.destroy();
  const runsMs: number[] = [];
  const builtRunsMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    await untilUnloaded(server);
    const { replyMs, builtMs } = await coldLoad(server, id);
    runsMs.push(round(replyMs));
    builtRunsMs.push(round(builtMs));
  }
  return { entities, storedBytes, medianMs: round(median(runsMs)), runsMs, builtMedianMs: round(median(builtRunsMs)), builtRunsMs };
}

async function memoryCycles(server: ConveneUnderTest): Promise<{ cycles: number; rssBeforeMb: number; rssAfterMb: number; growthMb: number }> {
  const rooms: string[] = [];
  for (let i = 0; i < 10; i++) rooms.push((await api(server.url, 'POST', '/api/initiatives', server.adminToken, { name: `Churn ${i}`, issue: 'Memory' })).id);
  const cycle = async (i: number) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/collab/${rooms[i % rooms.length]}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    await new Promise<void>((r, reject) => {
      ws.once('message', () => r());
      ws.once('error', reject);
    });
    ws.close();
    await new Promise((r) => ws.once('close', r));
  };
  for (let i = 0; i < 200; i++) await cycle(i);
  await untilUnloaded(server);
  const before = procStats(server.child.pid!).rssBytes;
  for (let i = 0; i < 1000; i++) await cycle(i);
  await untilUnloaded(server);
  const after = procStats(server.child.pid!).rssBytes;
  const mb = (b: number) => round(b / 1024 / 1024, 1);
  return { cycles: 1000, rssBeforeMb: mb(before), rssAfterMb: mb(after), growthMb: mb(after - before) };
}

async function main(): Promise<void> {
  // Every y-websocket client adds a process 'exit' listener.
  process.setMaxListeners(0);
  // Stops by itself: a hung run fails after five minutes.
  setTimeout(() => {
    console.error('The benchmark took more than five minutes; giving up.');
    process.exit(1);
  }, 5 * 60_000).unref();
  const startedAt = new Date();
  const results: { scenario: string; convene: RunFigures; reference: RunFigures; p99Ratio: number; p50Ratio: number }[] = [];
  const scenarios = process.argv.includes('--cold-only') ? [] : SCENARIOS;
  for (const scenario of scenarios) {
    const convene = await startConvene({ env: { ROOM_UNLOAD_DELAY_MS: '0' } });
    const reference = await startReference();
    const [ours, theirs] = await runScenario([convene, reference], scenario);
    await convene.stop();
    await reference.stop();
    const row = { scenario: scenario.name, convene: ours, reference: theirs, p99Ratio: round(ours.p99Ms / theirs.p99Ms), p50Ratio: round(ours.p50Ms / theirs.p50Ms) };
    results.push(row);
    console.log(`\n${scenario.name}`);
    console.table({ convene: ours, [reference.name]: theirs });
    console.log(`p50 ratio ${row.p50Ratio}x, p99 ratio ${row.p99Ratio}x (target p99 <= 1.2x)`);
  }

  const convene = await startConvene({ env: { ROOM_UNLOAD_DELAY_MS: '0' } });
  const cold = await coldLoadFigures(convene);
  console.log(`\nCold load of a room holding ${cold.entities} entities (${cold.storedBytes} bytes): median ${cold.medianMs} ms to the first sync reply (runs ${cold.runsMs.join(', ')}; target < 150 ms)`);
  console.log(`  and ${cold.builtMedianMs} ms until the server has built the document and sent its own sync step 1 (runs ${cold.builtRunsMs.join(', ')})`);
  const memory = await memoryCycles(convene);
  console.log(`Resident memory across ${memory.cycles} room join/leave cycles: ${memory.rssBeforeMb} MB -> ${memory.rssAfterMb} MB (${memory.growthMb >= 0 ? '+' : ''}${memory.growthMb} MB)`);
  await convene.stop();

  const report = {
    date: startedAt.toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    reps: REPS,
    results,
    coldLoad: cold,
    memory,
  };
  const file = writeResults('sync', startedAt, report);
  console.log(`\nWritten to ${file} (${((performance.now()) / 1000).toFixed(0)} s)`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
