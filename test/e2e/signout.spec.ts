/**
 * Signing out leaves nothing of the initiatives in the browser: the copies kept
 * in IndexedDB for offline work are deleted. Edits that only such a copy holds
 * are deleted only after the person says so.
 */
import { expect, test, type Page } from '@playwright/test';
import { adminApi, card, createInitiative, createInvite, fillAddStakeholder, joinAs, type Member } from './helpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

/** The initiative copies this browser keeps (IndexedDB databases), and the marks of unsent edits. */
const copies = (page: Page) =>
  page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((name) => name?.startsWith('convene:')));
const unsentMarks = (page: Page) =>
  page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('convene:pending:')));
const status = (page: Page) => page.getByRole('status').filter({ has: page.locator('.connection-status__dot') });
const signedOut = (page: Page) => expect(page.getByText('Open your invite link to sign in')).toBeVisible();

test('signing out deletes the offline copies, and unsent offline edits only after asking', async ({ browser }) => {
  const api = await adminApi();
  const id = await createInitiative(api, 'Sign-out Coalition', 'Youth unemployment in the valley');
  const [inviteA, inviteB] = await Promise.all([createInvite(api, id, 'participant'), createInvite(api, id, 'participant')]);
  await api.dispose();

  // Nothing unsent: signing out asks nothing and leaves no copy.
  const a = await joinAs(browser, inviteA, 'Amira Haddad');
  members.push(a);
  await expect.poll(() => copies(a.page)).toEqual([`convene:${id}`]);
  await a.page.goto('/');
  await a.page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await signedOut(a.page);
  await expect.poll(() => copies(a.page)).toEqual([]);

  // An edit made while the server was out of reach is only in this browser.
  let blocked = false;
  const b = await joinAs(browser, inviteB, 'Ben Okafor', async (context) => {
    await context.routeWebSocket(/\/collab\//, (ws) => {
      if (blocked) ws.close({ code: 1001, reason: 'offline (test)' });
      else ws.connectToServer();
    });
  });
  members.push(b);
  blocked = true;
  await b.context.setOffline(true);
  await expect(status(b.page)).toHaveAttribute('data-status', 'offline');
  await b.page.getByRole('button', { name: 'Add stakeholder', exact: true }).click();
  await fillAddStakeholder(b.page, 'Faith leaders council', 'Faith group');
  await expect(card(b.page, 'Faith leaders council')).toBeVisible();
  await expect.poll(() => unsentMarks(b.page)).toEqual([`convene:pending:${id}`]);

  // The network is back for pages (the home page never opens the sync socket).
  await b.context.setOffline(false);
  await b.page.goto('/');
  await b.page.getByRole('button', { name: 'Sign out', exact: true }).click();
  const ask = b.page.getByRole('alertdialog', { name: 'Sign out and delete unsent edits?' });
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(ask).toHaveCount(0);
  await expect(b.page.getByRole('heading', { name: 'Your initiatives' })).toBeVisible();
  expect(await copies(b.page)).toEqual([`convene:${id}`]);
  expect(await unsentMarks(b.page)).toEqual([`convene:pending:${id}`]);

  await b.page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await ask.getByRole('button', { name: 'Sign out and delete them' }).click();
  await signedOut(b.page);
  await expect.poll(() => copies(b.page)).toEqual([]);
  expect(await unsentMarks(b.page)).toEqual([]);
});
