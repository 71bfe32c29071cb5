/**
 * `npm run bench:sync`: the sync engine against the plain reference server.
 *
 * Workloads (y-websocket clients in this process, servers as child processes,
 * loopback only; bench/syncWorkloads.ts): one room with 50 clients, one writer
 * at a time; the same room all writing; 20 rooms with 10 clients each, all
 * writing. Rounds of the servers are interleaved and each figure is the median
 * over rounds. Beside latency and updates per second it reports each server's
 * CPU time per delivered update and per edit (from /proc, bench/cpu.ts) and
 * resident memory, and Convene's ratio to the reference round by round.
 * Then, Convene only (bench/syncCold.ts): the cold load of a room holding 5,000
 * entities, and resident memory across 1,000 room join/leave cycles. Prints
 * tables; writes bench/results/sync-<date>.json.
 *
 *   --aa          also run a second instance of the reference in the same rounds:
 *                 the spread of its ratios to the first (an A/A run) is printed
 *                 beside every Convene/reference ratio, so a difference inside it
 *                 reads as none
 *   --quick       less load per round, and no cold load or memory cycles
 *   --cold-only   only the cold load and the memory cycles
 *   --profile DIR Convene and the reference run under `node --cpu-prof`; their
 *                 profiles are written to DIR/convene and DIR/reference when the
 *                 servers stop (open them in Chrome DevTools). The profiler adds
 *                 to the servers' CPU time: figures of such a run are not comparable
 *   --compiled    run Convene as production does: the server compiled afresh
 *                 (npm run build:server, dist-server/) under node with
 *                 PRODUCTION_NODE_FLAGS, not through tsx (whose loader thread and
 *                 heap the default run counts as Convene's)
 *   --before DIR  also run Convene from DIR (a checkout of an earlier commit, with
 *                 node_modules) in the same rounds, and print this tree's figures
 *                 over DIR's: what a change bought, measured against the same load
 *   BENCH_REPS    measured rounds per workload (default 5, after one warm-up round)
 */
import { cpus, loadavg } from 'node:os';
import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { beyondSpread, clockTicksPerSecond, ratioSpread, readProcess, roundRatios, type RatioSpread } from './cpu.ts';
import { startConvene, startReference, writeResults, type ServerUnderTest } from './servers.ts';
import { median, round } from './stats.ts';
import { coldLoadFigures, memoryCycles } from './syncCold.ts';
import { buildServer } from '../scripts/buildServer.ts';
import { SCENARIOS, runScenario, type Load, type RoundFigures, type Scenario } from './syncWorkloads.ts';

/** Stops before any server starts: a typo in an option would otherwise cost a whole run. */
function refuse(message: string): never {
  console.error(`bench:sync: ${message}`);
  process.exit(2);
}
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const AA = args.includes('--aa');
const COLD_ONLY = args.includes('--cold-only');
const COMPILED = args.includes('--compiled');
const profileAt = args.indexOf('--profile');
const PROFILE_DIR = profileAt < 0 ? undefined : args[profileAt + 1]?.startsWith('--') === false ? resolve(args[profileAt + 1]) : refuse('--profile needs a directory: --profile /tmp/prof');
const beforeAt = args.indexOf('--before');
const BEFORE_DIR = beforeAt < 0 ? undefined : args[beforeAt + 1]?.startsWith('--') === false ? resolve(args[beforeAt + 1]) : refuse('--before needs a directory: --before /tmp/convene-main');
// The earlier tree runs through tsx: against a compiled run, the ratio would mix the build with the change.
if (BEFORE_DIR && COMPILED) refuse('--before runs the earlier tree through tsx: leave out --compiled to compare like with like');
if (BEFORE_DIR && !existsSync(resolve(BEFORE_DIR, 'server/main.ts'))) refuse(`--before: ${BEFORE_DIR} holds no server/main.ts`);
const valueAt = new Set([profileAt, beforeAt].filter((i) => i >= 0).map((i) => i + 1));
for (const [i, arg] of args.entries()) {
  if (!['--quick', '--aa', '--cold-only', '--compiled', '--profile', '--before'].includes(arg) && !valueAt.has(i)) refuse(`unknown option ${arg} (options: --aa, --quick, --cold-only, --compiled, --profile DIR, --before DIR)`);
}
/** The compiled server's main.js with --compiled (built now, so it is this tree's), else Convene runs through tsx. */
const compiledMain = COMPILED ? buildServer() : undefined;
const ROUNDS = Number(process.env.BENCH_REPS ?? 5);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) refuse(`BENCH_REPS must be a whole number of rounds, at least 1 (got ${process.env.BENCH_REPS})`);
/** Whether this kernel gives each thread's run time, which `phaseCost` then uses instead of clock ticks. */
const PRECISE_CPU = readProcess(process.pid).threadNs !== undefined;
const LOAD: Load = QUICK ? { editsOneWriter: 150, waves: 5 } : { editsOneWriter: 200, waves: 10 };

/** The figures compared between servers, as ratios round by round. */
const COMPARED = {
  cpuPerDelivered: (r: RoundFigures) => r.cpuMsPerDelivered,
  updatesPerSecond: (r: RoundFigures) => r.updatesPerSecond,
  p50: (r: RoundFigures) => r.p50Ms,
  p99: (r: RoundFigures) => r.p99Ms,
  rss: (r: RoundFigures) => r.serverRssMb,
} as const;
type Compared = keyof typeof COMPARED;

interface Summary {
  p50Ms: number;
  p99Ms: number;
  updatesPerSecond: number;
  cpuUsPerDelivered: number;
  cpuUsPerEdit: number;
  serverCpuPercent: number;
  serverRssMb: number;
  delivered: number;
}

function summarise(rounds: RoundFigures[]): Summary {
  const pick = (f: (r: RoundFigures) => number, digits = 2) => round(median(rounds.map(f)), digits);
  return {
    p50Ms: pick((r) => r.p50Ms),
    p99Ms: pick((r) => r.p99Ms),
    updatesPerSecond: pick((r) => r.updatesPerSecond, 0),
    cpuUsPerDelivered: pick((r) => r.cpuMsPerDelivered * 1000),
    cpuUsPerEdit: pick((r) => r.cpuMsPerEdit * 1000, 1),
    serverCpuPercent: pick((r) => r.serverCpuPercent, 1),
    serverRssMb: pick((r) => r.serverRssMb, 1),
    delivered: pick((r) => r.delivered, 0),
  };
}

interface RatioRow {
  /** Convene / reference, per round. */
  ab: RatioSpread;
  /** Second reference / reference, per round (with --aa). */
  aa?: RatioSpread;
  /** Whether the A/B median lies outside the A/A min–max: a difference the A/A run does not explain. */
  beyondAA?: boolean;
}

const r2 = (s: RatioSpread): RatioSpread => ({ median: round(s.median, 3), min: round(s.min, 3), max: round(s.max, 3), q1: round(s.q1, 3), q3: round(s.q3, 3) });

function ratios(convene: RoundFigures[], reference: RoundFigures[], second?: RoundFigures[]): Record<Compared, RatioRow> {
  const out = {} as Record<Compared, RatioRow>;
  for (const [name, f] of Object.entries(COMPARED) as [Compared, (r: RoundFigures) => number][]) {
    const ab = ratioSpread(roundRatios(convene.map(f), reference.map(f)));
    const aa = second ? ratioSpread(roundRatios(second.map(f), reference.map(f))) : undefined;
    out[name] = { ab: r2(ab), ...(aa ? { aa: r2(aa), beyondAA: beyondSpread(ab.median, aa) } : {}) };
  }
  return out;
}

const LABELS: Record<Compared, string> = {
  cpuPerDelivered: 'CPU per delivered update',
  updatesPerSecond: 'updates per second',
  p50: 'p50',
  p99: 'p99',
  rss: 'resident memory',
};

function printRatios(rows: Record<Compared, RatioRow>, rounds: number, referenceRounds: RoundFigures[]): void {
  const f = (n: number) => n.toFixed(2);
  if (PRECISE_CPU) console.log('CPU time from each thread\'s run time (/proc/<pid>/task/*/schedstat), to the nanosecond.');
  else {
    // Without schedstat, /proc counts CPU time in whole clock ticks: say how coarse that is against a round.
    const tickMs = 1000 / clockTicksPerSecond();
    const share = (tickMs / median(referenceRounds.map((r) => r.serverCpuMs))) * 100;
    console.log(`One clock tick (${tickMs} ms) is ${share.toFixed(1)} % of the reference's median CPU time per round.`);
  }
  console.log(`Convene / reference, median of ${rounds} per-round ratios [interquartile range]${rows.cpuPerDelivered.aa ? '; A/A: second reference / reference [min–max]' : ''}:`);
  for (const [name, row] of Object.entries(rows) as [Compared, RatioRow][]) {
    const aa = row.aa
      ? `   A/A ${f(row.aa.median)}x [${f(row.aa.min)}–${f(row.aa.max)}]${row.beyondAA ? '  outside the A/A spread' : '  inside the A/A spread: no difference'}`
      : '';
    console.log(`  ${LABELS[name].padEnd(25)} ${f(row.ab.median)}x [${f(row.ab.q1)}–${f(row.ab.q3)}]${aa}`);
  }
}

async function runWorkload(scenario: Scenario) {
  const profile = (name: string) => (PROFILE_DIR ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE_DIR, name)}`] } : {});
  const convene = await startConvene({ env: { ROOM_UNLOAD_DELAY_MS: '0' }, ...profile('convene'), ...(compiledMain ? { compiled: compiledMain } : {}) });
  // The reference has no SIGTERM handler, and a profile is written only on a normal exit: give it one.
  const exitOnTerm = `--import=data:text/javascript,process.on('SIGTERM',()=>process.exit(0))`;
  const reference = await startReference(PROFILE_DIR ? { nodeArgs: [...profile('reference').nodeArgs!, exitOnTerm] } : {});
  const second = AA ? await startReference() : undefined;
  const earlier = BEFORE_DIR ? { ...(await startConvene({ env: { ROOM_UNLOAD_DELAY_MS: '0' }, root: BEFORE_DIR })), name: 'convene (before)' } : undefined;
  const servers: ServerUnderTest[] = [convene, reference, ...(second ? [second] : []), ...(earlier ? [earlier] : [])];
  const figures = await runScenario(servers, scenario, LOAD, ROUNDS);
  const [ours, theirs] = figures;
  const again = second ? figures[2] : undefined;
  const before = earlier ? figures[servers.length - 1] : undefined;
  for (const server of servers) await server.stop();
  const summaries: Record<string, Summary> = { convene: summarise(ours), [reference.name]: summarise(theirs) };
  if (again) summaries[`${reference.name} (A/A)`] = summarise(again);
  if (before) summaries['convene (before)'] = summarise(before);
  const ratioRows = ratios(ours, theirs, again);
  const beforeRows = before ? ratios(ours, before) : undefined;
  console.log(`\n${scenario.name}`);
  console.table(summaries);
  printRatios(ratioRows, ROUNDS, theirs);
  if (beforeRows) {
    console.log(`This tree / --before ${BEFORE_DIR}, median of ${ROUNDS} per-round ratios [interquartile range]:`);
    for (const [name, row] of Object.entries(beforeRows) as [Compared, RatioRow][]) {
      console.log(`  ${LABELS[name].padEnd(25)} ${row.ab.median.toFixed(2)}x [${row.ab.q1.toFixed(2)}–${row.ab.q3.toFixed(2)}]`);
    }
  }
  return {
    scenario: scenario.name,
    load: scenario.mode === 'one-writer' ? { edits: LOAD.editsOneWriter } : { waves: LOAD.waves },
    convene: summaries.convene,
    reference: summaries[reference.name],
    ...(again ? { referenceAA: summaries[`${reference.name} (A/A)`] } : {}),
    ratios: ratioRows,
    ...(before ? { before: summaries['convene (before)'], ratiosToBefore: beforeRows } : {}),
    p50Ratio: ratioRows.p50.ab.median,
    p99Ratio: ratioRows.p99.ab.median,
    rounds: { convene: ours, reference: theirs, ...(again ? { referenceAA: again } : {}), ...(before ? { before } : {}) },
  };
}

async function main(): Promise<void> {
  // Every y-websocket client adds a process 'exit' listener.
  process.setMaxListeners(0);
  // Stops by itself: a hung run fails after five minutes, fifteen with --aa or --before, twenty with both.
  setTimeout(() => {
    console.error('The benchmark took too long; giving up.');
    process.exit(1);
  }, (AA && BEFORE_DIR ? 20 : AA || BEFORE_DIR ? 15 : 5) * 60_000).unref();
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const startedAt = new Date();
  const loadBefore = loadavg();
  console.log(`Load average at the start: ${loadBefore.map((l) => l.toFixed(2)).join(', ')} on ${cpus().length} cores${COLD_ONLY ? '' : `; ${ROUNDS} rounds per workload${QUICK ? ' (--quick: less load per round)' : ''}`}`);
  const results = [];
  for (const scenario of COLD_ONLY ? [] : SCENARIOS) results.push(await runWorkload(scenario));

  let cold: Awaited<ReturnType<typeof coldLoadFigures>> | undefined;
  let memory: Awaited<ReturnType<typeof memoryCycles>> | undefined;
  if (!QUICK) {
    const convene = await startConvene({ env: { ROOM_UNLOAD_DELAY_MS: '0' }, ...(compiledMain ? { compiled: compiledMain } : {}) });
    cold = await coldLoadFigures(convene);
    console.log(`\nCold load of a room holding ${cold.entities} entities (${cold.storedBytes} bytes): median ${cold.medianMs} ms to the first sync reply (runs ${cold.runsMs.join(', ')}; target < 150 ms)`);
    console.log(`  and ${cold.builtMedianMs} ms until the server has built the document and sent its own sync step 1 (runs ${cold.builtRunsMs.join(', ')})`);
    memory = await memoryCycles(convene);
    console.log(`Resident memory across ${memory.cycles} room join/leave cycles: ${memory.rssBeforeMb} MB -> ${memory.rssAfterMb} MB (${memory.growthMb >= 0 ? '+' : ''}${memory.growthMb} MB)`);
    await convene.stop();
  }

  const report = {
    date: startedAt.toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, clockTicksPerSecond: clockTicksPerSecond(), cpuFrom: PRECISE_CPU ? 'schedstat' : 'clock ticks' },
    loadAverage: { start: loadBefore, end: loadavg() },
    options: { quick: QUICK, aa: AA, coldOnly: COLD_ONLY, compiled: COMPILED, profile: PROFILE_DIR ?? null, before: BEFORE_DIR ?? null },
    reps: ROUNDS,
    results,
    coldLoad: cold,
    memory,
  };
  const file = writeResults('sync', startedAt, report);
  console.log(`\nWritten to ${file} (${(performance.now() / 1000).toFixed(0)} s)${PROFILE_DIR ? `; CPU profiles in ${PROFILE_DIR}/convene and /reference` : ''}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
