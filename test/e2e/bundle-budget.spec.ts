/**
 * The initial JavaScript stays within its budget (docs/performance.md,
 * "Initial JavaScript": at most 200 kB gzipped, measured as the canvas bench
 * measures it, bench/canvas/bundle.ts), and the charting library (recharts,
 * issue #12) is loaded only when a chart or a sparkline shows: it is in no
 * initial chunk and in no board's chunk, only behind the charts' own dynamic
 * imports. Reads the built client in dist/ (`vite build` first).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { bundleFigures } from '../../bench/canvas/bundle.ts';
import { baseUrl } from './helpers.ts';

const dist = resolve(fileURLToPath(import.meta.url), '../../../dist');
const BUDGET_GZIP_BYTES = 200 * 1000;
/** A class name only recharts' code writes. */
const RECHARTS = 'recharts-surface';

const holdsRecharts = (file: string) => readFileSync(join(dist, file), 'utf8').includes(RECHARTS);

test('the initial JavaScript is within budget and carries no chart library', () => {
  const figures = bundleFigures(dist);
  expect(figures.initialJsGzipBytes).toBeGreaterThan(0);
  expect(figures.initialJsGzipBytes, `initial JavaScript ${(figures.initialJsGzipBytes / 1000).toFixed(1)} kB gzipped`).toBeLessThanOrEqual(
    BUDGET_GZIP_BYTES,
  );
  expect(figures.initialJs.filter((c) => holdsRecharts(c.file)).map((c) => c.file)).toEqual([]);

  const lazy = (name: string) => {
    const chunk = figures.lazy.find((l) => l.file.startsWith(`assets/${name}-`));
    expect(chunk, `a chunk loaded on demand for ${name}`).toBeDefined();
    return chunk!;
  };
  // Opening a board fetches its cards, not recharts: the sparklines load it after.
  for (const board of ['FrameworkBoard', 'GovernanceBoard', 'StakeholderBoard', 'BoundariesBoard'])
    expect(lazy(board).files.filter(holdsRecharts), board).toEqual([]);
  // The charts themselves bring it.
  for (const chart of ['TrendChart', 'Sparkline']) expect(lazy(chart).files.some(holdsRecharts), chart).toBe(true);
});

test('a page without a chart does not fetch the chart library', async ({ page }) => {
  const loaded: string[] = [];
  page.on('response', (res) => {
    if (new URL(res.url()).pathname.endsWith('.js')) loaded.push(new URL(res.url()).pathname.replace(/^\//, ''));
  });
  await page.goto(baseUrl() + '/');
  await expect(page.getByRole('heading', { name: 'Open your invite link to sign in' })).toBeVisible();
  expect(loaded.length).toBeGreaterThan(0);
  expect(loaded.filter(holdsRecharts)).toEqual([]);
});
