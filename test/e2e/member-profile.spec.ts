/**
 * Organisation and sector (issue 11, attendance by sector) in real Chromium
 * against the real server: a newcomer says theirs on the join page, the lead
 * changes a participant's sector and organisation in place on the members
 * screen, and a facilitator sees them read-only. Screenshots of the members
 * screen and the join page at 1440x900 and 390x844 go to the test output folder.
 */
import { expect, test } from '@playwright/test';
import { adminApi, baseUrl, createInitiative, createInvite, joinAs, screenshots, type Member } from './helpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

test('a newcomer says their organisation and sector when joining; the lead changes them in place; a facilitator reads them', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const api = await adminApi();
  const id = await createInitiative(api, 'Meadow County Coalition for Healthy Youth', 'Youth substance use in Meadow County');
  const [leadInvite, participantInvite, facilitatorInvite] = await Promise.all([
    createInvite(api, id, 'lead'),
    createInvite(api, id, 'participant'),
    createInvite(api, id, 'facilitator'),
  ]);
  await api.dispose();
  const lead = await joinAs(browser, leadInvite, 'Dana Whitfield');
  members.push(lead);
  const facilitator = await joinAs(browser, facilitatorInvite, 'Farah Nasser');
  members.push(facilitator);

  // The participant joins by hand, saying who they speak for.
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  members.push({ context, page });
  await page.goto(participantInvite);
  await expect(page.getByRole('heading', { name: /You’re invited to/ })).toBeVisible();
  await page.getByLabel('Your name').fill('Lee Park');
  await page.getByLabel('Your organisation').fill('Eastside Tenants Union');
  await page.getByLabel('Sector').selectOption({ label: 'Residents' });
  await screenshots(page, 'join-with-sector');
  await page.getByRole('button', { name: 'Join the initiative' }).click();
  await expect(page).toHaveURL(new RegExp(`/i/${id}$`));

  // The lead sees what Lee said, and changes it in place.
  await lead.page.goto(`/i/${id}/people`);
  const lee = lead.page.getByRole('row', { name: 'Lee Park', exact: true });
  await expect(lee.getByRole('textbox', { name: 'Organisation of Lee Park' })).toHaveValue('Eastside Tenants Union');
  await expect(lee.getByRole('combobox', { name: 'Sector of Lee Park' })).toHaveValue('residents');
  await lee.getByRole('combobox', { name: 'Sector of Lee Park' }).selectOption({ label: 'Nonprofit' });
  await expect(lead.page.getByRole('status').filter({ hasText: 'Lee Park now speaks for Nonprofit.' })).toBeVisible();
  const organisation = lee.getByRole('textbox', { name: 'Organisation of Lee Park' });
  await organisation.fill('Valley Food Bank');
  await organisation.press('Enter');
  await expect(lead.page.getByRole('status').filter({ hasText: 'Lee Park is now with Valley Food Bank.' })).toBeVisible();
  // Her own row: nothing said yet.
  await expect(lead.page.getByRole('combobox', { name: 'Sector of Dana Whitfield' })).toHaveValue('');
  await screenshots(lead.page, 'members-profile-lead');

  // Saved on the server: a reload shows the same.
  await lead.page.reload();
  await expect(lead.page.getByRole('textbox', { name: 'Organisation of Lee Park' })).toHaveValue('Valley Food Bank');
  await expect(lead.page.getByRole('combobox', { name: 'Sector of Lee Park' })).toHaveValue('nonprofit');

  // The facilitator reads them, with nothing to change them.
  await facilitator.page.goto(`/i/${id}/people`);
  const row = facilitator.page.getByRole('row', { name: 'Lee Park', exact: true });
  await expect(row.getByRole('cell', { name: 'Valley Food Bank' })).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Nonprofit' })).toBeVisible();
  await expect(facilitator.page.getByRole('combobox')).toHaveCount(0);
  await expect(facilitator.page.getByRole('textbox', { name: /Organisation of/ })).toHaveCount(0);
  await screenshots(facilitator.page, 'members-profile-facilitator');
});
