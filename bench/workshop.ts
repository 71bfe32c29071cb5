/**
 * `npm run bench:workshop`: a large convening. One room of 200 people, every
 * one moving a pointer at 10 Hz, while 20 of them edit the document; the same
 * run with presence off (nobody moves a pointer). Reports edit propagation
 * (p50, p99 over every delivery to every other person, and per edit the time
 * until the last person has it) and the server's CPU (from /proc, the server
 * being a child process), medians over the runs, and presence's CPU ratio.
 * Then the time for a vote of 200 voters to close and reach everyone, when the
 * server has workshop routes (see bench/workshopVote.ts).
 *
 * Settings (environment): BENCH_CLIENTS (200), BENCH_EDITORS (20),
 * BENCH_CURSOR_HZ (10), BENCH_EDIT_HZ (2 per editor), BENCH_SECONDS (10, the
 * measured window of a run), BENCH_REPS (3 runs of each mode, after one
 * warm-up run that is not counted), BENCH_LOAD_PROCESSES (4: the people are
 * spread over that many load processes, see bench/workshopLoad.ts; 1 puts them
 * all in one event loop). `--short`: 5 s windows, 2 runs each.
 * BENCH_SERVER_ROOT runs the room on the server of another checkout (to
 * compare two versions of the server under the same load generator), and
 * BENCH_VOTE_SERVER_ROOT the vote (on one with the workshop routes). Writes
 * bench/results/workshop-<date>.json.
 */
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { api, procStats, startConvene, writeResults, type ConveneUnderTest } from './servers.ts';
import { BenchClient } from './workshopClients.ts';
import { Crowd } from './workshopCrowd.ts';
import { measureVote, type VoteFigures } from './workshopVote.ts';

const short = process.argv.includes('--short');
const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLIENTS = env('BENCH_CLIENTS', 200);
const EDITORS = Math.min(CLIENTS, env('BENCH_EDITORS', 20));
const CURSOR_HZ = env('BENCH_CURSOR_HZ', 10);
const EDIT_HZ = env('BENCH_EDIT_HZ', 2);
const SECONDS = env('BENCH_SECONDS', short ? 5 : 10);
const REPS = env('BENCH_REPS', short ? 2 : 3);
const PROCESSES = Math.max(1, Math.min(CLIENTS, env('BENCH_LOAD_PROCESSES', 4)));
const WARM_UP_MS = 1000;

type Mode = 'presence on' | 'presence off';

interface RunFigures {
  edits: number;
  deliveries: number;
  p50Ms: number;
  p99Ms: number;
  toAllP50Ms: number;
  toAllP99Ms: number;
  serverCpuPercent: number;
  /** The part of it spent in the kernel (socket reads and writes, loopback TCP). */
  serverSystemCpuPercent: number;
  serverRssMb: number;
  /** Pointer moves each person sent per second (the load generator's own rate, BENCH_CURSOR_HZ when it keeps up). */
  presenceSentPerPersonPerSecond: number;
  /** Presence messages and kB each person received per second. */
  presenceMessagesPerPersonPerSecond: number;
  presenceKbPerPersonPerSecond: number;
  /** The benchmark process's own event loop delay (p99): a busy load generator inflates latencies. */
  benchLoopDelayP99Ms: number;
}

const quantile = (values: number[], q: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};
/** The middle value; for an even count, the mean of the two middle ones (two runs: their mean, not the larger). */
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** An initiative, a facilitator and CLIENTS - 1 participants, each with a session of their own. */
async function prepare(server: ConveneUnderTest): Promise<{ id: string; tokens: string[] }> {
  const { id } = await api(server.url, 'POST', '/api/initiatives', server.adminToken, { name: 'Regional convening', issue: 'Early childhood literacy' });
  const tokens: string[] = new Array(CLIENTS);
  const one = async (i: number) => {
    const role = i === 0 ? 'facilitator' : 'participant';
    const invite = await api(server.url, 'POST', `/api/initiatives/${id}/invites`, server.adminToken, { role });
    tokens[i] = (await api(server.url, 'POST', '/api/session', '', { token: invite.token, name: `Person ${i}` })).token;
  };
  for (let i = 0; i < CLIENTS; i += 10) await Promise.all(Array.from({ length: Math.min(10, CLIENTS - i) }, (_, k) => one(i + k)));
  return { id, tokens };
}

/** One run: load for the warm-up and the window; edits sent in the window are measured until everyone has them. */
async function run(server: ConveneUnderTest, crowd: Crowd, mode: Mode, rep: number): Promise<RunFigures> {
  let before = procStats(server.child.pid!);
  let after = before;
  let started = 0;
  let seconds = 0;
  const { counts, latencies, arrivals, lost } = await crowd.run(mode, rep, WARM_UP_MS, SECONDS * 1000, {
    begin: () => {
      before = procStats(server.child.pid!);
      started = performance.now();
    },
    end: () => {
      after = procStats(server.child.pid!);
      seconds = (performance.now() - started) / 1000;
    },
  });
  if (lost > 0) console.warn(`  ${lost} deliveries did not arrive within 10 s after the window`);
  // Per edit, until the last of the others has it (edits that reached everyone).
  const toAll = Object.values(arrivals)
    .filter((a) => a.count === crowd.size - 1)
    .map((a) => a.last - a.sent);
  return {
    edits: counts.edits.length,
    deliveries: latencies.length,
    p50Ms: round(quantile(latencies, 0.5)),
    p99Ms: round(quantile(latencies, 0.99)),
    toAllP50Ms: round(quantile(toAll, 0.5)),
    toAllP99Ms: round(quantile(toAll, 0.99)),
    serverCpuPercent: round(((after.cpuSeconds - before.cpuSeconds) / seconds) * 100),
    serverSystemCpuPercent: round(((after.systemSeconds - before.systemSeconds) / seconds) * 100),
    serverRssMb: round(after.rssBytes / 1024 / 1024),
    presenceSentPerPersonPerSecond: round(counts.moves / crowd.size / seconds),
    presenceMessagesPerPersonPerSecond: round(median(counts.presence.map((p) => p.messages)) / seconds),
    presenceKbPerPersonPerSecond: round(median(counts.presence.map((p) => p.bytes)) / 1024 / seconds),
    benchLoopDelayP99Ms: round(counts.loopDelayP99Ms),
  };
}

function summarise(runs: RunFigures[]): RunFigures {
  const keys = Object.keys(runs[0]) as (keyof RunFigures)[];
  return Object.fromEntries(keys.map((k) => [k, round(median(runs.map((r) => r[k])))])) as unknown as RunFigures;
}

/**
 * The vote, on a server of its own (the workshop routes may live in another
 * checkout: BENCH_VOTE_SERVER_ROOT), the same CLIENTS people in one room.
 */
async function voteOf200(): Promise<VoteFigures | { notMeasured: string }> {
  let vote: VoteFigures | { notMeasured: string };
  let server: ConveneUnderTest | null = null;
  let facilitator: BenchClient | null = null;
  const root = process.env.BENCH_VOTE_SERVER_ROOT;
  try {
    if (root && !existsSync(resolve(root, 'server/main.ts'))) throw new Error(`no server/main.ts in ${root}`);
    server = await startConvene({ root });
    const { id, tokens } = await prepare(server);
    facilitator = new BenchClient(server.url.replace(/^http/, 'ws'), id, tokens[0], 'Person 0');
    await facilitator.synced;
    vote = await measureVote(server, id, tokens, facilitator.doc);
  } catch (error) {
    vote = { notMeasured: `the vote failed: ${(error as Error).message}` };
  }
  await facilitator?.close();
  await server?.stop();
  if ('closeToAllMs' in vote) console.log(`A vote of ${vote.voters} voters: closed and results delivered to all in ${vote.closeToAllMs} ms`);
  else console.log(`Vote of ${CLIENTS} voters: not measured: ${vote.notMeasured}`);
  return vote;
}

async function main(): Promise<void> {
  setTimeout(() => {
    console.error('The benchmark took more than ten minutes; giving up.');
    process.exit(1);
  }, 10 * 60_000).unref();
  const startedAt = new Date();
  console.log(`${CLIENTS} people in one room, pointers at ${CURSOR_HZ} Hz, ${EDITORS} editing at ${EDIT_HZ} Hz each; ${REPS} runs of ${SECONDS} s per mode`);
  const serverRoot = process.env.BENCH_SERVER_ROOT;
  if (serverRoot && !existsSync(resolve(serverRoot, 'server/main.ts'))) throw new Error(`no server/main.ts in ${serverRoot}`);
  const server = await startConvene({ root: serverRoot });
  const { id, tokens } = await prepare(server);
  const crowd = await Crowd.connect({
    base: server.url.replace(/^http/, 'ws'),
    room: id,
    tokens,
    editors: EDITORS,
    cursorHz: CURSOR_HZ,
    editHz: EDIT_HZ,
    seed: 20261201,
    processes: PROCESSES,
  });
  console.log(`${CLIENTS} clients synced, in ${PROCESSES} load processes (load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);

  // A warm-up run with presence, not counted: the server's first seconds under this load compile its hot paths.
  await run(server, crowd, 'presence on', -1);
  const runs: Record<Mode, RunFigures[]> = { 'presence on': [], 'presence off': [] };
  for (let rep = 0; rep < REPS; rep++) {
    const order: Mode[] = rep % 2 === 0 ? ['presence on', 'presence off'] : ['presence off', 'presence on'];
    for (const mode of order) {
      const figures = await run(server, crowd, mode, rep);
      runs[mode].push(figures);
      console.log(`  run ${rep + 1}, ${mode}: p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, server CPU ${figures.serverCpuPercent} %`);
    }
  }
  const on = summarise(runs['presence on']);
  const off = summarise(runs['presence off']);
  const cpuRatio = round(on.serverCpuPercent / off.serverCpuPercent, 2);
  const seen = (await crowd.seen()) ?? 0;
  console.table({ 'presence on': on, 'presence off': off });
  console.log(`Edit p99 with presence on: ${on.p99Ms} ms (target < 100 ms): ${on.p99Ms < 100 ? 'met' : 'NOT met'}`);
  console.log(`Server CPU, presence on / off: ${cpuRatio}x (target <= 2x): ${cpuRatio <= 2 ? 'met' : 'NOT met'}`);
  console.log(`One person's view of presence: ${seen} of ${CLIENTS - 1} others`);

  await crowd.close();
  await server.stop();
  const vote = await voteOf200();
  const report = {
    date: startedAt.toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadAverageAtEnd: loadavg() },
    settings: { clients: CLIENTS, editors: EDITORS, cursorHz: CURSOR_HZ, editHz: EDIT_HZ, seconds: SECONDS, reps: REPS, loadProcesses: PROCESSES },
    medians: { presenceOn: on, presenceOff: off, cpuRatio },
    runs,
    presenceSeenByOnePerson: seen,
    vote,
    server: serverRoot ?? 'this checkout',
    voteServer: process.env.BENCH_VOTE_SERVER_ROOT ?? 'this checkout',
  };
  const file = writeResults('workshop', startedAt, report);
  console.log(`\nWritten to ${file}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
