/**
 * The database becomes unreachable while a participant edits the map (#14
 * point 4), in real Chromium against a real server process on a real
 * PostgreSQL that this spec stops and starts again: the header says saving is
 * paused and that the changes are kept on this device, the map keeps the edit,
 * and once the database is back the status is live again and the edit is
 * saved (someone joining afterwards sees it).
 *
 * This spec runs its own server (the shared one of global-setup.ts is on
 * SQLite), so it speaks to it by URL rather than through helpers.ts's BASE_URL.
 */
import { rmSync } from 'node:fs';
import { expect, request, test, type Browser, type Page } from '@playwright/test';
import { startServerProcess, type ServerProcess } from '../../scripts/serverProcess.ts';
import { startPostgres, type TestPostgres } from '../support/postgres.ts';
import { card, fillAddStakeholder, screenshots } from './helpers.ts';

let postgres: TestPostgres;
let server: ServerProcess;

test.beforeAll(async () => {
  test.setTimeout(90_000);
  postgres = await startPostgres();
  server = await startServerProcess({ env: { DATABASE_URL: await postgres.createDatabase() } });
});
test.afterAll(async () => {
  // The server ends before the database, and both before their directories go.
  await server?.stop(5_000);
  if (server) rmSync(server.dataDir, { recursive: true, force: true });
  await postgres?.stop();
});

const status = (page: Page) => page.getByRole('status').filter({ has: page.locator('.connection-status__dot') });

async function invites(count: number): Promise<{ id: string; paths: string[] }> {
  const api = await request.newContext({ baseURL: server.url, extraHTTPHeaders: { Authorization: `Bearer ${server.adminToken}` } });
  try {
    const created = await api.post('/api/initiatives', { data: { name: 'Valley Food Security Network', issue: 'Food deserts in the valley' } });
    expect(created.status()).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const paths: string[] = [];
    for (let i = 0; i < count; i++) {
      const invite = await api.post(`/api/initiatives/${id}/invites`, { data: { role: 'participant' } });
      expect(invite.status()).toBe(201);
      paths.push(new URL(((await invite.json()) as { url: string }).url, server.url).pathname);
    }
    return { id, paths };
  } finally {
    await api.dispose();
  }
}

async function join(browser: Browser, path: string, name: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  await page.goto(path);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Join the initiative' }).click();
  // Two cores shared with everything else: the first sync may take a while.
  await expect(status(page)).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  return page;
}

async function addStakeholder(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add stakeholder', exact: true }).click();
  await fillAddStakeholder(page, name, 'Nonprofit');
  await expect(card(page, name)).toBeVisible();
}

test('while the database is unreachable the header says saving is paused; the edit is kept and saved once it is back', async ({ browser }) => {
  test.setTimeout(90_000);
  const { paths } = await invites(2);
  const amira = await join(browser, paths[0], 'Amira Haddad');
  await addStakeholder(amira, 'County health department');

  await postgres.halt();
  // The next edit finds the database gone: the server does not take it, and says why.
  await addStakeholder(amira, 'Faith leaders council');
  await expect(status(amira)).toHaveAttribute('data-status', 'paused', { timeout: 15_000 });
  await expect(status(amira)).toHaveText('Saving paused — your changes are kept on this device');
  await expect(card(amira, 'Faith leaders council')).toBeVisible();
  await screenshots(amira, 'saving-paused');

  await postgres.resume();
  await expect(status(amira)).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  // Saved: someone joining now (another profile, nothing on its device) sees both.
  const ben = await join(browser, paths[1], 'Ben Okafor');
  await expect(card(ben, 'County health department')).toBeVisible();
  await expect(card(ben, 'Faith leaders council')).toBeVisible();
  await amira.context().close();
  await ben.context().close();
});
