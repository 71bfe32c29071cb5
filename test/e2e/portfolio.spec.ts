/**
 * The portfolio dashboard (issue #13, point 2) in Chromium against a real
 * server: a backbone lead's home shows the initiative they lead and every one
 * below it, in tree order with the roll-ups, sorts and filters the table,
 * downloads what it shows as CSV, follows a change made elsewhere without a
 * reload, opens what they are a member of and says why not otherwise.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { STAGE_LABELS } from '../../machines/stages.ts';
import type { PortfolioRow } from '../../src/contract/portfolio.ts';
// An id may start with "-", which the CSV, like any cell, writes as text ("'-…").
import { csvCell } from '../../src/portfolio/csv.ts';
import { adminApi, createInvite, joinAs, screenshots, signInAsAdmin, type Member } from './helpers.ts';

let members: Member[] = [];
test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

async function createUnder(api: APIRequestContext, name: string, parentId: string | null): Promise<string> {
  const response = await api.post('/api/initiatives', {
    data: { name, issue: 'Early literacy in Riverside', ...(parentId ? { parentId } : {}) },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function send(api: APIRequestContext, id: string, data: Record<string, unknown>) {
  const response = await api.post(`/api/initiatives/${id}/events`, { data });
  expect(response.status(), await response.text()).toBe(200);
}

/** The ids of the table's rows, top to bottom. */
const order = (page: Page) =>
  page.locator('tbody tr[data-id]').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id));
const rowOf = (page: Page, id: string) => page.locator(`tbody tr[data-id="${id}"]`);

interface Portfolio {
  city: string;
  early: string;
  reading: string;
  jobs: string;
  elsewhere: string;
}

/** A city-wide initiative, two sub-initiatives (one with its own below), and one outside it. Unique names per run. */
async function buildPortfolio(api: APIRequestContext, tag: string): Promise<Portfolio> {
  const city = await createUnder(api, `Riverside City Partnership ${tag}`, null);
  const early = await createUnder(api, `Riverside Early Years ${tag}`, city);
  const jobs = await createUnder(api, `Riverside Youth Jobs ${tag}`, city);
  const reading = await createUnder(api, `=Northside Reading ${tag}`, early);
  const elsewhere = await createUnder(api, `Elsewhere Coalition ${tag}`, null);
  // The city has launched Phase I; Early Years has two preconditions met.
  await send(api, city, {
    type: 'readiness.assess',
    precondition: 'champion',
    status: 'met',
    evidence: 'The mayor chairs it.',
  });
  await send(api, city, { type: 'readiness.confirm', override: { reason: 'Funding is pledged for three years.' } });
  await send(api, early, {
    type: 'readiness.assess',
    precondition: 'champion',
    status: 'met',
    evidence: 'The school board chair.',
  });
  await send(api, early, {
    type: 'readiness.assess',
    precondition: 'urgency',
    status: 'met',
    evidence: 'Reading scores fell.',
  });
  // Northside Reading has all three met: nothing stops its launch.
  for (const precondition of ['champion', 'resources', 'urgency'])
    await send(api, reading, {
      type: 'readiness.assess',
      precondition,
      status: 'met',
      evidence: 'Assessed with the steering committee.',
    });
  return { city, early, reading, jobs, elsewhere };
}

test('a backbone lead sees the portfolio below their initiative: tree, roll-ups, sort, filters, CSV, live, open', async ({
  browser,
}) => {
  const tag = `${Date.now() % 100000}`;
  const api = await adminApi();
  const p = await buildPortfolio(api, tag);
  const invite = await createInvite(api, p.city, 'lead');

  const lead = await joinAs(browser, invite, 'Rosa Martinez');
  members.push(lead);
  const { page } = lead;
  // The session and the portfolio are asked for once each, by the page's preloads (server/static.ts), which its own fetches take.
  const apiRequests: string[] = [];
  page.on('request', (r) => {
    const path = new URL(r.url()).pathname;
    if (path === '/api/session' || path === '/api/portfolio') apiRequests.push(`${r.method()} ${path}`);
  });
  const unusedPreloads: string[] = [];
  page.on('console', (m) => m.text().includes('preload') && unusedPreloads.push(m.text()));
  await page.goto('/');
  const table = page.getByRole('table', { name: 'Initiatives in the portfolio' });
  await expect(table).toBeVisible();
  expect(apiRequests.sort()).toEqual(['GET /api/portfolio', 'GET /api/session']);
  expect(unusedPreloads).toEqual([]);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  // Tree: the city, then Early Years with Northside Reading under it, then Youth Jobs; nothing outside the city.
  await expect.poll(() => order(page)).toEqual([p.city, p.early, p.reading, p.jobs]);
  await expect(rowOf(page, p.reading)).toHaveAttribute('data-depth', '2');
  await expect(rowOf(page, p.city)).toContainText(STAGE_LABELS.initiate);
  await expect(rowOf(page, p.early)).toContainText('2 of 3 preconditions');
  // Roll-ups: at the city over all three below, at Early Years over Northside Reading.
  await expect(page.locator(`[data-rollup="${p.city}"]`)).toContainText('3 below: 3 Readiness');
  await expect(page.locator(`[data-rollup="${p.city}"]`)).toContainText('no measures below yet');
  await expect(page.locator(`[data-rollup="${p.early}"]`)).toContainText('1 below: 1 Readiness');
  await expect(page.locator(`[data-rollup="${p.jobs}"]`)).toHaveCount(0);
  await expect(page.getByText('4 initiatives', { exact: true })).toBeVisible();
  // Chromium's own accessibility tree (what a screen reader reads) has the table, its header row and every row,
  // those out of view (drawn only near the viewport: content-visibility) included.
  await page.setViewportSize({ width: 1440, height: 500 });
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as {
    nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[];
  };
  const shown = nodes.filter((node) => !node.ignored);
  expect(shown.filter((node) => node.role?.value === 'table').map((node) => node.name?.value)).toEqual([
    'Initiatives in the portfolio',
  ]);
  expect(shown.filter((node) => node.role?.value === 'row')).toHaveLength(5);
  expect(shown.filter((node) => node.role?.value === 'columnheader')).toHaveLength(8);
  expect(
    shown.filter((node) => node.role?.value.toLowerCase() === 'rowheader').map((node) => node.name?.value),
  ).toEqual(expect.arrayContaining([expect.stringContaining(`Riverside Youth Jobs ${tag}`)]));
  await cdp.detach();
  await screenshots(page, 'portfolio-lead', { tall: true });

  // Sort by progress (most first), then least first; back to the tree.
  await table.getByRole('button', { name: 'Progress' }).click();
  await expect(table.getByRole('columnheader', { name: 'Progress' })).toHaveAttribute('aria-sort', 'descending');
  await expect.poll(() => order(page)).toEqual([p.reading, p.early, p.city, p.jobs]);
  await table.getByRole('button', { name: 'Progress' }).click();
  await expect(table.getByRole('columnheader', { name: 'Progress' })).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(() => order(page)).toEqual([p.city, p.jobs, p.early, p.reading]);
  await table.getByRole('button', { name: 'Initiative' }).click();
  await expect.poll(() => order(page)).toEqual([p.reading, p.city, p.early, p.jobs]);
  await page.getByRole('button', { name: 'Back to tree order' }).click();
  await expect.poll(() => order(page)).toEqual([p.city, p.early, p.reading, p.jobs]);

  // Filters: words, stage, subtree, unmet conditions.
  const filters = page.getByRole('search', { name: 'Filter the portfolio' });
  await filters.getByLabel('Find').fill('youth');
  await expect.poll(() => order(page)).toEqual([p.jobs]);
  await expect(page.getByText('1 of 4 initiatives shown')).toBeVisible();
  await filters.getByLabel('Find').fill('');
  await filters.getByLabel('Stage').selectOption({ label: STAGE_LABELS.initiate });
  await expect.poll(() => order(page)).toEqual([p.city]);
  await filters.getByLabel('Stage').selectOption({ label: 'Every stage' });
  await filters.getByLabel('Under').selectOption({ value: p.early });
  await expect.poll(() => order(page)).toEqual([p.early, p.reading]);

  // The CSV holds exactly the rows shown, quoted, the formula-like name kept as text.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    filters.getByRole('button', { name: 'Export as CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^portfolio-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\ufeff/, '');
  const lines = csv.trimEnd().split('\r\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^"Initiative","Initiative id","Under","Stage","Steps met","Steps in total",/);
  expect(lines[1]).toContain(
    `"Riverside Early Years ${tag}",${csvCell(p.early)},"Riverside City Partnership ${tag}","${STAGE_LABELS.readiness}","2","3",`,
  );
  expect(lines[2]).toContain(
    `"'=Northside Reading ${tag}",${csvCell(p.reading)},"Riverside Early Years ${tag}","${STAGE_LABELS.readiness}","3","3",`,
  );

  await filters.getByLabel('Under').selectOption({ label: 'Every initiative' });
  // Which of them have unmet conditions is the server's figure: the filter keeps exactly those, in tree order.
  const figures = (await (await api.get('/api/portfolio')).json()) as PortfolioRow[];
  const unmet = [p.city, p.early, p.reading, p.jobs].filter((id) => figures.find((r) => r.id === id)!.unmet > 0);
  expect(unmet).toContain(p.early);
  expect(unmet).not.toContain(p.reading);
  await filters.getByLabel('Only with unmet conditions').check();
  await expect.poll(() => order(page)).toEqual(unmet);
  for (const id of unmet)
    await expect(rowOf(page, id).locator('.portfolio-unmet')).toHaveText(
      String(figures.find((r) => r.id === id)!.unmet),
    );
  await filters.getByRole('button', { name: 'Clear filters' }).click();
  await expect.poll(() => order(page)).toEqual([p.city, p.early, p.reading, p.jobs]);

  // Live: a precondition assessed and a new sub-initiative, elsewhere, appear without a reload.
  await expect(rowOf(page, p.jobs)).toContainText('0 of 3 preconditions');
  // The keyboard's place is kept when the focused row is drawn again with its new figures.
  await rowOf(page, p.jobs).focus();
  await send(api, p.jobs, {
    type: 'readiness.assess',
    precondition: 'resources',
    status: 'met',
    evidence: 'Two funders for three years.',
  });
  await expect(rowOf(page, p.jobs)).toContainText('1 of 3 preconditions');
  await expect(rowOf(page, p.jobs)).toBeFocused();
  const added = await createUnder(api, `Riverside Apprenticeships ${tag}`, p.jobs);
  await expect.poll(() => order(page)).toEqual([p.city, p.early, p.reading, p.jobs, added]);
  await expect(page.locator(`[data-rollup="${p.jobs}"]`)).toContainText('1 below: 1 Readiness');
  await expect(page.locator(`[data-rollup="${p.city}"]`)).toContainText('4 below: 4 Readiness');

  // Not a member of Early Years: Enter says so. A member of the city: Enter opens its navigator.
  await rowOf(page, p.early).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert')).toContainText(`You are not a member of Riverside Early Years ${tag}`);
  await expect(page).toHaveURL(/\/$/);
  await rowOf(page, p.city).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`/i/${p.city}$`));
  await api.dispose();
});

test('the administrator sees every initiative; a participant keeps the plain list; a phone shows cards', async ({
  browser,
}) => {
  const tag = `${Date.now() % 100000}`;
  const api = await adminApi();
  const p = await buildPortfolio(api, tag);
  const invite = await createInvite(api, p.elsewhere, 'participant');
  await api.dispose();

  const admin = await signInAsAdmin(browser, { viewport: { width: 390, height: 844 } });
  members.push(admin);
  await admin.page.goto('/');
  for (const id of Object.values(p)) await expect(rowOf(admin.page, id)).toBeVisible();
  // On a phone the column headers give way to labelled lines in each card.
  await expect(admin.page.getByRole('columnheader', { name: 'Progress' })).toBeHidden();
  const card = rowOf(admin.page, p.city);
  const box = await card.boundingBox();
  expect(box!.width).toBeLessThanOrEqual(390);
  await expect(card).toContainText(STAGE_LABELS.initiate);
  // Clicking a card as the administrator opens the initiative.
  await admin.page.getByRole('search').getByLabel('Find').fill(`Youth Jobs ${tag}`);
  await expect.poll(() => order(admin.page)).toEqual([p.jobs]);
  await screenshots(admin.page, 'portfolio-admin', { tall: true });
  await rowOf(admin.page, p.jobs).click({ position: { x: 10, y: 60 } });
  await expect(admin.page).toHaveURL(new RegExp(`/i/${p.jobs}$`));

  const participant = await joinAs(browser, invite, 'Sam Okafor');
  members.push(participant);
  await participant.page.goto('/');
  await expect(participant.page.getByRole('heading', { name: 'Your initiatives' })).toBeVisible();
  await expect(participant.page.getByRole('link', { name: new RegExp(`Elsewhere Coalition ${tag}`) })).toBeVisible();
  await expect(participant.page.getByRole('table')).toHaveCount(0);
  await expect(participant.page.getByRole('heading', { name: 'Portfolio' })).toHaveCount(0);
});
