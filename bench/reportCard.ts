/**
 * `npm run bench:measures`: shared measurement at the API of a real server
 * (a child process, its own SQLite file). An initiative with 100 indicators on
 * its framework board (put there by a y-websocket client, as a browser does),
 * each with 10 years of values for the whole population and 5 subgroups (6,000
 * values); then:
 *
 * - `GET …/report-card` (the trend of every indicator in every year): the
 *   target is a median under 50 ms;
 * - beside it, in the same run, `GET /api/initiatives/:id` (the cheapest
 *   signed-in answer: what HTTP, sign-in and JSON cost alone) and
 *   `GET …/measurements` (all 6,000 rows);
 * - a CSV import of 10,000 rows (checked against the board, written in one
 *   transaction) into a fresh initiative, and again with `?replace=1` over
 *   the same rows: the target is under 2 s.
 *
 * Settings (environment): BENCH_REPS (50 report cards), BENCH_IMPORTS (3
 * imports of each kind). Writes bench/results/measures-<date>.json.
 */
import { request } from 'node:http';
import { loadavg } from 'node:os';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { createEntity } from '../src/schema/index.ts';
import { api, startConvene, writeResults, type ConveneUnderTest } from './servers.ts';
import { median, quantile, round } from './stats.ts';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const REPS = env('BENCH_REPS', 50);
const IMPORTS = env('BENCH_IMPORTS', 3);
const INDICATORS = 100;
const YEARS = 10;
const SUBGROUPS = ['North', 'South', 'East', 'West', 'Central'];
const CSV_ROWS = 10_000;


/** Puts `count` indicators on the board through the sync endpoint, as a browser would; answers their ids. */
async function boardWith(server: ConveneUnderTest, id: string, count: number, frequency: 'yearly' | 'monthly'): Promise<string[]> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.url.replace(/^http/, 'ws')}/collab`, id, doc, {
    WebSocketPolyfill: WebSocket as never,
    params: { token: server.adminToken },
    disableBc: true,
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  const ids = Array.from({ length: count }, (_, i) =>
    createEntity(
      doc,
      'indicator',
      {
        name: `Measure ${i + 1}`,
        unit: 'percent',
        direction: i % 2 ? 'decrease' : 'increase',
        frequency,
        subgroups: SUBGROUPS,
      },
      [{ board: 'framework', position: { x: (i % 10) * 300, y: Math.floor(i / 10) * 200 } }],
    ),
  );
  // The server has them once its answer lists them all.
  for (;;) {
    const listed = await api<unknown[]>(server.url, 'GET', `/api/initiatives/${id}/indicators`, server.adminToken);
    if (listed.length === count) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  provider.destroy();
  doc.destroy();
  return ids;
}

/** A value between 20 and 80 that drifts from year to year (deterministic). */
const valueOf = (i: number, year: number, s: number) => Math.round((50 + 30 * Math.sin(i * 7 + year * 0.7 + s)) * 10) / 10;

async function timed(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

function postCsv(server: ConveneUnderTest, id: string, csv: string, replace: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${server.url}/api/initiatives/${id}/measurements${replace ? '?replace=1' : ''}`,
      { method: 'POST', agent: false, headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'text/csv' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(csv);
  });
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const server = await startConvene();
  try {
    // ---------------------------------------------------------------- the report card
    const { id } = await api<{ id: string }>(server.url, 'POST', '/api/initiatives', server.adminToken, { name: 'Report card bench', issue: 'Measures' });
    const ids = await boardWith(server, id, INDICATORS, 'yearly');
    const lastYear = startedAt.getUTCFullYear() - 1;
    const rows = ids.flatMap((indicator, i) =>
      Array.from({ length: YEARS }, (_, y) => lastYear - YEARS + 1 + y).flatMap((year) => [
        { indicator, date: `${year}-12-31`, value: valueOf(i, year, 0) },
        ...SUBGROUPS.map((subgroup, s) => ({ indicator, date: `${year}-12-31`, value: valueOf(i, year, s + 1), subgroup })),
      ]),
    );
    const entered = await api<{ accepted: number }>(server.url, 'POST', `/api/initiatives/${id}/measurements`, server.adminToken, rows);
    const ask = (path: string) => api(server.url, 'GET', path, server.adminToken);
    const card = await ask(`/api/initiatives/${id}/report-card`);
    for (let i = 0; i < 5; i++) await ask(`/api/initiatives/${id}/report-card`); // warm-up
    const figures: Record<string, number[]> = { reportCard: [], initiative: [], measurements: [] };
    for (let i = 0; i < REPS; i++) {
      figures.reportCard.push(await timed(() => ask(`/api/initiatives/${id}/report-card`)));
      figures.initiative.push(await timed(() => ask(`/api/initiatives/${id}`)));
      figures.measurements.push(await timed(() => ask(`/api/initiatives/${id}/measurements`)));
    }

    // ---------------------------------------------------------------- a 10,000-row CSV
    const imports: { fresh: number[]; replacing: number[] } = { fresh: [], replacing: [] };
    const csvIndicators = 20;
    const months = Math.ceil(CSV_ROWS / csvIndicators / (SUBGROUPS.length + 1));
    for (let rep = 0; rep < IMPORTS; rep++) {
      const target = await api<{ id: string }>(server.url, 'POST', '/api/initiatives', server.adminToken, { name: `CSV bench ${rep + 1}`, issue: 'Measures' });
      const monthly = await boardWith(server, target.id, csvIndicators, 'monthly');
      const lines = ['indicator,date,value,subgroup,note'];
      outer: for (let m = 0; m < months; m++) {
        const date = new Date(Date.UTC(lastYear - 9, m, 15)).toISOString().slice(0, 10);
        for (let i = 0; i < monthly.length; i++) {
          for (const [s, subgroup] of ['', ...SUBGROUPS].entries()) {
            if (lines.length > CSV_ROWS) break outer;
            lines.push(`Measure ${i + 1},${date},${valueOf(i, m, s)},${subgroup},${s === 0 && m % 12 === 0 ? `"Year ${m / 12 + 1}, as reported"` : ''}`);
          }
        }
      }
      const csv = lines.join('\n');
      for (const replace of [false, true]) {
        let answer: { status: number; text: string } = { status: 0, text: '' };
        const ms = await timed(async () => (answer = await postCsv(server, target.id, csv, replace)));
        if (answer.status !== 200) throw new Error(`CSV import: ${answer.status} ${answer.text.slice(0, 500)}`);
        (replace ? imports.replacing : imports.fresh).push(ms);
      }
    }

    const summary = (values: number[]) => ({ medianMs: round(median(values)), p95Ms: round(quantile(values, 0.95)), maxMs: round(Math.max(...values)) });
    const report = {
      startedAt: startedAt.toISOString(),
      loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      reportCard: {
        indicators: INDICATORS,
        years: YEARS,
        subgroups: SUBGROUPS.length,
        values: entered.accepted,
        answerBytes: JSON.stringify(card).length,
        requests: REPS,
        ...summary(figures.reportCard),
        targetMs: 50,
      },
      reference: { initiative: summary(figures.initiative), allMeasurements: summary(figures.measurements) },
      csvImport: { rows: CSV_ROWS, fresh: summary(imports.fresh), replacing: summary(imports.replacing), targetMs: 2000 },
    };
    const file = writeResults('measures', startedAt, report);
    console.log(JSON.stringify(report, null, 2));
    console.log(`Report card: median ${report.reportCard.medianMs} ms (target < 50 ms); 10,000-row CSV: median ${report.csvImport.fresh.medianMs} ms fresh, ${report.csvImport.replacing.medianMs} ms replacing (target < 2,000 ms). Written to ${file}`);
  } finally {
    await server.stop();
  }
}

await main();
