/**
 * The map shows the measures (issue #12, point 6), in real Chromium against
 * the real server: indicator cards on the framework board draw a sparkline
 * with the latest value and the trend in words; a restricted indicator shows
 * a lock and no values to a participant but its values to the lead; strategy
 * and working group cards count their measures trending the right way, leaving
 * restricted ones out; a value entered elsewhere reaches the cards live.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { adminApi, boardCard, createInitiative, createInvite, joinAs, openBoard, screenshots, type Member } from './helpers.ts';

const FRAMEWORK = 'Strategic action framework';
let api: APIRequestContext;
let members: Member[] = [];

test.afterEach(async () => {
  for (const m of members) await m.context.close();
  members = [];
  await api?.dispose();
});

/**
 * The demo initiative with its indicators as the board now holds them (values,
 * baseline and target are the store's: this test enters its own).
 */
async function importBoards(initiativeId: string) {
  const { demoExport } = await import('../../server/demoContent.ts');
  const file = demoExport('Meadow measures') as unknown as { entities: Record<string, unknown>[] };
  for (const e of file.entities) {
    if (e.kind !== 'indicator') continue;
    for (const field of ['baseline', 'target', 'measurements']) delete e[field];
    Object.assign(e, { unit: 'percent', frequency: 'yearly', subgroups: [] });
  }
  const response = await api.post(`/api/initiatives/${initiativeId}/import`, { data: file });
  expect(response.status(), await response.text()).toBeLessThan(300);
}

async function post(path: string, data: unknown, method: 'post' | 'patch' = 'post') {
  const response = await api[method](path, { data });
  expect(response.status(), await response.text()).toBe(200);
}

test('indicator cards show their curve and trend; strategies and groups count the right way; restricted stays restricted', async ({ browser }) => {
  api = await adminApi();
  const id = await createInitiative(api, 'Meadow measures', 'Teen substance use');
  await importBoards(id);
  const card = (await (await api.get(`/api/initiatives/${id}/report-card`)).json()) as { indicators: { id: string; name: string }[] };
  const idOf = (name: string) => card.indicators.find((i) => i.name === name)!.id;
  const binge = idOf('Binge drinking, 10th grade');
  const smoking = idOf('Smoking, 10th grade');
  const compliance = idOf('Compliance check failures');
  // Binge drinking falls (the right way), smoking rises (the wrong way); compliance failures are restricted.
  const rows = [
    ...[26, 25, 22, 21].map((value, i) => ({ indicator: binge, date: `${2022 + i}-05-01`, value })),
    ...[15, 14, 16].map((value, i) => ({ indicator: smoking, date: `${2023 + i}-05-01`, value })),
    ...[30, 20].map((value, i) => ({ indicator: compliance, date: `${2024 + i}-09-30`, value })),
  ];
  await post(`/api/initiatives/${id}/measurements?replace=1`, rows);
  await post(`/api/initiatives/${id}/indicators/${compliance}`, { access: 'restricted' }, 'patch');

  const participant = await joinAs(browser, await createInvite(api, id, 'participant'), 'Pat Participant');
  const lead = await joinAs(browser, await createInvite(api, id, 'lead'), 'Lee Lead');
  members = [participant, lead];
  const page = participant.page;
  await openBoard(page, FRAMEWORK);

  const bingeCard = boardCard(page, FRAMEWORK, 'Binge drinking, 10th grade');
  await expect(bingeCard).toContainText('21 % in 2025');
  await expect(bingeCard).toContainText('Falling, the right way');
  // The sparkline's line is drawn (the card's details show once the board is zoomed in to read them).
  await expect(bingeCard.locator('.sparkline .recharts-line-curve')).toHaveCount(1);
  const smokingCard = boardCard(page, FRAMEWORK, 'Smoking, 10th grade');
  await expect(smokingCard).toContainText('16 % in 2025');
  await expect(smokingCard).toContainText('Rising, the wrong way');
  const complianceCard = boardCard(page, FRAMEWORK, 'Compliance check failures');
  await expect(complianceCard).toContainText('Restricted');
  await expect(complianceCard).not.toContainText('%');
  await expect(complianceCard.locator('.sparkline')).toHaveCount(0);

  await expect(boardCard(page, FRAMEWORK, 'Parent education')).toContainText('1 of 1 measure trending the right way');
  await expect(boardCard(page, FRAMEWORK, 'Youth recognition')).toContainText('0 of 1 measure trending the right way');
  const laws = boardCard(page, FRAMEWORK, 'Community laws and norms').locator('.card__right-way');
  await expect(laws).toHaveText('1 restricted measure');
  await expect(laws).toHaveAttribute('title', /Counts only the measures whose trend you may see: 1 restricted measure is left out/);
  // Zoomed out (the overview), the arrow, the lock and the count stay beside the names.
  await expect(bingeCard.locator('.card__badge')).toHaveText('↓Falling, the right way');
  await expect(complianceCard.locator('.card__badge')).toHaveText('Restricted');
  await expect(boardCard(page, FRAMEWORK, 'Youth recognition').locator('.card__badge')).toHaveText('0/1 right way0 of 1 measure trending the right way');
  await screenshots(page, 'framework-measures');
  const zoomIn = page.getByRole('region', { name: FRAMEWORK }).getByRole('button', { name: /zoom in/i });
  await zoomIn.click();
  await zoomIn.click();
  await expect(bingeCard.locator('.sparkline svg')).toBeVisible();
  await screenshots(page, 'framework-measures-zoomed');

  // The lead sees the restricted indicator's values.
  await openBoard(lead.page, FRAMEWORK);
  await expect(boardCard(lead.page, FRAMEWORK, 'Compliance check failures')).toContainText('20 % in 2025');
  await expect(boardCard(lead.page, FRAMEWORK, 'Compliance check failures')).toContainText('Falling, the right way');
  await expect(boardCard(lead.page, FRAMEWORK, 'Community laws and norms')).toContainText('1 of 1 measure trending the right way');

  // Governance: each working group counts the measures it works to move.
  await openBoard(page, 'Governance');
  await expect(boardCard(page, 'Governance', 'Parent education working group')).toContainText('1 of 1 measure trending the right way');
  await expect(boardCard(page, 'Governance', 'Community laws and norms working group')).toContainText('1 restricted measure');
  await expect(boardCard(page, 'Governance', 'Coordinating council').locator('.card__right-way')).toHaveCount(0);
  await expect(boardCard(page, 'Governance', 'Coordinating council').locator('.card__badge')).toBeHidden();
  await screenshots(page, 'governance-measures');

  // When the sparkline's chunk cannot be fetched, the card keeps its figures and the board goes on working.
  const offline = await joinAs(browser, await createInvite(api, id, 'observer'), 'Olu Observer', async (context) => {
    await context.route(/\/assets\/Sparkline-[^/]*\.js$/, (route) => route.abort());
  });
  members.push(offline);
  await openBoard(offline.page, FRAMEWORK);
  await expect(boardCard(offline.page, FRAMEWORK, 'Binge drinking, 10th grade')).toContainText('Falling, the right way');
  await expect(boardCard(offline.page, FRAMEWORK, 'Binge drinking, 10th grade').locator('.sparkline')).toHaveCount(1);
  await expect(boardCard(offline.page, FRAMEWORK, 'Binge drinking, 10th grade').locator('.sparkline svg')).toHaveCount(0);
  await expect(boardCard(offline.page, FRAMEWORK, 'Parent education')).toContainText('1 of 1 measure trending the right way');

  // A value entered through the API reaches the open board live: smoking falls in 2026.
  await openBoard(page, FRAMEWORK);
  await post(`/api/initiatives/${id}/measurements`, [{ indicator: smoking, date: '2026-05-01', value: 13 }]);
  await expect(smokingCard).toContainText('13 % in 2026');
  await expect(smokingCard).toContainText('Falling, the right way');
  await expect(boardCard(page, FRAMEWORK, 'Youth recognition')).toContainText('1 of 1 measure trending the right way');
});
