/**
 * The strategic action framework's versions in the browser (docs/framework.md):
 * a lead saves two versions with the canvas edited between them, compares them
 * side by side in the domain's words, restores the first for a reason and undoes
 * that by restoring the version kept automatically; a participant, on a phone,
 * sees the timeline change live and may only compare. Real server, real Chromium.
 */
import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import type { FrameworkDiff, FrameworkVersionSummary } from '../../src/contract/portfolio.ts';
import {
  adminApi,
  boardCard,
  createInitiative,
  createInvite,
  importDemo,
  joinAs,
  openBoard,
  panel,
  type Member,
} from './helpers.ts';

const FRAMEWORK = 'Strategic action framework';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };

async function sendEvent(api: APIRequestContext, id: string, event: object): Promise<void> {
  const response = await api.post(`/api/initiatives/${id}/events`, { data: event });
  expect(response.status(), await response.text()).toBe(200);
}

const sheet = (page: Page) => page.getByRole('dialog', { name: 'Framework versions' });

async function openVersions(page: Page): Promise<Locator> {
  await page
    .getByRole('group', { name: `${FRAMEWORK} tools` })
    .getByRole('button', { name: 'Versions' })
    .click();
  await expect(sheet(page)).toBeVisible();
  return sheet(page);
}

async function closeVersions(page: Page): Promise<void> {
  await sheet(page).getByRole('button', { name: 'Close', exact: true }).click();
  await expect(sheet(page)).toHaveCount(0);
}

async function saveVersion(versions: Locator, name: string, learned: string): Promise<void> {
  const form = versions.getByRole('form', { name: 'Save a version' });
  if (!(await form.isVisible())) await versions.getByText('Save the framework as a version').click();
  await form.getByLabel('Name of the version').fill(name);
  await form.getByLabel('What was learned').fill(learned);
  await form.getByRole('button', { name: 'Save version' }).click();
}

/** The timeline entry of version `number`. */
const entry = (versions: Locator, number: number) =>
  versions
    .getByRole('list', { name: 'Saved versions, newest first' })
    .getByRole('listitem', { name: new RegExp(`^Version ${number},`) });

/** What the server's document holds now, compared with a version: waits for the browser's edits to reach it. */
async function diffWithNow(page: Page, id: string, version: string): Promise<FrameworkDiff> {
  const response = await page.request.get(`/api/initiatives/${id}/framework/diff?from=${version}&to=current`);
  expect(response.status()).toBe(200);
  return (await response.json()) as FrameworkDiff;
}

async function versionList(page: Page, id: string): Promise<FrameworkVersionSummary[]> {
  const response = await page.request.get(`/api/initiatives/${id}/framework/versions`);
  expect(response.status()).toBe(200);
  return (await response.json()) as FrameworkVersionSummary[];
}

test.describe('framework versions', () => {
  let members: Member[] = [];

  test.afterEach(async () => {
    await Promise.all(members.map((member) => member.context.close()));
    members = [];
  });

  test('save two versions, compare them, restore the first and undo it; a participant only compares, live', async ({
    browser,
  }) => {
    // Two people, four saves and restores, each checked in both browsers: longer than one screen's test.
    test.setTimeout(120_000);
    const api = await adminApi();
    const id = await createInitiative(api, 'Meadow County Coalition', 'Teen substance use in Meadow County');
    await importDemo(api, id, 'Meadow County Coalition');
    const [leadInvite, participantInvite] = await Promise.all([
      createInvite(api, id, 'lead'),
      createInvite(api, id, 'participant'),
    ]);
    await sendEvent(api, id, {
      type: 'readiness.confirm',
      override: { reason: 'The coalition already meets monthly.' },
    });

    const lead = await joinAs(browser, leadInvite, 'Dana Whitfield');
    members = [lead];
    await openBoard(lead.page, FRAMEWORK);
    let versions = await openVersions(lead.page);
    await expect(versions.getByText('No version saved yet')).toBeVisible();

    // Phase I: the framework is not agreed yet, and the server says so beside the form.
    await saveVersion(versions, 'First agreement', 'The group agreed three strategies.');
    await expect(versions.getByRole('form', { name: 'Save a version' })).toContainText(
      'The boundaries and the strategic action framework are agreed in Phase II: Organize for Impact; there is nothing to revise yet.',
    );
    await expect(entry(versions, 1)).toHaveCount(0);
    await lead.page.screenshot({ path: 'test-results/framework-versions-refused-1440.png' });

    await sendEvent(api, id, {
      type: 'phase.advance',
      override: { reason: 'The landscape is mapped; the council meets monthly.' },
    });
    await saveVersion(versions, 'First agreement', 'The group agreed three strategies.');
    await expect(entry(versions, 1)).toContainText('First agreement');
    await expect(entry(versions, 1)).toContainText('Saved by Dana Whitfield');
    await expect(entry(versions, 1)).toContainText('What was learned: The group agreed three strategies.');

    // The participant, on a phone, opens the versions: compare only.
    const participant = await joinAs(browser, participantInvite, 'Sam Rivera', undefined, PHONE);
    members.push(participant);
    await openBoard(participant.page, FRAMEWORK);
    await participant.page.screenshot({ path: 'test-results/framework-versions-board-390.png' });
    const seen = await openVersions(participant.page);
    await expect(entry(seen, 1)).toContainText('First agreement');
    await expect(seen.getByText('Save the framework as a version')).toHaveCount(0);
    await expect(seen.getByRole('button', { name: 'Restore…' })).toHaveCount(0);
    await expect(seen.getByRole('button', { name: 'Compare with now' })).toHaveCount(1);

    // The lead edits the canvas: a strategy added, an activity moved to another strategy, a horizon changed, a baseline removed.
    await closeVersions(lead.page);
    await lead.page.screenshot({ path: 'test-results/framework-versions-board-1440.png' });
    const v1 = (await versionList(lead.page, id))[0];
    await lead.page.getByRole('button', { name: 'Add strategy' }).click();
    await panel(lead.page, 'Strategy').getByLabel('Name', { exact: true }).fill('Raise the tobacco age');
    await boardCard(lead.page, FRAMEWORK, 'Model social host ordinance').click();
    await panel(lead.page, 'Activity').getByLabel('Strategy').selectOption({ label: 'Parent education' });
    await boardCard(lead.page, FRAMEWORK, 'Youth recognition').click();
    await panel(lead.page, 'Strategy').getByLabel('Horizon').selectOption({ label: 'Long-term systemic' });
    await boardCard(lead.page, FRAMEWORK, 'Shops selling alcohol to minors in compliance checks').click();
    await lead.page.keyboard.press('Delete');
    await expect(boardCard(lead.page, FRAMEWORK, 'Shops selling alcohol to minors in compliance checks')).toHaveCount(
      0,
    );
    await expect
      .poll(async () => {
        const diff = await diffWithNow(lead.page, id, v1.id);
        return [diff.added.map((a) => a.label), diff.removed.length, diff.changed.map((c) => c.field).sort()];
      })
      .toEqual([['Raise the tobacco age'], 1, ['horizon', 'strategyId']]);

    versions = await openVersions(lead.page);
    await saveVersion(
      versions,
      'After the retailer pilot',
      'Compliance checks moved to the county; tobacco age is the next lever.',
    );
    await expect(entry(versions, 2)).toContainText('After the retailer pilot');
    await expect(
      versions.getByRole('status').filter({ hasText: 'Saved the framework as “After the retailer pilot”.' }),
    ).toBeVisible();
    // The participant's timeline follows without a reload.
    await expect(entry(seen, 2)).toContainText('After the retailer pilot');

    // Version 1 against version 2, side by side, in the domain's words.
    const compare = versions.getByRole('region', { name: /compared with/ });
    await versions.getByLabel('From', { exact: true }).selectOption({ label: 'Version 1: First agreement' });
    await versions.getByLabel('To', { exact: true }).selectOption({ label: 'Version 2: After the retailer pilot' });
    await expect(compare).toHaveAccessibleName(
      'Version 1, “First agreement” compared with Version 2, “After the retailer pilot”',
    );
    await expect(compare.getByRole('status')).toHaveText('4 cards differ: 1 added, 1 removed, 2 changed.');
    const added = compare.getByRole('article', { name: 'Strategy Raise the tobacco age: added' });
    await expect(added.locator('.fv-card--added')).toContainText('Added');
    await expect(added.locator('.fv-card--added')).toContainText('Raise the tobacco age');
    await expect(added).toContainText('Not in Version 1');
    const removed = compare.getByRole('article', { name: /^Baseline data Shops selling alcohol.*: removed$/ });
    await expect(removed.locator('.fv-card--removed')).toContainText('Removed');
    await expect(removed.locator('del').first()).toHaveText('Shops selling alcohol to minors in compliance checks');
    const activity = compare.getByRole('article', { name: 'Activity Model social host ordinance: changed' });
    await expect(activity.locator('.fv-field__name')).toHaveText(['Strategy']);
    await expect(activity.locator('del')).toHaveText('Community laws and norms');
    await expect(activity.locator('ins')).toHaveText('Parent education');
    const strategy = compare.getByRole('article', { name: 'Strategy Youth recognition: changed' });
    await expect(strategy.locator('.fv-field__name')).toHaveText(['Horizon']);
    await expect(strategy.locator('del')).toHaveText('Short-term win');
    await expect(strategy.locator('ins')).toHaveText('Long-term systemic');
    // No raw ids anywhere: cards are named by their words.
    await expect(compare).not.toContainText('st-laws');
    await expect(compare).not.toContainText('base-compliance');
    await lead.page.screenshot({ path: 'test-results/framework-versions-compare-1440.png' });

    // The participant compares too, stacked on the phone.
    await seen.getByLabel('From', { exact: true }).selectOption({ label: 'Version 1: First agreement' });
    await seen.getByLabel('To', { exact: true }).selectOption({ label: 'Version 2: After the retailer pilot' });
    await expect(seen.getByRole('region', { name: /compared with/ }).getByRole('status')).toHaveText(
      '4 cards differ: 1 added, 1 removed, 2 changed.',
    );
    await participant.page.screenshot({ path: 'test-results/framework-versions-compare-390.png' });
    await seen
      .getByRole('article', { name: 'Activity Model social host ordinance: changed' })
      .evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await participant.page.screenshot({ path: 'test-results/framework-versions-changed-390.png' });

    // Restore version 1, for a reason: the board goes back, and the framework as it was is kept as version 3.
    await entry(versions, 1).getByRole('button', { name: 'Restore…' }).click();
    const restoreForm = entry(versions, 1).getByRole('form', { name: 'Restore version 1' });
    await restoreForm
      .getByLabel('Why the group goes back to this version')
      .fill('The county did not take over the compliance checks.');
    await restoreForm.getByRole('button', { name: 'Restore version 1' }).click();
    await expect(entry(versions, 3)).toContainText('Kept automatically when Dana Whitfield restored a version');
    await expect(entry(versions, 3)).toContainText(
      'Why it was restored: The county did not take over the compliance checks.',
    );
    await expect(boardCard(lead.page, FRAMEWORK, 'Raise the tobacco age')).toHaveCount(0);
    await expect(boardCard(lead.page, FRAMEWORK, 'Shops selling alcohol to minors in compliance checks')).toBeVisible();
    await expect(boardCard(participant.page, FRAMEWORK, 'Raise the tobacco age')).toHaveCount(0);
    await expect(entry(seen, 3)).toContainText('Kept automatically');

    // Version 1 against now: the same framework.
    await entry(versions, 1).getByRole('button', { name: 'Compare with now' }).click();
    await expect(versions.getByRole('region', { name: /compared with Now/ }).getByRole('status')).toHaveText(
      'No differences: the two are the same framework.',
    );
    await lead.page.screenshot({ path: 'test-results/framework-versions-timeline-1440.png' });

    // Undo: restoring the version kept automatically brings the board back to version 2's framework.
    await entry(versions, 3).getByRole('button', { name: 'Restore…' }).click();
    const undoForm = entry(versions, 3).getByRole('form', { name: 'Restore version 3' });
    await undoForm.getByLabel('Why the group goes back to this version').fill('Restored by mistake.');
    await undoForm.getByRole('button', { name: 'Restore version 3' }).click();
    await expect(entry(versions, 4)).toContainText('Kept automatically');
    await expect(boardCard(lead.page, FRAMEWORK, 'Raise the tobacco age')).toBeVisible();
    await expect(boardCard(lead.page, FRAMEWORK, 'Shops selling alcohol to minors in compliance checks')).toHaveCount(
      0,
    );
    await entry(versions, 2).getByRole('button', { name: 'Compare with now' }).click();
    await expect(versions.getByRole('region', { name: /compared with Now/ }).getByRole('status')).toHaveText(
      'No differences: the two are the same framework.',
    );
    await expect(entry(seen, 4)).toContainText('Kept automatically');
    await entry(seen, 4).evaluate((element) => element.scrollIntoView({ block: 'center' }));
    await participant.page.screenshot({ path: 'test-results/framework-versions-timeline-390.png' });

    // Compared with now, the comparison follows the board: the lead adds a principle, the participant's comparison shows it.
    await entry(seen, 2).getByRole('button', { name: 'Compare with now' }).click();
    const withNow = seen.getByRole('region', { name: /compared with Now/ });
    await expect(withNow.getByRole('status')).toHaveText('No differences: the two are the same framework.');
    await lead.page.getByRole('button', { name: 'Add principle' }).click();
    await expect(withNow.getByRole('status')).toHaveText('1 card differs: 1 added, 0 removed, 0 changed.');
    await expect(withNow.getByRole('article', { name: 'Principle New principle: added' })).toContainText('Added');

    // A participant's restore is refused by the server too, not only hidden.
    const refused = await participant.page.request.post(`/api/initiatives/${id}/events`, {
      data: { type: 'framework.restore', version: v1.id, reason: 'Try' },
    });
    expect(refused.status()).toBe(403);
    await api.dispose();
  });
});
