import { expect, test } from '@playwright/test';
import { adminApi, baseUrl, createInitiative, createInvite, joinAs } from './helpers.ts';

test('signing in with an invite, coming back, and finding your initiatives', async ({ browser }) => {
  const api = await adminApi();
  const id = await createInitiative(
    api,
    'Harbour City Homelessness Partnership',
    'Family homelessness in Harbour City',
  );
  const invite = await createInvite(api, id, 'participant');
  await api.dispose();

  // Without a session, home explains how to get in.
  const anonymous = await browser.newContext({ baseURL: baseUrl() });
  const stranger = await anonymous.newPage();
  await stranger.goto('/');
  await expect(stranger.getByRole('heading', { name: 'Open your invite link to sign in' })).toBeVisible();
  await stranger.goto(`/i/${id}`);
  await expect(stranger.getByRole('heading', { name: 'Open your invite link to sign in' })).toBeVisible();
  await anonymous.close();

  const member = await joinAs(browser, invite, 'Grace Liu');
  try {
    const { page } = member;
    await expect(page.getByRole('heading', { level: 1, name: 'Harbour City Homelessness Partnership' })).toBeVisible();

    // Home lists the initiative with its stage and role, linking to it.
    await page.getByRole('link', { name: 'Convene' }).click();
    await expect(page.getByRole('heading', { name: 'Your initiatives' })).toBeVisible();
    const entry = page.getByRole('link', { name: /Harbour City Homelessness Partnership/ });
    await expect(entry).toContainText('Family homelessness in Harbour City');
    await expect(entry).toContainText('Readiness assessment');
    await expect(entry).toContainText('Participant');
    await entry.click();
    await expect(page).toHaveURL(new RegExp(`/i/${id}$`));
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    // Opening the invite again does not ask for the name a second time.
    await page.goto(invite);
    await expect(page).toHaveURL(new RegExp(`/i/${id}$`));
    await expect(page.getByText('Grace Liu', { exact: true })).toBeVisible();

    // An unknown initiative says so.
    await page.goto('/i/no-such-initiative');
    await expect(page.getByRole('heading', { name: /not found|could not be opened/ })).toBeVisible();
  } finally {
    await member.context.close();
  }
});
