/**
 * The production build ships no source maps: none in dist/, no script or style
 * pointing at one, and the server answers 404 for a map next to each file the
 * page loads (test/server/static.test.ts covers a dist/ that has maps on disk).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { baseUrl } from './helpers.ts';

const dist = resolve(fileURLToPath(import.meta.url), '../../../dist');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

test('the built client has no source maps, and none is served', async ({ page, request }) => {
  const files = filesUnder(dist);
  expect(files.some((f) => f.endsWith('.js'))).toBe(true);
  expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
  for (const file of files.filter((f) => /\.(js|css)$/.test(f))) {
    expect(readFileSync(file, 'utf8'), file).not.toContain('sourceMappingURL');
  }

  const loaded: string[] = [];
  page.on('response', (res) => {
    if (/\.(js|css)$/.test(new URL(res.url()).pathname)) loaded.push(res.url());
  });
  await page.goto(baseUrl() + '/');
  await expect(page.getByRole('heading', { name: 'Open your invite link to sign in' })).toBeVisible();
  expect(loaded.length).toBeGreaterThan(0);
  for (const url of loaded) {
    const asset = await request.get(url);
    expect(asset.status(), url).toBe(200);
    expect(asset.headers()['sourcemap'], url).toBeUndefined();
    expect(await asset.text(), url).not.toContain('sourceMappingURL');
    expect((await request.get(url + '.map')).status(), `${url}.map`).toBe(404);
  }
});
