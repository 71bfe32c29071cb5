/**
 * `npm run bench:cluster` (issue 14, point 7): bench:sync's workloads on three
 * Convene processes sharing PostgreSQL and Redis, against one Convene process on
 * SQLite and against the reference server, in the same run with their rounds
 * interleaved. All three are measured the same way (bench/clusterWorkloads.ts):
 * clients connect straight to a process, dealt round robin over the three. A
 * fourth deployment, three more processes with room affinity (each room's
 * clients on one process, as docs/nginx.conf routes them), is measured beside
 * them for docs/deploy.md; point 7's targets are the spread cluster's.
 *
 * Reports propagation p50/p99 of all deliveries and, on the cluster, of
 * same-process and cross-process pairs apart; updates per second; CPU and
 * resident memory of each process (/proc); PostgreSQL write latency (the
 * server's `convene_storage_write_seconds` metric on /metrics, scraped before
 * and after every round); then the kill (bench/clusterKill.ts): kill -9 of one of
 * three processes behind nginx mid-workload, and the time until its clients are
 * back in sync. A table sets the figures against the targets; the report goes to
 * bench/results/cluster-<date>.json.
 *
 *   --quick     a smoke run: less load, two rounds, one kill
 *   --rebuild   compile the server first even if dist-server/ holds a build
 *   --kill-only only the kills
 *   --profile DIR  the Convene processes run from the sources (tsx, so that
 *               frames name their source files) under `node --cpu-prof`; their
 *               profiles go to DIR/cluster and DIR/single, one directory per
 *               workload (w1, w2, w3), when the servers stop; no kills. Read
 *               them with `node --import tsx bench/clusterProfile.ts DIR`.
 *   BENCH_REPS  measured rounds per workload (default 5; 2 with --quick)
 *   BENCH_KILLS kills (default 3; 1 with --quick), each on a fresh cluster
 */
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { ratioSpread, roundRatios } from './cpu.ts';
import { targetRows } from './clusterFigures.ts';
import { killRun, type KillFigures } from './clusterKill.ts';
import { compiledMain, startBacking, startCluster, startSingle, type Running } from './clusterServers.ts';
import { runInterleaved, type ClusterRound, type Deployment } from './clusterWorkloads.ts';
import { startReference, writeResults } from './servers.ts';
import { median, round } from './stats.ts';
import { SCENARIOS, type Load } from './syncWorkloads.ts';

function refuse(message: string): never {
  console.error(`bench:cluster: ${message}`);
  process.exit(2);
}
const args = process.argv.slice(2);
const profileAt = args.indexOf('--profile');
const PROFILE_DIR = profileAt < 0 ? undefined : args[profileAt + 1]?.startsWith('--') === false ? resolve(args[profileAt + 1]) : refuse('--profile needs a directory: --profile /tmp/prof');
for (const [i, arg] of args.entries()) {
  const isValue = profileAt >= 0 && i === profileAt + 1;
  if (!isValue && !['--quick', '--rebuild', '--kill-only', '--profile'].includes(arg)) refuse(`unknown option ${arg} (options: --quick, --rebuild, --kill-only, --profile DIR)`);
}
const QUICK = args.includes('--quick');
const whole = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) refuse(`${name} must be a whole number, at least 1 (got ${process.env[name]})`);
  return value;
};
const ROUNDS = whole('BENCH_REPS', QUICK ? 2 : 5);
const KILLS = PROFILE_DIR ? 0 : whole('BENCH_KILLS', QUICK ? 1 : 3);
/**
 * One writer at a time makes 500 edits a round: with 200, a round's p99 was the tail of two or three
 * edits and its ratio swung 0.88–2.18× between rounds (docs/performance.md, session 22: cluster).
 */
const LOAD: Load = QUICK ? { editsOneWriter: 100, waves: 4 } : { editsOneWriter: 500, waves: 10 };
/**
 * bench:sync's workloads: one room of 50 with one writer at a time (propagation without a queue: the
 * cross-process hop itself), one room of 50 all writing and 20 rooms of 10 all writing (waves of edits).
 */
const WORKLOADS = SCENARIOS;
/** The kill runs on 20 rooms of 10: every process holds clients of every room. */
const KILL_WORKLOAD = SCENARIOS.find((s) => s.rooms === 20)!;

const med = (rounds: ClusterRound[], f: (r: ClusterRound) => number | null | undefined, digits = 1) => {
  const values = rounds.map(f).filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  return values.length ? round(median(values), digits) : null;
};

/** Medians over rounds of one deployment's figures. */
function summarise(rounds: ClusterRound[]) {
  const procs = rounds[0].perProcess.length;
  return {
    p50Ms: med(rounds, (r) => r.propagation.all.p50Ms),
    p99Ms: med(rounds, (r) => r.propagation.all.p99Ms),
    sameProcessP50Ms: med(rounds, (r) => r.propagation.same?.p50Ms),
    sameProcessP99Ms: med(rounds, (r) => r.propagation.same?.p99Ms),
    crossProcessP50Ms: med(rounds, (r) => r.propagation.cross?.p50Ms),
    crossProcessP99Ms: med(rounds, (r) => r.propagation.cross?.p99Ms),
    updatesPerSecond: med(rounds, (r) => r.updatesPerSecond, 0),
    cpuUsPerDelivered: med(rounds, (r) => r.cpuMsPerDelivered * 1000, 2),
    postgresAndRedisCpuPercent: med(rounds, (r) => r.supportCpuPercent),
    perProcess: Array.from({ length: procs }, (_, i) => ({
      cpuPercent: med(rounds, (r) => r.perProcess[i].cpuPercent),
      rssMb: med(rounds, (r) => r.perProcess[i].rssMb),
      writes: med(rounds, (r) => r.perProcess[i].writes?.writes, 0),
      writeMeanMs: med(rounds, (r) => r.perProcess[i].writes?.meanMs, 2),
      writeP50Ms: med(rounds, (r) => r.perProcess[i].writes?.p50Ms, 2),
      writeP99Ms: med(rounds, (r) => r.perProcess[i].writes?.p99Ms, 2),
    })),
    writeLatencySource: rounds[0].perProcess[0].writes?.source ?? null,
  };
}

async function main(): Promise<void> {
  process.setMaxListeners(0); // every y-websocket client adds an 'exit' listener
  setTimeout(() => {
    console.error('bench:cluster took too long (30 min); giving up.');
    process.exit(1);
  }, 30 * 60_000).unref();
  const startedAt = new Date();
  const loadBefore = loadavg();
  console.log(`Load average at the start: ${loadBefore.map((l) => l.toFixed(2)).join(', ')} on ${cpus().length} cores; ${ROUNDS} rounds per workload, ${KILLS} kill(s)${QUICK ? ' (--quick)' : ''}`);
  const main = compiledMain(args.includes('--rebuild'));
  // A profile of the bundle names one file for every module: profiled processes run the sources (tsx).
  const served = PROFILE_DIR ? undefined : main;
  const backing = await startBacking();
  const results = [];
  const crossP99Ratio: Record<string, number> = {};
  const rssRatio: Record<string, number> = {};
  /** The cluster with room affinity (each room's clients on one process) against the single process: not a target of point 7. */
  const affinityRatios: Record<string, { p99: number; cpu: number; rss: number }> = {};
  const kills: KillFigures[] = [];
  try {
    for (const [w, scenario] of (args.includes('--kill-only') ? [] : WORKLOADS).entries()) {
      const started: Running[] = [];
      const reference = await startReference();
      const profile = (name: string) => (PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${resolve(PROFILE_DIR, name, `w${w + 1}`)}`] : []);
      try {
        started.push(
          await startCluster(served, backing, 3, profile('cluster')),
          await startCluster(served, backing, 3, profile('affinity'), 'room'),
          await startSingle(served, profile('single')),
        );
        const deployments: Deployment[] = [
          ...started.map((s) => s.deployment),
          { name: reference.name, procs: [{ pid: reference.child.pid!, url: reference.url }], syncPath: '' },
        ];
        const [cluster, affinity, single, ref] = await runInterleaved(deployments, scenario, LOAD, ROUNDS);
        const p99 = (r: ClusterRound) => r.propagation.all.p99Ms;
        const ratios = {
          crossP99OverSingleP99: ratioSpread(roundRatios(cluster.map((r) => r.propagation.cross!.p99Ms), single.map(p99))),
          clusterP99OverSingleP99: ratioSpread(roundRatios(cluster.map(p99), single.map(p99))),
          singleP99OverReferenceP99: ratioSpread(roundRatios(single.map(p99), ref.map(p99))),
          clusterMaxRssOverReference: ratioSpread(roundRatios(cluster.map((r) => r.maxRssMb), ref.map((r) => r.maxRssMb))),
          singleRssOverReference: ratioSpread(roundRatios(single.map((r) => r.maxRssMb), ref.map((r) => r.maxRssMb))),
          clusterUpdatesPerSecondOverSingle: ratioSpread(roundRatios(cluster.map((r) => r.updatesPerSecond), single.map((r) => r.updatesPerSecond))),
          affinityP99OverSingleP99: ratioSpread(roundRatios(affinity.map(p99), single.map(p99))),
          affinityCpuPerDeliveredOverSingle: ratioSpread(roundRatios(affinity.map((r) => r.cpuMsPerDelivered), single.map((r) => r.cpuMsPerDelivered))),
          affinityMaxRssOverReference: ratioSpread(roundRatios(affinity.map((r) => r.maxRssMb), ref.map((r) => r.maxRssMb))),
        };
        affinityRatios[scenario.name] = {
          p99: round(ratios.affinityP99OverSingleP99.median, 2),
          cpu: round(ratios.affinityCpuPerDeliveredOverSingle.median, 2),
          rss: round(ratios.affinityMaxRssOverReference.median, 2),
        };
        crossP99Ratio[scenario.name] = round(ratios.crossP99OverSingleP99.median, 2);
        rssRatio[scenario.name] = round(ratios.clusterMaxRssOverReference.median, 2);
        const summaries = {
          [deployments[0].name]: summarise(cluster),
          [deployments[1].name]: summarise(affinity),
          [deployments[2].name]: summarise(single),
          [deployments[3].name]: summarise(ref),
        };
        console.log(`\n${scenario.name}`);
        console.table(Object.fromEntries(Object.entries(summaries).map(([name, { perProcess: _p, writeLatencySource: _w, ...s }]) => [name, s])));
        console.log('Per process (medians over rounds):');
        for (const [name, s] of Object.entries(summaries)) {
          s.perProcess.forEach((p, i) =>
            console.log(`  ${name} #${i + 1}: CPU ${p.cpuPercent} %, RSS ${p.rssMb} MB` + (p.writes === null ? '' : `, ${p.writes} writes, mean ${p.writeMeanMs} ms, p50 ${p.writeP50Ms} ms, p99 ${p.writeP99Ms} ms`)),
          );
        }
        results.push({
          scenario: scenario.name,
          load: scenario.mode === 'one-writer' ? { edits: LOAD.editsOneWriter } : { waves: LOAD.waves },
          summaries,
          ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, { median: round(v.median, 3), min: round(v.min, 3), max: round(v.max, 3) }])),
          rounds: { cluster, affinity, single, reference: ref },
        });
      } finally {
        // A profile is written when the process exits: one that takes its 10 s to close (it exits then
        // by itself) must not be killed first, or its profile is lost.
        for (const s of started) {
          const t = performance.now();
          await s.stop(PROFILE_DIR ? 20_000 : undefined);
          if (PROFILE_DIR) console.log(`${s.deployment.name} closed in ${Math.round(performance.now() - t)} ms`);
        }
        await reference.stop();
      }
    }
    for (let k = 0; k < KILLS; k++) {
      const figures = await killRun(main, backing, KILL_WORKLOAD, 14 + k);
      kills.push(figures);
      console.log(
        `\nKill ${k + 1}: kill -9 of one of three processes (${figures.victims} of ${figures.clients} clients on it, after ${figures.editsBefore} edits): ` +
          `websocket open again p50 ${figures.connectedMs.p50} ms, max ${figures.connectedMs.max} ms; synced p50 ${figures.reconnectMs.p50} ms, max ${figures.reconnectMs.max} ms; back in sync p50 ${figures.backInSyncMs.p50} ms, max ${figures.backInSyncMs.max} ms` +
          `; connections closed per client after the kill p50 ${figures.closesAfterKill.p50}, max ${figures.closesAfterKill.max} (codes ${JSON.stringify(figures.closesAfterKill.codes)})` +
          (figures.notBackInSync ? `; ${figures.notBackInSync} NOT back in sync after 30 s` : ''),
      );
    }
  } finally {
    await backing.stop();
  }

  const rows = targetRows({ crossP99Ratio, rssRatio, backInSyncMs: kills.map((k) => (k.notBackInSync > 0 ? Infinity : k.backInSyncMs.max)) });
  console.log('\nTargets (issue 14, point 7):');
  console.table(rows.map((r) => ({ target: r.target, measured: `${r.measured}${r.unit === 'x' ? 'x' : ' ms'}`, limit: `${r.unit === 'x' ? '≤ ' : '< '}${r.limit}${r.unit === 'x' ? 'x' : ' ms'}`, met: r.met ? 'yes' : 'NO' })));
  if (Object.keys(affinityRatios).length > 0) {
    console.log('\nRoom affinity (docs/deploy.md; not a target: point 7 spreads every room over the processes), over the single process:');
    console.table(
      Object.fromEntries(
        Object.entries(affinityRatios).map(([workload, r]) => [workload, { 'p99 / single': `${r.p99}x`, 'CPU per delivered / single': `${r.cpu}x`, 'memory / reference': `${r.rss}x` }]),
      ),
    );
  }
  const report = {
    date: startedAt.toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    loadAverage: { start: loadBefore, end: loadavg() },
    options: { quick: QUICK, rounds: ROUNDS, kills: KILLS, load: LOAD, profile: PROFILE_DIR ?? null },
    method: {
      clients:
        "y-websocket clients in the bench process, connected straight to the processes, dealt round robin across rooms (with room affinity: each room's clients on one process, room r on process r mod 3); the kill goes through nginx (docs/nginx.conf, its room affinity off)",
      servers: 'Convene compiled (dist-server, plain Node); @y/websocket-server as the reference; PostgreSQL (fsync off, the test harness) and Redis from test/support',
      postgresWriteLatency: "the server's convene_storage_write_seconds metric (append to durable storage), scraped from /metrics before and after each round",
    },
    results,
    kills,
    targets: rows,
    roomAffinity: affinityRatios,
  };
  const file = writeResults('cluster', startedAt, report);
  console.log(`\nWritten to ${file} (${(performance.now() / 1000).toFixed(0)} s)`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
