/**
 * Linked initiatives on the boards (issue #13, points 1 and 7) in Chromium
 * against a real server: with the parent's portfolio dashboard and the parent's
 * governance board open side by side, a step met and a measure entered in a
 * sub-initiative appear on both without a reload; the lead creates a
 * sub-initiative from a group's panel, leads it at once and opens it; a
 * sub-initiative's strategy says which of the parent's strategies it serves.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { STAGE_LABELS } from '../../machines/stages.ts';
import { adminApi, boardCard, createInvite, joinAs, openBoard, panel, screenshots, signInAsAdmin, type Member } from './helpers.ts';

const GOVERNANCE = 'Governance';
const FRAMEWORK = 'Strategic action framework';

let members: Member[] = [];
let api: APIRequestContext;
test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
  await api?.dispose();
});

async function createUnder(name: string, parentId: string | null): Promise<string> {
  const response = await api.post('/api/initiatives', { data: { name, issue: 'Early literacy in Riverside', ...(parentId ? { parentId } : {}) } });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

async function post(path: string, data: unknown): Promise<void> {
  const response = await api.post(path, { data });
  expect(response.status(), await response.text()).toBeLessThan(300);
}

/** An export file (version 1: cards and places only) for an empty initiative. */
function file(entities: Record<string, unknown>[], governance: Record<string, { x: number; y: number }> = {}) {
  return {
    format: 'convene.initiative',
    version: 1,
    exportedAt: '2026-01-15T09:00:00.000Z',
    initiative: { id: 'x', name: 'x', issue: 'x' },
    entities,
    placements: { stakeholders: {}, boundaries: {}, framework: {}, governance },
  };
}

const group = (id: string, name: string, initiativeId: string) => ({
  kind: 'group', id, name, groupKind: 'sub-initiative', parentId: null,
  strategyIds: [], indicatorIds: [], memberIds: [], leadIds: [], initiativeId,
});

test('a step met and a measure entered in a sub-initiative appear on the parent’s dashboard and governance card without reload', async ({ browser }) => {
  const tag = `${Date.now() % 100000}`;
  api = await adminApi();
  const city = await createUnder(`Riverside City Partnership ${tag}`, null);
  const early = await createUnder(`Riverside Early Years ${tag}`, city);
  // The parent's governance board: Early Years linked; Youth Jobs drawn but not yet an initiative.
  await post(
    `/api/initiatives/${city}/import`,
    file(
      [
        group('g-early', 'Early Years', early),
        group('g-jobs', `Riverside Youth Jobs ${tag}`, ''),
        { kind: 'strategy', id: 'pst-literacy', name: 'Every child reads by eight', description: '', horizon: 'long-term', indicatorIds: [] },
      ],
      { 'g-early': { x: 0, y: 0 }, 'g-jobs': { x: 320, y: 0 }, 'pst-literacy': { x: 0, y: 360 } },
    ),
  );
  // Early Years measures one thing; one year so far, so nothing trends yet.
  await post(
    `/api/initiatives/${early}/import`,
    file([
      {
        kind: 'indicator', id: 'ind-ready', name: 'Children ready for kindergarten', definition: '',
        unit: 'percent', direction: 'increase', frequency: 'yearly', subgroups: [],
      },
    ]),
  );
  await post(`/api/initiatives/${early}/measurements`, [{ indicator: 'ind-ready', date: '2024-06-30', value: 58 }]);

  // The city's lead, not a member of Early Years: the dashboard in one tab, the governance board in another.
  const lead = await joinAs(browser, await createInvite(api, city, 'lead'), 'Rosa Martinez');
  members.push(lead);
  const dashboard = lead.page;
  await dashboard.goto('/');
  const row = dashboard.locator(`tbody tr[data-id="${early}"]`);
  await expect(row).toContainText('0 of 3 preconditions');
  await expect(row).toContainText('0.0 % in 2024');
  const board = await lead.context.newPage();
  await board.goto(`/i/${city}`);
  await openBoard(board, GOVERNANCE);
  const card = boardCard(board, GOVERNANCE, 'Early Years');
  await expect(card.locator('[data-linked-stage]')).toHaveText(STAGE_LABELS.readiness);
  await expect(card.locator('[data-linked-share]')).toHaveText('0.0 % of measures trending the right way (2024)');
  // She may not open it: no Open link.
  await expect(card.getByRole('link')).toHaveCount(0);

  // A step met in Early Years: its champion assessed, then the launch into Phase I.
  await post(`/api/initiatives/${early}/events`, { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The school board chair.' });
  await expect(row).toContainText('1 of 3 preconditions');
  await post(`/api/initiatives/${early}/events`, { type: 'readiness.confirm', override: { reason: 'The county funds three years.' } });
  await expect(row).toContainText(STAGE_LABELS.initiate);
  await expect(card.locator('[data-linked-stage]')).toHaveText(STAGE_LABELS.initiate);

  // A measure entered in Early Years: the readiness of children rose, the right way.
  await post(`/api/initiatives/${early}/measurements`, [{ indicator: 'ind-ready', date: '2025-06-30', value: 63 }]);
  await expect(row).toContainText('100.0 % in 2025');
  await expect(card.locator('[data-linked-share]')).toHaveText('100.0 % of measures trending the right way (2025)');
  await screenshots(board, 'linked-governance');
  await screenshots(dashboard, 'linked-dashboard', { tall: true });

  // Youth Jobs becomes a real sub-initiative from its panel: she leads it and may open it at once.
  await boardCard(board, GOVERNANCE, `Riverside Youth Jobs ${tag}`).click();
  const groupPanel = panel(board, 'Group');
  const section = groupPanel.getByRole('region', { name: 'Linked sub-initiative' });
  await expect(section.getByLabel('The sub-initiative this group stands for')).toHaveValue('');
  await section.getByRole('button', { name: 'Create as an initiative' }).click();
  const form = section.getByRole('form', { name: 'Create as an initiative' });
  await expect(form.getByLabel('Name')).toHaveValue(`Riverside Youth Jobs ${tag}`);
  await form.getByLabel('The issue it takes on').fill('Youth unemployment in Riverside');
  await screenshots(board, 'linked-create');
  await form.getByRole('button', { name: 'Create and link' }).click();
  const jobsCard = boardCard(board, GOVERNANCE, `Riverside Youth Jobs ${tag}`);
  await expect(jobsCard.locator('[data-linked-stage]')).toHaveText(STAGE_LABELS.readiness);
  await expect(jobsCard.locator('[data-linked-share]')).toHaveText('No measures reported yet');
  await expect(jobsCard.getByRole('link', { name: `Open Riverside Youth Jobs ${tag}` })).toBeVisible();
  // The dashboard heard of it too.
  await expect(dashboard.locator('tbody tr[data-id]').filter({ hasText: `Riverside Youth Jobs ${tag}` })).toBeVisible();

  // Early Years' group unlinked and linked again from its panel, among the city's sub-initiatives.
  await card.click();
  const choose = section.getByLabel('The sub-initiative this group stands for');
  await choose.selectOption({ label: 'Not linked' });
  await expect(card).toContainText('Not linked to an initiative yet');
  await expect(card.locator('[data-linked-stage]')).toHaveCount(0);
  await choose.selectOption({ label: `Riverside Early Years ${tag}` });
  await expect(card.locator('[data-linked-stage]')).toHaveText(STAGE_LABELS.initiate);

  // In the new sub-initiative, a strategy serves the city's "Every child reads by eight".
  await jobsCard.getByRole('link', { name: `Open Riverside Youth Jobs ${tag}` }).click();
  await expect(board).toHaveURL(/\/i\/[^/]+$/);
  expect(board.url()).not.toContain(city);
  await openBoard(board, FRAMEWORK);
  await board.getByRole('button', { name: 'Add strategy' }).click();
  const strategyPanel = panel(board, 'Strategy');
  const serves = strategyPanel.getByRole('region', { name: 'Serves' });
  await serves.getByLabel(`Strategy of Riverside City Partnership ${tag} it serves`).selectOption({ label: 'Every child reads by eight' });
  await expect(boardCard(board, FRAMEWORK, 'New strategy')).toContainText('Serves: Every child reads by eight');
  await screenshots(board, 'linked-serves');
});

test('the admin creates an initiative under a parent; a member of the sub-initiative alone cannot choose the parent’s strategy', async ({ browser }) => {
  const tag = `${Date.now() % 100000}`;
  api = await adminApi();
  const city = await createUnder(`Lakeside City Partnership ${tag}`, null);

  // The admin page's form: the new initiative goes under the city.
  const admin = await signInAsAdmin(browser, { viewport: { width: 1440, height: 900 } });
  members.push(admin);
  const form = admin.page.getByRole('region', { name: 'New initiative' });
  await form.getByLabel('Name').fill(`Lakeside Housing ${tag}`);
  await form.getByLabel('Issue').fill('Family homelessness in Lakeside');
  await form.getByLabel('Part of (optional)').selectOption({ label: `Lakeside City Partnership ${tag}` });
  await screenshots(admin.page, 'linked-admin');
  await form.getByRole('button', { name: 'Create initiative' }).click();
  await expect(admin.page.getByRole('status').filter({ hasText: `Lakeside Housing ${tag} was created` })).toBeVisible();
  await expect(admin.page.locator('.admin__item').filter({ hasText: `Lakeside Housing ${tag}` })).toContainText(
    `Part of Lakeside City Partnership ${tag}`,
  );
  const listed = (await (await api.get('/api/initiatives')).json()) as { id: string; name: string; parentId: string | null }[];
  const housing = listed.find((i) => i.name === `Lakeside Housing ${tag}`)!;
  expect(housing.parentId).toBe(city);

  await post(
    `/api/initiatives/${housing.id}/import`,
    file([{ kind: 'strategy', id: 'st-rent', name: 'Rent support', description: '', horizon: 'short-term', indicatorIds: [], servesId: 'pst-homes' }]),
  );
  const participant = await joinAs(browser, await createInvite(api, housing.id, 'participant'), 'Ada Participant');
  members.push(participant);
  await openBoard(participant.page, FRAMEWORK);
  await boardCard(participant.page, FRAMEWORK, 'Rent support').click();
  const serves = panel(participant.page, 'Strategy').getByRole('region', { name: 'Serves' });
  await expect(serves).toContainText(`Only members of Lakeside City Partnership ${tag} can choose which of its strategies this one serves.`);
  await expect(serves.getByRole('combobox')).toHaveCount(0);
  await expect(boardCard(participant.page, FRAMEWORK, 'Rent support')).toContainText(`Serves a strategy of Lakeside City Partnership ${tag}`);
});
