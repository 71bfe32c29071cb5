/**
 * "Facilitators' cursors only": in real Chromium with a facilitator and two
 * participants, one participant chooses to see only the facilitator's pointer;
 * the choice holds after a reload (this browser remembers it). Screenshots of
 * where the switch sits (in the "Here" panel), at 1440x900 and 390x844, go to test-results/.
 */
import { expect, test, type Page } from '@playwright/test';
import { adminApi, createInitiative, createInvite, joinAs, setPanel, type Member } from './helpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

const map = (page: Page) => page.getByRole('region', { name: 'Stakeholder map' });
const cursorOf = (page: Page, name: string) => map(page).locator(`.collab-cursor[data-peer="${name}"]`);
const choice = (page: Page) => page.getByLabel('Facilitators’ cursors only');

/** Moves the pointer over the middle of the map, so the others see it there. */
async function pointAtMap(page: Page, dx: number): Promise<void> {
  const box = (await map(page).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2 + dx, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2 + dx + 5, box.y + box.height / 2 + 5);
}

test('a participant shows only the facilitator’s cursor, and the browser remembers it', async ({ browser }) => {
  const api = await adminApi();
  const id = await createInitiative(api, 'Convening Coalition', 'Early childhood literacy');
  const [facilitatorInvite, benInvite, amiraInvite] = await Promise.all([
    createInvite(api, id, 'facilitator'),
    createInvite(api, id, 'participant'),
    createInvite(api, id, 'participant'),
  ]);
  await api.dispose();
  const fatima = await joinAs(browser, facilitatorInvite, 'Fatima Diallo');
  const ben = await joinAs(browser, benInvite, 'Ben Okafor');
  const amira = await joinAs(browser, amiraInvite, 'Amira Haddad');
  members = [fatima, ben, amira];

  await pointAtMap(fatima.page, -120);
  await pointAtMap(ben.page, 120);
  await expect(cursorOf(amira.page, 'Fatima Diallo')).toBeVisible();
  await expect(cursorOf(amira.page, 'Ben Okafor')).toBeVisible();
  // The switch sits under the people in "Here", not over the board where people click.
  await setPanel(amira.page, 'Here', true);
  await expect(choice(amira.page)).not.toBeChecked();

  await choice(amira.page).check();
  await expect(cursorOf(amira.page, 'Ben Okafor')).toHaveCount(0);
  await expect(cursorOf(amira.page, 'Fatima Diallo')).toBeVisible();
  // Only Amira chose: Fatima still sees Ben's pointer.
  await expect(cursorOf(fatima.page, 'Ben Okafor')).toBeVisible();
  await amira.page.screenshot({ path: 'test-results/cursor-choice-1440x900.png' });

  await amira.page.reload();
  await expect(choice(amira.page)).toBeChecked();
  await pointAtMap(fatima.page, -100);
  await pointAtMap(ben.page, 100);
  await expect(cursorOf(amira.page, 'Fatima Diallo')).toBeVisible();
  await expect(cursorOf(amira.page, 'Ben Okafor')).toHaveCount(0);

  await amira.page.setViewportSize({ width: 390, height: 844 });
  await expect(choice(amira.page)).toBeVisible();
  await amira.page.screenshot({ path: 'test-results/cursor-choice-390x844.png' });

  // And back: everyone's pointers again.
  await choice(amira.page).uncheck();
  await pointAtMap(ben.page, 90);
  await expect(cursorOf(amira.page, 'Ben Okafor')).toBeVisible();
});
