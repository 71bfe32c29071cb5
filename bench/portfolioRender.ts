/**
 * `npm run bench:portfolio-render`: how long the portfolio dashboard takes to
 * show 200 initiatives in Chromium (issue #13, point 6: under 1 s).
 *
 * Convene runs as deployed (bench/servers.ts: server/main.ts as a child
 * process, port 0, a throwaway data directory) serving the built client
 * (dist/, rebuilt when older than src/). bench/portfolioSeed.ts builds the
 * portfolio through the API: 200 initiatives 4 levels deep (2, 8, 40, 150),
 * each with 20 indicators of 5 yearly values, workflow steps and a workshop.
 * The administrator sees all 200. One `GET /api/portfolio` warms the server's
 * figures first (the API benchmark, bench/portfolio.ts, times the cold one).
 *
 * Each run opens a fresh browser context (no cache), signs in as the
 * administrator, and goes to `/`: the time is from navigation start to the
 * frame after the one in which the table holds all 200 rows (the sign-in is
 * before the navigation, not counted). Prints the median of the runs and each
 * run, and writes them to bench/results/portfolio-render-<date>.json. Options: --runs N (default 7); --cpu: trace
 * each run (Chromium tracing, which slows it a little) and report the renderer main thread's CPU time from
 * navigation to the rows shown, and after `GET /api/portfolio` answered: a figure that a busy machine inflates
 * far less than wall time, to compare variants with; --profile (with --cpu): also sample the renderer's JavaScript
 * and print, over the runs, where the main thread's time went (trace events' self time, and the functions that
 * the samples landed in most); --data DIR: keep the seeded portfolio in DIR and reuse it on the next run (seeding
 * takes minutes; a variant of the client is then measured on the very same data); --static DIR: serve the client
 * built in DIR instead of dist/ (to alternate two builds, A B A B, on a machine whose load varies). Loopback only;
 * stops by itself.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { seedPortfolio } from './portfolioSeed.ts';
import { CHROMIUM, CHROMIUM_ARGS, api, startConvene, writeResults } from './servers.ts';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 7;
const PROFILE = process.argv.includes('--profile');
const CPU = PROFILE || process.argv.includes('--cpu');
const dataArg = process.argv.indexOf('--data');
const DATA = dataArg > 0 ? resolve(process.argv[dataArg + 1]!) : null;
const staticArg = process.argv.indexOf('--static');
const STATIC = staticArg > 0 ? resolve(process.argv[staticArg + 1]!) : null;

const log = (line: string) => process.stderr.write(`${line}\n`);

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** `vite build` when dist/ is missing or older than the browser code. */
function buildIfStale(): void {
  const built = join(root, 'dist', 'index.html');
  const sources = ['src', 'machines', 'index.html'].map((p) => join(root, p));
  if (existsSync(built) && Math.max(...sources.map(newest)) <= statSync(built).mtimeMs) return;
  log('Building the client (vite build)…');
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error(`vite build failed (${result.status})`);
}

/**
 * Runs in the page before its scripts: records `window.__rowsShownAt` (ms
 * since navigation start) in the frame after the table first holds `count` rows.
 */
function watchRows(count: number): void {
  const w = window as unknown as { __rowsShownAt?: number };
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll('tbody tr[data-id]').length < count) return;
    observer.disconnect();
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        w.__rowsShownAt = performance.now();
        performance.mark('convene-rows-shown');
      }),
    );
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** Runs in the page: when (ms since navigation start) the document, the API answers and the dashboard's chunk had arrived. */
function milestones(): Record<string, number> {
  const out: Record<string, number> = {};
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
  if (nav) out.domContentLoaded = Math.round(nav.domContentLoadedEventEnd);
  for (const entry of performance.getEntriesByType('resource') as PerformanceResourceTiming[]) {
    const path = new URL(entry.name).pathname;
    const name = path.startsWith('/api/')
      ? path
      : path.includes('PortfolioDashboard') && path.endsWith('.js')
        ? 'dashboard chunk'
        : null;
    if (name && !(name in out)) out[name] = Math.round(entry.responseEnd);
  }
  return out;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string; data?: { url?: string; requestId?: string } };
}

/**
 * From a Chromium trace of one run: CPU time (ms) of the renderer's main thread in its top-level tasks, from
 * navigation to the rows shown (`convene-rows-shown`), and in those that ended after `GET /api/portfolio` finished.
 */
function mainThreadCpu(events: TraceEvent[]): { total: number; afterRows: number } | null {
  const mark = events.find((e) => e.name === 'convene-rows-shown');
  const main = events.find((e) => e.name === 'thread_name' && e.pid === mark?.pid && e.args?.name === 'CrRendererMain');
  const request = events.find(
    (e) => e.name === 'ResourceSendRequest' && (e.args?.data?.url ?? '').endsWith('/api/portfolio'),
  )?.args?.data?.requestId;
  const finished = events.filter((e) => e.name === 'ResourceFinish' && e.args?.data?.requestId === request).pop();
  if (!mark || !main || !finished) return null;
  let total = 0;
  let afterRows = 0;
  for (const e of events) {
    if (e.pid !== main.pid || e.tid !== main.tid || e.ph !== 'X' || e.name !== 'ThreadControllerImpl::RunTask') continue;
    if (e.ts > mark.ts) continue;
    const cpu = (e.tdur ?? 0) / 1000;
    total += cpu;
    if (e.ts + (e.dur ?? 0) >= finished.ts) afterRows += cpu;
  }
  return { total: Math.round(total), afterRows: Math.round(afterRows) };
}

/** Adds `ms` to `key` of `into`. */
const add = (into: Map<string, number>, key: string, ms: number) => into.set(key, (into.get(key) ?? 0) + ms);

/**
 * --profile: where the renderer main thread's time went from navigation to the rows shown, added into `events`
 * (each trace event's own CPU time, less its children's) and `functions` (V8's samples, by function and file).
 */
function profileRun(
  trace: TraceEvent[],
  events: Map<string, number>,
  functions: Map<string, number>,
  inclusive: Map<string, number>,
): void {
  const name = (frame: { functionName: string; url?: string }) =>
    `${frame.functionName || '(anonymous)'} ${(frame.url ?? '').split('/').pop() ?? ''}`;
  const mark = trace.find((e) => e.name === 'convene-rows-shown');
  const main = trace.find((e) => e.name === 'thread_name' && e.pid === mark?.pid && e.args?.name === 'CrRendererMain');
  if (!mark || !main) return;
  const own = trace
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.ts <= mark.ts && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const open: { end: number; name: string; self: number }[] = [];
  const close = (until: number) => {
    while (open.length && open[open.length - 1]!.end <= until) {
      const done = open.pop()!;
      add(events, done.name, done.self / 1000);
    }
  };
  for (const e of own) {
    close(e.ts);
    const cpu = e.tdur ?? e.dur!;
    if (open.length) open[open.length - 1]!.self -= cpu;
    open.push({ end: e.ts + e.dur!, name: e.name, self: cpu });
  }
  close(Infinity);
  // V8's samples: ProfileChunk events of the main thread's profile, nodes and samples in pieces.
  type Node = { id: number; callFrame: { functionName: string; url?: string }; parent?: number };
  const nodes = new Map<number, Node>();
  let at = 0;
  const profile = trace.find((e) => e.name === 'Profile' && e.pid === main.pid && e.tid === main.tid) as
    | (TraceEvent & { id?: string; args: { data: { startTime: number } } })
    | undefined;
  if (!profile) return;
  at = profile.args.data.startTime;
  for (const e of trace as (TraceEvent & { id?: string; args: { data?: Record<string, unknown> } })[]) {
    if (e.name !== 'ProfileChunk' || e.pid !== main.pid || e.id !== profile.id) continue;
    const data = e.args.data as { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] };
    for (const node of data.cpuProfile?.nodes ?? []) nodes.set(node.id, node);
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    for (let i = 0; i < samples.length; i++) {
      const delta = deltas[i] ?? 0;
      at += delta;
      if (at > mark.ts) break;
      const frame = nodes.get(samples[i]!)?.callFrame;
      if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
      const ms = (deltas[i + 1] ?? delta) / 1000;
      add(functions, name(frame), ms);
      // Inclusive: each function on the sample's stack once.
      const onStack = new Set<string>();
      for (let node = nodes.get(samples[i]!); node; node = node.parent === undefined ? undefined : nodes.get(node.parent))
        onStack.add(name(node.callFrame));
      for (const key of onStack) add(inclusive, key, ms);
    }
  }
}

const top = (from: Map<string, number>, runs: number, count: number) =>
  [...from]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, ms]) => `  ${(ms / runs).toFixed(1).padStart(7)} ms  ${name}`)
    .join('\n');

/** --data DIR: the portfolio seeded into DIR before, with its administrator's token. */
interface KeptSeed {
  adminToken: string;
  ids: string[];
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function main() {
  const startedAt = new Date();
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: install chromium, or set CHROMIUM_PATH.`);
  if (!STATIC) buildIfStale();
  const keptFile = DATA && join(DATA, 'bench-portfolio-seed.json');
  const kept = keptFile && existsSync(keptFile) ? (JSON.parse(readFileSync(keptFile, 'utf8')) as KeptSeed) : null;
  if (DATA) mkdirSync(DATA, { recursive: true });
  const server = await startConvene({
    ...(DATA ? { dataDir: DATA, ...(kept ? { adminToken: kept.adminToken } : {}) } : {}),
    ...(STATIC ? { env: { STATIC_DIR: STATIC } } : {}),
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    let ids = kept?.ids;
    if (!ids) {
      log('Seeding 200 initiatives, 4 levels, 20 indicators × 5 years each…');
      const started = Date.now();
      const seeded = await seedPortfolio(server, {
        progress: (done, total) => done % 25 === 0 && log(`  ${done} of ${total}`),
      });
      log(`  seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      ids = seeded.ids;
      if (keptFile) writeFileSync(keptFile, JSON.stringify({ adminToken: server.adminToken, ids } satisfies KeptSeed));
    } else log(`Reusing the portfolio seeded in ${DATA}`);
    const count = ids.length;
    const rows = await api<unknown[]>(server.url, 'GET', '/api/portfolio', server.adminToken);
    if (rows.length !== count) throw new Error(`The administrator's portfolio has ${rows.length} rows, not ${count}.`);

    const times: number[] = [];
    const eventTimes = new Map<string, number>();
    const functionTimes = new Map<string, number>();
    const inclusiveTimes = new Map<string, number>();
    const breakdowns: Record<string, number>[] = [];
    for (let run = 0; run < RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, baseURL: server.url });
      try {
        const signIn = await context.request.post('/api/session', { data: { token: server.adminToken } });
        if (!signIn.ok()) throw new Error(`Admin sign-in answered ${signIn.status()}`);
        await context.addInitScript(watchRows, count);
        const page = await context.newPage();
        const categories = ['toplevel', 'blink.user_timing', 'devtools.timeline'];
        if (PROFILE) categories.push('disabled-by-default-v8.cpu_profiler', 'disabled-by-default-devtools.timeline');
        if (CPU) await browser.startTracing(page, { categories });
        await page.goto('/');
        const handle = await page.waitForFunction(
          () => (window as unknown as { __rowsShownAt?: number }).__rowsShownAt,
          null,
          {
            timeout: 30_000,
          },
        );
        const ms = (await handle.jsonValue()) as number;
        times.push(ms);
        const marks = await page.evaluate(milestones);
        if (CPU) {
          const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
          const cpu = mainThreadCpu(trace.traceEvents);
          if (!cpu) throw new Error('The trace has no rows-shown mark, renderer main thread or portfolio request.');
          if (PROFILE) profileRun(trace.traceEvents, eventTimes, functionTimes, inclusiveTimes);
          marks['main-thread CPU'] = cpu.total;
          marks['main-thread CPU after the rows arrived'] = cpu.afterRows;
        }
        breakdowns.push(marks);
        log(
          `  run ${run + 1}: ${ms.toFixed(0)} ms (${Object.entries(marks)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')})`,
        );
      } finally {
        await context.close();
      }
    }
    const result = {
      rows: count,
      runs: times.map((t) => Math.round(t)),
      milestones: breakdowns,
      medianMs: Math.round(median(times)),
      /** From the first answer of GET /api/portfolio to all rows shown: the dashboard's own share. */
      afterDataMedianMs: Math.round(median(times.map((t, i) => t - (breakdowns[i]?.['/api/portfolio'] ?? 0)))),
      /** With --cpu: the renderer main thread's CPU time, navigation to rows shown, and after the rows arrived. */
      mainThreadCpuMedianMs: CPU ? Math.round(median(breakdowns.map((b) => b['main-thread CPU'] ?? 0))) : null,
      mainThreadCpuAfterDataMedianMs: CPU
        ? Math.round(median(breakdowns.map((b) => b['main-thread CPU after the rows arrived'] ?? 0)))
        : null,
      loadAverage: loadavg().map((l) => Math.round(l * 10) / 10),
      targetMs: 1000,
      machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, chromium: browser.version() },
    };
    console.log(
      `Portfolio dashboard, ${count} rows, navigation to all rows shown: median ${result.medianMs} ms over ${RUNS} runs (target under ${result.targetMs} ms); ` +
        `after the rows arrived: ${result.afterDataMedianMs} ms; load average ${result.loadAverage.join(' ')} on ${cpus().length} CPUs`,
    );
    if (CPU)
      console.log(
        `Renderer main-thread CPU (traced runs): median ${result.mainThreadCpuMedianMs} ms from navigation, ${result.mainThreadCpuAfterDataMedianMs} ms after the rows arrived`,
      );
    if (PROFILE) {
      console.log(`Main thread, navigation to rows shown, per run: trace events' own time\n${top(eventTimes, RUNS, 25)}`);
      console.log(`JavaScript functions sampled, per run: own time\n${top(functionTimes, RUNS, 40)}`);
      console.log(`… and with what they called\n${top(inclusiveTimes, RUNS, 40)}`);
    }
    console.log(
      `Each run (ms): ${result.runs.join(', ')}; written to ${writeResults('portfolio-render', startedAt, result)}`,
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
