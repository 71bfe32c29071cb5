/**
 * Shared measurement (issue 12) in real Chromium against the real server: the
 * lead makes a participant the data steward of an indicator; the steward
 * enters a value in the grid, and the lead's open chart and report card show
 * it without a reload; the steward writes the story of a year in the grid
 * and the lead's chart tells it; a CSV with bad rows is refused with every bad row
 * named; the public report shows only the public indicators, and says so once
 * its link is revoked. Screenshots of every screen at 1440x900 and 390x844 go
 * to the test output folder.
 */
import { expect, test, type Page } from '@playwright/test';
import { ACCESS_LEVEL_LABELS } from '../../src/contract/measureAccess.ts';
import type { APIRequestContext } from '@playwright/test';
import { demoExport } from '../../server/demoContent.ts';
import {
  adminApi,
  baseUrl,
  boardCard,
  createInitiative,
  createInvite,
  joinAs,
  panel,
  screenshots,
  type Member,
} from './helpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

const BINGE = 'Binge drinking, 10th grade';
const SMOKING = 'Smoking, 10th grade';
const COMPLIANCE = 'Compliance check failures';

/**
 * Loads the demo initiative, its indicators as the board keeps them now (the
 * values are the server's, so none in the file; binge drinking broken down by
 * two subgroups, so the grid has columns for them).
 */
async function importIndicators(api: APIRequestContext, initiativeId: string, name: string): Promise<void> {
  const file = demoExport(name) as unknown as { entities: Record<string, unknown>[] };
  for (const entity of file.entities) {
    if (entity.kind !== 'indicator') continue;
    delete entity.baseline;
    delete entity.target;
    delete entity.measurements;
    if (entity.unit === '%') entity.unit = 'percent';
    entity.frequency ??= 'yearly';
    entity.subgroups ??= entity.id === 'ind-binge' ? ['Girls', 'Boys'] : [];
  }
  const response = await api.post(`/api/initiatives/${initiativeId}/import`, { data: file });
  expect(response.status(), await response.text()).toBeLessThan(300);
}

/** Opens an indicator's screen from the measures screen's list of indicators. */
async function openIndicator(page: Page, name: string): Promise<void> {
  await page
    .getByRole('region', { name: /^Indicators/ })
    .getByRole('link', { name: new RegExp(`^${name}`) })
    .click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Sets an indicator's access level and saves, on its screen. */
async function setAccess(page: Page, level: keyof typeof ACCESS_LEVEL_LABELS): Promise<void> {
  const form = page.getByRole('form', { name: 'Access and data stewards' });
  await form.getByLabel('Who sees its values').selectOption({ label: ACCESS_LEVEL_LABELS[level] });
  await form.getByRole('button', { name: 'Save access and stewards' }).click();
  await expect(form.getByRole('status')).toHaveText('Access and data stewards saved.');
}

test('a steward enters a value in the grid; the lead’s chart and report card update live; a bad CSV names every bad row; the public report shows only public indicators', async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const year = new Date().getUTCFullYear();
  const api = await adminApi();
  const initiativeId = await createInitiative(api, 'Meadow County Prevention Coalition', 'Teen substance use');
  await importIndicators(api, initiativeId, 'Meadow County Prevention Coalition');

  const lead = await joinAs(browser, await createInvite(api, initiativeId, 'lead'), 'Lena Lead');
  members.push(lead);
  const steward = await joinAs(browser, await createInvite(api, initiativeId, 'participant'), 'Dana Steward');
  members.push(steward);

  // The lead opens the measures from the workspace bar: the report card states its rule.
  await lead.page.getByRole('link', { name: 'Measures', exact: true }).click();
  await expect(lead.page).toHaveURL(/\/i\/[^/]+\/measures$/);
  await expect(lead.page.getByText('A measure trends the right way in a year when')).toBeVisible();
  const measuresUrl = lead.page.url();

  // Smoking goes public, compliance restricted; binge drinking stays with the members.
  await openIndicator(lead.page, SMOKING);
  await setAccess(lead.page, 'public');
  await lead.page.getByRole('link', { name: '← Every measure' }).click();
  await openIndicator(lead.page, COMPLIANCE);
  await setAccess(lead.page, 'restricted');
  await lead.page.getByRole('link', { name: '← Every measure' }).click();
  await openIndicator(lead.page, BINGE);
  const indicatorUrl = lead.page.url();

  // Before the lead assigns them, the participant reads binge drinking's values but cannot enter any.
  await steward.page.goto(indicatorUrl);
  await expect(steward.page.getByRole('heading', { level: 1, name: BINGE })).toBeVisible();
  await expect(steward.page.getByText('You can read these values')).toBeVisible();
  await expect(steward.page.getByRole('textbox', { name: `Total, ${year}` })).toHaveCount(0);

  // The lead makes Dana the data steward of binge drinking.
  const access = lead.page.getByRole('form', { name: 'Access and data stewards' });
  await access.getByRole('checkbox', { name: /Dana Steward/ }).check();
  await access.getByRole('button', { name: 'Save access and stewards' }).click();
  await expect(access.getByRole('status')).toHaveText('Access and data stewards saved.');
  await screenshots(lead.page, 'indicator-lead');

  // The lead keeps the report card open in a second tab.
  const card = await lead.context.newPage();
  await card.goto(measuresUrl);
  const bingeOnCard = card.getByRole('list', { name: 'Measures' }).getByRole('listitem').filter({ hasText: BINGE });
  await expect(bingeOnCard).toBeVisible();
  await expect(
    card.getByRole('list', { name: 'Measures' }).getByRole('listitem').filter({ hasText: COMPLIANCE }),
  ).toBeVisible();

  // The steward's page learns of the new right live, and the grid opens to them.
  const cell = steward.page.getByRole('textbox', { name: `Total, ${year}` });
  await expect(cell).toBeVisible();
  // A decimal comma gets the sentence a CSV file's value gets (one rule: readNumber), and nothing is sent.
  await cell.fill('17,5');
  await cell.press('Enter');
  await expect(steward.page.getByRole('alert')).toHaveText(
    'Enter a number with a point for decimals and no thousands separator (“17,5” has a comma).',
  );
  await expect(cell).toHaveAttribute('aria-invalid', 'true');
  await cell.fill('17.5');
  await cell.press('Enter');
  await expect(steward.page.getByText('Submitted by Dana Steward')).toBeVisible();
  await screenshots(steward.page, 'indicator-steward');

  // The lead's open indicator screen and report card show it, without a reload.
  await expect(lead.page.getByRole('definition').filter({ hasText: `17.5 % (${year})` })).toBeVisible();
  await expect(lead.page.getByRole('textbox', { name: `Total, ${year}` })).toHaveValue('17.5');
  await expect(bingeOnCard).toContainText(`17.5 % (${year})`);

  // A second value for the same period asks before replacing the first.
  const leadCell = lead.page.getByRole('textbox', { name: `Total, ${year}` });
  await leadCell.fill('18');
  await leadCell.press('Enter');
  await expect(lead.page.getByText('Replace 17.5 % with 18 %?')).toBeVisible();
  await lead.page.getByRole('button', { name: 'Replace', exact: true }).click();
  await expect(steward.page.getByRole('textbox', { name: `Total, ${year}` })).toHaveValue('18');
  await lead.page.getByRole('button', { name: `History of Total, ${year}` }).click();
  const history = lead.page.getByRole('region', { name: `History of Total, ${year}` });
  await expect(history.getByRole('listitem')).toHaveCount(2);
  await expect(history.getByRole('listitem').filter({ hasText: '(replaced)' })).toContainText('17.5 %');

  // The steward writes the story of the year in the grid: the lead's value with a note, confirmed as a replacement.
  const story = 'The youth survey moved to spring; <b>two schools</b> joined late.';
  await steward.page.getByRole('button', { name: `Story of ${year}` }).click();
  const storyForm = steward.page.getByRole('form', { name: `The story of ${year}` });
  await expect(storyForm.getByLabel('Value (Percent)')).toHaveValue('18');
  await expect(storyForm.getByLabel('The story')).toBeFocused();
  await storyForm.getByLabel('The story').fill(story);
  await screenshots(steward.page, 'indicator-story-form');
  await storyForm.getByRole('button', { name: 'Save the story' }).click();
  await expect(storyForm.getByRole('alert')).toContainText('this value would replace it');
  await storyForm.getByRole('button', { name: 'Replace it' }).click();
  await expect(storyForm).toHaveCount(0);
  // The cell carries the story as an icon named by its text; the lead's chart tells it beside the curve, as text.
  await expect(steward.page.getByRole('img', { name: `Story: ${story}` })).toBeVisible();
  // The value is now the steward's own: they are offered no review of it, the lead is.
  await expect(steward.page.getByText('You entered it: the lead or another steward reviews it.')).toBeVisible();
  await expect(steward.page.getByRole('button', { name: `Approve Total, ${year}` })).toHaveCount(0);
  await expect(steward.page.getByRole('button', { name: `Reject Total, ${year}` })).toHaveCount(0);
  await expect(lead.page.getByRole('button', { name: `Approve Total, ${year}` })).toBeVisible();
  const besideCurve = lead.page.getByRole('complementary', { name: 'The story behind the curve' });
  await expect(besideCurve).toContainText(story);
  await expect(besideCurve.locator('b')).toHaveCount(0);
  await expect(lead.page.getByRole('img', { name: `Story: ${story}` })).toBeVisible();
  await expect(lead.page.getByRole('textbox', { name: `Total, ${year}` })).toHaveValue('18');
  await screenshots(lead.page, 'indicator-story-told');
  await history.getByRole('button', { name: 'Close the history' }).click();
  await lead.page.getByRole('button', { name: `History of Total, ${year}` }).click();
  await expect(history.getByRole('listitem')).toHaveCount(3);
  await expect(history.getByRole('listitem').filter({ hasText: '(current)' })).toContainText(`Note: ${story}`);

  // A CSV with bad rows is refused whole, naming every bad row; nothing is imported.
  const csv = [
    'indicator,date,value,subgroup,note',
    `"${BINGE}",${year - 1}-05-01,21,,Survey year`,
    `"${BINGE}",${year - 2}-05-01,150,,`,
    `"${BINGE}",${year + 1}-05-01,12,,`,
  ].join('\n');
  await lead.page
    .getByLabel('CSV file of values')
    .setInputFiles({ name: 'values.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await lead.page.getByRole('button', { name: 'Import the values' }).click();
  const refusal = lead.page.getByRole('table', { name: /Lines to correct/ });
  await expect(refusal).toBeVisible();
  const rows = refusal.locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('3');
  await expect(rows.nth(0)).toContainText('value');
  await expect(rows.nth(1)).toContainText('4');
  await expect(rows.nth(1)).toContainText('date');
  // Nothing was imported: the grid still starts at the steward's year.
  await expect(lead.page.getByRole('textbox', { name: `Total, ${year - 1}` })).toHaveCount(0);
  await screenshots(lead.page, 'indicator-csv-refused');

  // Corrected, the file imports; its note is the story behind the curve.
  await lead.page
    .getByLabel('CSV file of values')
    .setInputFiles({
      name: 'values.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv.split('\n').slice(0, 2).join('\n')),
    });
  await lead.page.getByRole('button', { name: 'Import the values' }).click();
  await expect(lead.page.getByText('Imported 1 value.')).toBeVisible();
  await expect(lead.page.getByRole('textbox', { name: `Total, ${year - 1}` })).toHaveValue('21');
  await expect(lead.page.getByText('Survey year')).toBeVisible();
  await screenshots(card, 'measures-lead');

  // A value of the public indicator, approved by the lead.
  await openIndicator(card, SMOKING);
  const smokingCell = card.getByRole('textbox', { name: `Total, ${year}` });
  await smokingCell.fill('15');
  await smokingCell.press('Enter');
  await card.getByRole('button', { name: `Approve Total, ${year}` }).click();
  await expect(card.getByText('Approved by Lena Lead')).toBeVisible();
  await card.getByRole('link', { name: '← Every measure' }).click();

  // The lead publishes the public report: only the public indicator is on it, with its approved value.
  await card.getByRole('button', { name: 'Publish a public report link' }).click();
  const linkField = card.getByRole('list', { name: 'Published report links' }).getByRole('textbox');
  await expect(linkField).toHaveValue(/\/report\/[^/]+$/);
  const reportPath = new URL(await linkField.inputValue()).pathname;
  const visitor = await browser.newContext({ baseURL: baseUrl() });
  members.push({ context: visitor, page: await visitor.newPage() });
  const publicPage = members.at(-1)!.page;
  await publicPage.goto(reportPath);
  await expect(publicPage.getByRole('heading', { level: 1, name: 'Meadow County Prevention Coalition' })).toBeVisible();
  await expect(publicPage.getByRole('heading', { level: 3, name: SMOKING })).toBeVisible();
  await expect(publicPage.getByRole('heading', { level: 2, name: 'Goal' })).toBeVisible();
  await expect(publicPage.getByRole('definition').filter({ hasText: `15 % (${year})` })).toBeVisible();
  await expect(publicPage.getByText(BINGE, { exact: true })).toHaveCount(0);
  await expect(publicPage.getByText('18 %')).toHaveCount(0);
  await expect(publicPage.getByText(COMPLIANCE, { exact: true })).toHaveCount(0);
  await expect(publicPage.getByText('Loading the chart…')).toHaveCount(0);
  await screenshots(publicPage, 'public-report');

  // Revoked, the link says so.
  await card.getByRole('button', { name: /^Revoke the link/ }).click();
  await card.getByRole('alertdialog').getByRole('button', { name: 'Revoke the link' }).click();
  await expect(card.getByText('No published links.')).toBeVisible();
  await publicPage.reload();
  await expect(publicPage.getByText('This report is no longer published.')).toBeVisible();
  await screenshots(publicPage, 'public-report-revoked');

  // Back on the framework board, the indicator's panel shows its latest value and opens its measures.
  await card.getByRole('link', { name: '← Back to the boards' }).click();
  const framework = 'Strategic action framework';
  await expect(card.getByRole('region', { name: framework })).toBeVisible();
  await boardCard(card, framework, BINGE).click();
  const measures = panel(card, 'Indicator').getByRole('region', { name: 'Measures' });
  await expect(measures).toContainText(`18 % (${year})`);
  await screenshots(card, 'indicator-panel');
  await measures.getByRole('link', { name: 'Open measures' }).click();
  await expect(card).toHaveURL(/\/measures\/ind-binge$/);
  await api.dispose();
});
