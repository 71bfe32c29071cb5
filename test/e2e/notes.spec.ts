/**
 * Sticky notes in real Chromium: a participant adds one on the stakeholder map,
 * a second participant sees it live (its words as text, never as HTML), an
 * observer sees it read-only, and turning it into a stakeholder keeps its words
 * and its place. Screenshots of a board with notes at 1440x900 and 390x844.
 */
import { expect, test, type Page } from '@playwright/test';
import { adminApi, boardCard, card, createInitiative, createInvite, importDemo, joinAs, openBoard, panel, type Member } from './helpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

const MAP = 'Stakeholder map';
const notes = (page: Page) => page.getByRole('region', { name: MAP }).locator('.react-flow__node-note');

/** Adds a sticky note from the toolbar and writes `text` on it in its details. */
async function addNote(page: Page, text: string, colour?: string): Promise<void> {
  await page.getByRole('button', { name: 'Add sticky note' }).click();
  const details = panel(page, 'Sticky note');
  await expect(details.getByLabel('Text')).toBeFocused();
  await details.getByLabel('Text').fill(text);
  if (colour) await details.getByLabel('Colour').selectOption({ label: colour });
  await expect(notes(page).filter({ hasText: text.split('\n')[0] })).toBeVisible();
}

test('a sticky note is seen live by others, read-only by an observer, and turned into a stakeholder keeping its words and place', async ({
  browser,
}) => {
  // Three people join, each in a browser of their own.
  test.slow();
  const api = await adminApi();
  const id = await createInitiative(api, 'Notes Coalition', 'Teen substance use in a rural county');
  // Invites are single use: one per person.
  const [inviteA, inviteB, inviteC] = await Promise.all([
    createInvite(api, id, 'participant'),
    createInvite(api, id, 'participant'),
    createInvite(api, id, 'observer'),
  ]);
  await api.dispose();
  const a = await joinAs(browser, inviteA, 'Amira Haddad');
  const b = await joinAs(browser, inviteB, 'Ben Okafor');
  const c = await joinAs(browser, inviteC, 'Chris Observer');
  members = [a, b, c];

  // Words that look like markup stay words.
  const words = 'Youth council <b>ask them first</b>';
  await addNote(a.page, words);
  const seen = boardCard(b.page, MAP, words);
  await expect(seen).toBeVisible();
  await expect(seen.locator('.sticky-note')).toBeVisible();
  await expect(seen.locator('b')).toHaveCount(0);
  const noteId = (await seen.getAttribute('data-id'))!;
  const place = await seen.evaluate((node) => (node as HTMLElement).style.transform);

  // B writes on it in place (double-click), and A sees the words change live.
  const onB = b.page.locator(`.react-flow__node[data-id="${noteId}"]`);
  await onB.dblclick();
  const inPlace = onB.getByLabel('Words on the note');
  await expect(inPlace).toBeFocused();
  await inPlace.press('Control+End');
  await inPlace.pressSequentially(' soon');
  await inPlace.press('Escape');
  await expect(inPlace).toHaveCount(0);
  const words2 = `${words} soon`;
  await expect(boardCard(a.page, MAP, words2)).toBeVisible();
  await expect(panel(a.page, 'Sticky note').getByLabel('Text')).toHaveValue(words2);

  // The observer sees it, but cannot add notes, write on it or turn it into anything.
  const observed = boardCard(c.page, MAP, words2);
  await expect(observed).toBeVisible();
  await expect(c.page.getByRole('button', { name: 'Add sticky note' })).toHaveCount(0);
  await observed.dblclick();
  await expect(observed.getByLabel('Words on the note')).toHaveCount(0);
  await expect(panel(c.page, 'Sticky note')).toContainText(words2);
  await expect(panel(c.page, 'Sticky note').getByRole('button', { name: 'Turn into…' })).toHaveCount(0);
  await expect(panel(c.page, 'Sticky note').getByLabel('Text')).toHaveCount(0);

  // Turning it into a stakeholder: the menu lists the map's kinds, by keyboard too.
  const details = panel(a.page, 'Sticky note');
  await details.getByRole('button', { name: 'Turn into…' }).focus();
  await a.page.keyboard.press('Enter');
  const menu = a.page.getByRole('menu', { name: 'Turn into…' });
  await expect(menu.getByRole('menuitem')).toHaveText(['Stakeholder', 'Existing effort']);
  await expect(menu.getByRole('menuitem', { name: 'Stakeholder' })).toBeFocused();
  await a.page.keyboard.press('Enter');

  // A's panel now shows the stakeholder, its name the note's words, focused to go on.
  const stakeholder = panel(a.page, 'Stakeholder');
  await expect(stakeholder.getByLabel('Name')).toHaveValue(words2);
  await expect(stakeholder.getByLabel('Name')).toBeFocused();
  await expect(notes(a.page)).toHaveCount(0);

  // B sees the stakeholder card where the note was, and the note gone.
  const became = card(b.page, words2);
  await expect(became.locator('.card--stakeholder')).toBeVisible();
  await expect(became).toHaveAttribute('data-id', noteId);
  expect(await became.evaluate((node) => (node as HTMLElement).style.transform)).toBe(place);
  await expect(notes(b.page)).toHaveCount(0);
  await expect(card(c.page, words2)).toBeVisible();

  // It was one step: A's Undo brings the note back, words and place, for everyone; Redo makes the card again.
  await a.page.getByRole('button', { name: 'Undo', exact: true }).click();
  const back = boardCard(b.page, MAP, words2);
  await expect(back.locator('.sticky-note')).toBeVisible();
  expect(await back.evaluate((node) => (node as HTMLElement).style.transform)).toBe(place);
  await a.page.getByRole('button', { name: 'Redo', exact: true }).click();
  await expect(card(b.page, words2).locator('.card--stakeholder')).toBeVisible();
  await expect(notes(b.page)).toHaveCount(0);

  // T adds another note from the keyboard, on any board.
  await openBoard(b.page, 'Boundaries');
  await b.page.keyboard.press('t');
  await expect(panel(b.page, 'Sticky note').getByLabel('Text')).toBeFocused();
  await b.page.keyboard.type('Farm workers’ families');
  await expect(boardCard(b.page, 'Boundaries', 'Farm workers’ families')).toBeVisible();
  await panel(b.page, 'Sticky note').getByRole('button', { name: 'Turn into…' }).click();
  await expect(b.page.getByRole('menu', { name: 'Turn into…' }).getByRole('menuitem')).toHaveText(['Boundary item']);
  await b.page.keyboard.press('Escape');
});

test('a board with sticky notes, on a wide screen and a phone (screenshots in the test output folder)', async ({ browser }) => {
  test.slow();
  const api = await adminApi();
  const id = await createInitiative(api, 'Meadow County Coalition for Healthy Youth', 'Teen substance use in Meadow County');
  await importDemo(api, id, 'Meadow County Coalition for Healthy Youth');
  const [inviteLead, invitePhone] = await Promise.all([createInvite(api, id, 'lead'), createInvite(api, id, 'participant')]);
  await api.dispose();
  const lead = await joinAs(browser, inviteLead, 'Dana Whitfield');
  members = [lead];

  await addNote(lead.page, 'Invite the youth council to the next meeting');
  await addNote(lead.page, 'Who funds the after-school\nprogrammes?', 'Pink');
  await addNote(lead.page, 'Pharmacies: part of the landscape?', 'Blue');
  const details = panel(lead.page, 'Sticky note');
  await details.getByLabel('Written by').fill('Rosa Jimenez');
  await details.getByLabel('Written by').press('Enter');
  await details.getByLabel('Group').fill('Health');
  await details.getByLabel('Group').press('Enter');
  const pharmacies = notes(lead.page).filter({ hasText: 'Pharmacies' });
  await expect(pharmacies).toContainText('Health');
  await expect(pharmacies).toContainText('Rosa Jimenez');
  await lead.page.getByRole('button', { name: 'Fit view', exact: true }).click();
  // One note being written on in place.
  await notes(lead.page).filter({ hasText: 'Invite the youth council' }).dblclick();
  await expect(lead.page.getByLabel('Words on the note')).toBeFocused();
  await lead.page.screenshot({ path: test.info().outputPath('notes-1440.png') });
  // Near, a note shows its group above its words and its author below.
  await lead.page.keyboard.press('Escape');
  for (let i = 0; i < 3; i++) await lead.page.getByRole('button', { name: 'Zoom In' }).click();
  await pharmacies.scrollIntoViewIfNeeded();
  await lead.page.screenshot({ path: test.info().outputPath('notes-1440-near.png') });

  // Joining after the notes were written, the phone fits them in view with the rest.
  const phone = await joinAs(browser, invitePhone, 'Rosa Jimenez', undefined, {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  members.push(phone);
  await expect(phone.page.getByRole('region', { name: MAP }).locator('.sticky-note')).toHaveCount(3);
  await phone.page.screenshot({ path: test.info().outputPath('notes-390.png') });
});
