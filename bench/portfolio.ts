/**
 * `npm run bench:portfolio`: `GET /api/portfolio` over 200 initiatives, 4
 * levels deep, each with 20 indicators of 5 years (bench/portfolioSeed.ts), on
 * a real server (a child process, its own SQLite file). The target: an answer
 * under 200 ms (docs/performance.md "The portfolio").
 *
 * - warm: the same server asked again and again, as the admin (200 rows) and
 *   as the lead of a top-level initiative (it and everything below it);
 * - cold: the first ask after a restart (figures read from the status table,
 *   nothing in memory, nothing compiled yet), over several restarts;
 *   beside it, the first `GET /api/initiatives` after a restart (what any
 *   first answer of a fresh process costs);
 * - uncached: the first ask after the status table was emptied, so every
 *   initiative's figures are computed from its document, measures and
 *   workshops once (what an upgraded server does on its first ask).
 *
 * Settings (environment): BENCH_REPS (warm asks, 50), BENCH_COLD (restarts, 5).
 * Writes bench/results/portfolio-<date>.json.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, startConvene, writeResults, type ConveneUnderTest } from './servers.ts';
import { seedPortfolio } from './portfolioSeed.ts';
import { median, quantile, round } from './stats.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const REPS = env('BENCH_REPS', 50);
const COLD = env('BENCH_COLD', 5);

const summary = (values: number[]) => ({ n: values.length, medianMs: round(median(values)), p95Ms: round(quantile(values, 0.95)), maxMs: round(Math.max(...values)) });

async function timed<T>(task: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await task();
  return { ms: performance.now() - start, value };
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const dataDir = mkdtempSync(join(tmpdir(), 'convene-portfolio-bench-'));
  let server: ConveneUnderTest = await startConvene({ dataDir });
  const { adminToken } = server;
  const restart = async () => {
    await server.stop();
    server = await startConvene({ dataDir, adminToken });
  };
  const ask = (token: string) => api<unknown[]>(server.url, 'GET', '/api/portfolio', token);
  try {
    const seeding = await timed(() =>
      seedPortfolio(server, { progress: (done, total) => done % 20 === 0 && console.log(`seeded ${done} of ${total} initiatives`) }),
    );
    const { leadToken, ids } = seeding.value;
    // Every figure recomputed after the last change lands within the delay; a restart waits for none.
    await restart();
    const rows = await ask(adminToken);
    if (rows.length !== ids.length) throw new Error(`the admin's portfolio has ${rows.length} rows, not ${ids.length}`);

    // Beside each cold portfolio, a cold `GET /api/initiatives` (the plain list) after its own restart:
    // what any first answer of a fresh process costs.
    const cold: number[] = [];
    const coldList: number[] = [];
    for (let i = 0; i < COLD; i++) {
      await restart();
      cold.push((await timed(() => ask(adminToken))).ms);
      await restart();
      coldList.push((await timed(() => api(server.url, 'GET', '/api/initiatives', adminToken))).ms);
    }

    for (let i = 0; i < 5; i++) await ask(adminToken); // warm-up
    const warm = { admin: [] as number[], lead: [] as number[] };
    let leadRows = 0;
    for (let i = 0; i < REPS; i++) {
      warm.admin.push((await timed(() => ask(adminToken))).ms);
      const lead = await timed(() => ask(leadToken));
      warm.lead.push(lead.ms);
      leadRows = lead.value.length;
    }

    await server.stop();
    const db = new Database(join(dataDir, 'convene.db'));
    db.prepare('DELETE FROM initiative_status').run();
    db.close();
    server = await startConvene({ dataDir, adminToken });
    const uncached = await timed(() => ask(adminToken));
    const after = await timed(() => ask(adminToken));

    const report = {
      startedAt: startedAt.toISOString(),
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      portfolio: { initiatives: ids.length, levels: seeding.value.levels.map((l) => l.length), indicators: 20, years: 5, answerBytes: JSON.stringify(rows).length },
      seedingSeconds: Math.round(seeding.ms / 100) / 10,
      coldAfterRestart: summary(cold),
      referenceColdList: summary(coldList),
      warm: { admin: summary(warm.admin), lead: { rows: leadRows, ...summary(warm.lead) } },
      uncached: { firstMs: round(uncached.ms), nextMs: round(after.ms) },
      targetMs: 200,
    };
    const file = writeResults('portfolio', startedAt, report);
    console.log(JSON.stringify(report, null, 2));
    console.log(
      `GET /api/portfolio, ${ids.length} initiatives: cold median ${report.coldAfterRestart.medianMs} ms, warm median ${report.warm.admin.medianMs} ms (target < 200 ms); uncached first ask ${report.uncached.firstMs} ms. Written to ${file}`,
    );
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
