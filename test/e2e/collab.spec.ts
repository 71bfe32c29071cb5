/**
 * Collaboration in real Chromium with two people: per-user undo, edits made
 * offline that merge on reconnect (and survive a reload, from IndexedDB), and
 * two people typing in the same text field.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { adminApi, card, createInitiative, createInvite, fillAddStakeholder, joinAs, type Member } from './helpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

interface SyncGate {
  /** New sync sockets are closed at once, as when the server cannot be reached. */
  block(): void;
  /** New sync sockets reach the server again. */
  open(): void;
}

/**
 * Routes a context's sync sockets (/collab) through Playwright so the test can
 * refuse new ones. Playwright routes websockets of documents loaded after the
 * route is set, so this runs before the context opens its first page.
 */
async function gateSync(context: BrowserContext): Promise<SyncGate> {
  let blocked = false;
  await context.routeWebSocket(/\/collab\//, (ws) => {
    if (blocked) ws.close({ code: 1001, reason: 'offline (test)' });
    else ws.connectToServer();
  });
  return { block: () => void (blocked = true), open: () => void (blocked = false) };
}

async function twoParticipants(browser: Browser, name: string): Promise<[Member, Member, SyncGate]> {
  const api = await adminApi();
  const id = await createInitiative(api, name, 'Teen substance use in a rural county');
  const [inviteA, inviteB] = await Promise.all([createInvite(api, id, 'participant'), createInvite(api, id, 'participant')]);
  await api.dispose();
  const a = await joinAs(browser, inviteA, 'Amira Haddad');
  let gate: SyncGate | null = null;
  const b = await joinAs(browser, inviteB, 'Ben Okafor', async (context) => {
    gate = await gateSync(context);
  });
  members = [a, b];
  return [a, b, gate!];
}

const map = (page: Page) => page.getByRole('region', { name: 'Stakeholder map' });
const cards = (page: Page) => map(page).locator('.react-flow__node');
const panel = (page: Page) => page.getByRole('complementary', { name: 'Stakeholder' });
const status = (page: Page) => page.getByRole('status').filter({ has: page.locator('.connection-status__dot') });

/** Adds a stakeholder with the toolbar and its add form; its panel opens with the name focused. */
async function addStakeholder(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add stakeholder', exact: true }).click();
  await fillAddStakeholder(page, name, 'Nonprofit');
  await expect(panel(page).getByLabel('Name')).toBeFocused();
  await expect(card(page, name)).toBeVisible();
}

/** Puts the keyboard focus on the board itself (an empty spot of the pane), closing the panel. */
async function focusBoard(page: Page): Promise<void> {
  const box = (await map(page).boundingBox())!;
  await page.mouse.click(box.x + box.width - 40, box.y + 40);
  await expect(panel(page)).toHaveCount(0);
}

test('undo is per person: A’s Ctrl+Z removes A’s card for both and never B’s', async ({ browser }) => {
  const [a, b] = await twoParticipants(browser, 'Undo Coalition');

  await addStakeholder(a.page, 'Amira’s health clinic');
  await expect(card(b.page, 'Amira’s health clinic')).toBeVisible();
  await addStakeholder(b.page, 'Ben’s school district');
  await expect(card(a.page, 'Ben’s school district')).toBeVisible();

  await focusBoard(a.page);
  // A's history is "add the card" then (maybe as a separate step) "name it":
  // undo until A has nothing left to undo. B's card is never in A's history.
  const undoButton = a.page.getByRole('button', { name: 'Undo', exact: true });
  await expect(async () => {
    await a.page.keyboard.press('Control+z');
    await expect(cards(a.page)).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 5_000 });
  await expect(undoButton).toBeDisabled();
  await a.page.keyboard.press('Control+z');

  for (const page of [a.page, b.page]) {
    await expect(cards(page)).toHaveCount(1);
    await expect(card(page, 'Ben’s school district')).toBeVisible();
  }

  // Redo brings A's card back, for both.
  await a.page.keyboard.press('Control+Shift+z');
  await expect(cards(b.page)).toHaveCount(2);
});

test('an edit made offline is kept on the device, survives a reload and merges on reconnect', async ({ browser }) => {
  const [a, b, gate] = await twoParticipants(browser, 'Offline Coalition');
  await addStakeholder(a.page, 'County health department');
  await expect(card(b.page, 'County health department')).toBeVisible();

  // B loses the network: the browser says so and the app drops its socket at
  // once. (Chromium's offline emulation does not close an open websocket by
  // itself; the app listens for the browser's offline event.) The gate stands
  // for the unreachable server: routed sockets bypass the emulation.
  gate.block();
  await b.context.setOffline(true);
  await expect(status(b.page)).toHaveAttribute('data-status', 'offline');
  await expect(status(b.page)).toContainText('Offline');

  await addStakeholder(b.page, 'Faith leaders council');
  await addStakeholder(a.page, 'Riverside school district');
  await expect(card(a.page, 'Faith leaders council')).toHaveCount(0);
  await expect(card(b.page, 'Riverside school district')).toHaveCount(0);
  await expect(status(b.page)).toHaveAttribute('data-status', 'offline');

  // The network is back for pages but the server is still out of reach: B
  // reloads and still has its offline edit, from IndexedDB.
  await b.context.setOffline(false);
  await b.page.reload();
  await expect(card(b.page, 'Faith leaders council')).toBeVisible();
  await expect(card(b.page, 'County health department')).toBeVisible();
  await expect(status(b.page)).toHaveAttribute('data-status', 'offline');
  await expect(card(a.page, 'Faith leaders council')).toHaveCount(0);

  // Reconnected: both see both.
  gate.open();
  await expect(status(b.page)).toHaveAttribute('data-status', 'live', { timeout: 10_000 });
  for (const page of [a.page, b.page]) {
    await expect(card(page, 'Faith leaders council')).toBeVisible();
    await expect(card(page, 'Riverside school district')).toBeVisible();
    await expect(card(page, 'County health department')).toBeVisible();
  }
});

test('two people typing in the same field merge character by character', async ({ browser }) => {
  const [a, b] = await twoParticipants(browser, 'Typing Coalition');
  await addStakeholder(a.page, 'Health');
  await focusBoard(a.page);

  await card(a.page, 'Health').click();
  await card(b.page, 'Health').click();
  const fieldA = panel(a.page).getByLabel('Name');
  const fieldB = panel(b.page).getByLabel('Name');
  await expect(fieldA).toHaveValue('Health');
  await expect(fieldB).toHaveValue('Health');

  // A types at the end while B types at the start, at the same time.
  await fieldA.click();
  await a.page.keyboard.press('End');
  await fieldB.click();
  await b.page.keyboard.press('Home');
  await Promise.all([
    a.page.keyboard.type(' Department', { delay: 25 }),
    b.page.keyboard.type('County ', { delay: 25 }),
  ]);

  for (const field of [fieldA, fieldB]) await expect(field).toHaveValue('County Health Department');
  await expect(card(a.page, 'County Health Department')).toBeVisible();
  await expect(card(b.page, 'County Health Department')).toBeVisible();
});
