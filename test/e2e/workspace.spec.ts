import { expect, test, type Browser, type Page } from '@playwright/test';
import { adminApi, boardCard, createInitiative, createInvite, DESKTOP, importDemo, joinAs, PHONE, type Member } from './helpers.ts';

/**
 * The workspace around the board (issue 9, point 6): the board takes the page
 * below a slim bar; the navigator, the card's details and who is here open and
 * close by button and key and are remembered; card names stay legible after a
 * fit view; on a phone the board shows on the first screen and every tab is in reach.
 */

const LAPTOP = { width: 1024, height: 768 };
const NAME = 'Meadow County Coalition for Healthy Youth';

/** A new initiative holding the server's demo content, and a lead's invite to it. */
async function demoInitiative(): Promise<string> {
  const api = await adminApi();
  const id = await createInitiative(api, NAME, 'Teen substance use in Meadow County');
  await importDemo(api, id, NAME);
  const invite = await createInvite(api, id, 'lead');
  await api.dispose();
  return invite;
}

async function open(browser: Browser, viewport: { width: number; height: number }, name: string): Promise<Member> {
  return joinAs(browser, await demoInitiative(), name, undefined, { viewport });
}

const map = (page: Page) => page.getByRole('region', { name: 'Stakeholder map' });

/** Every card name on the map: its rendered box height and its font size as drawn (font size × zoom). */
async function nameSizes(page: Page) {
  return map(page).evaluate((region) => {
    const viewport = region.querySelector('.react-flow__viewport') as HTMLElement;
    const zoom = new DOMMatrix(getComputedStyle(viewport).transform).a;
    return [...region.querySelectorAll('.react-flow__node:not(.region-node) .card__title')].map((title) => ({
      name: title.textContent,
      height: title.getBoundingClientRect().height,
      drawn: parseFloat(getComputedStyle(title).fontSize) * zoom,
      zoom,
    }));
  });
}

/** The card of a stakeholder or effort on the map. */
const mapCard = (page: Page, name: string) => boardCard(page, 'Stakeholder map', name);

const CARDS = 16; // 14 stakeholders and 2 existing efforts

/** Fits the map in view and answers the card names' sizes once every card is drawn. */
async function fitAndMeasure(page: Page) {
  await map(page)
    .getByRole('button', { name: 'Fit view' })
    .or(page.getByRole('button', { name: 'Fit view' }))
    .first()
    .click();
  await expect.poll(async () => (await nameSizes(page)).filter((s) => s.height > 0).length).toBe(CARDS);
  return nameSizes(page);
}

const navigator = (page: Page) => page.getByRole('region', { name: 'Workflow', exact: true });
const toggle = (page: Page, name: string | RegExp) =>
  page.getByRole('group', { name: 'Panels' }).getByRole('button', { name });

test.describe('the workspace', () => {
  test.setTimeout(90_000);

  for (const viewport of [DESKTOP, LAPTOP, PHONE]) {
    test(`card names stay legible after fit view at ${viewport.width}x${viewport.height}`, async ({ browser }) => {
      const lead = await open(browser, viewport, 'Dana Whitfield');
      const { page } = lead;
      try {
        const sizes = await fitAndMeasure(page);
        for (const size of sizes) {
          expect(size.height, `${size.name}: box height`).toBeGreaterThanOrEqual(11);
          expect(size.drawn, `${size.name}: font size as drawn`).toBeGreaterThanOrEqual(11);
        }
        const zoom = sizes[0].zoom;
        // Zoomed out, the cards show name and colour only; zoomed in, their details come back.
        const details = map(page).locator('.card__details').first();
        if (zoom < 0.8) {
          await expect(details).toBeHidden();
          const zoomIn = map(page).getByRole('button', { name: 'Zoom In' });
          while ((await nameSizes(page))[0].zoom < 0.8) await zoomIn.click();
        }
        await expect(details).toBeVisible();
        for (const size of await nameSizes(page))
          expect(size.drawn, `${size.name} zoomed in`).toBeGreaterThanOrEqual(11);
        if (viewport === PHONE) await page.screenshot({ path: 'test-results/workspace-phone-zoomed.png' });
      } finally {
        await lead.context.close();
      }
    });
  }

  test('panels open and close by button and key, and each person’s choice survives a reload', async ({ browser }) => {
    const lead = await open(browser, DESKTOP, 'Dana Whitfield');
    const { page } = lead;
    try {
      // The board takes the page; the navigator opens beside it by button or W.
      await expect(navigator(page)).toBeHidden();
      await expect(toggle(page, 'Workflow')).toHaveAttribute('aria-pressed', 'false');
      const before = (await map(page).boundingBox())!;
      await toggle(page, 'Workflow').click();
      await expect(navigator(page)).toBeVisible();
      await expect(toggle(page, 'Workflow')).toHaveAttribute('aria-pressed', 'true');
      await expect.poll(async () => (await map(page).boundingBox())!.x).toBeGreaterThan(before.x + 300);
      await page.keyboard.press('w');
      await expect(navigator(page)).toBeHidden();
      await page.keyboard.press('w');
      await expect(navigator(page)).toBeVisible();

      // The selected card's details: shown on selection, closed with D, opened with the button.
      await mapCard(page, 'Ruth Okafor').click();
      const details = page.getByRole('complementary', { name: 'Stakeholder', exact: true });
      await expect(details).toBeVisible();
      await page.keyboard.press('d');
      await expect(details).toBeHidden();
      await expect(mapCard(page, 'Ruth Okafor')).toHaveClass(/selected/);

      // Who is here, with H.
      const here = page.getByRole('complementary', { name: 'Who is here' });
      await expect(here).toBeHidden();
      await page.keyboard.press('h');
      await expect(here).toBeVisible();
      await expect(here).toContainText('Dana Whitfield');

      // The help lists the panel keys.
      await page.keyboard.press('?');
      const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
      await expect(help).toContainText('Open or close the workflow navigator panel');
      await expect(help).toContainText('Open or close the card details panel');
      await expect(help).toContainText('Open or close the who is here panel');
      await page.keyboard.press('Escape');
      await expect(help).toBeHidden();
      await page.screenshot({ path: 'test-results/workspace-panels-1440x900.png' });

      // A reload keeps this person's choice: navigator open, details off, who is here open.
      await page.reload();
      await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
      await expect(here).toBeVisible();
      await expect(navigator(page)).toBeVisible();
      await mapCard(page, 'Ruth Okafor').click();
      await expect(mapCard(page, 'Ruth Okafor')).toHaveClass(/selected/);
      await expect(details).toBeHidden();
      await toggle(page, 'Details').click();
      await expect(details).toBeVisible();
      await details.getByRole('button', { name: 'Close' }).click();
      await expect(details).toBeHidden();
      await toggle(page, /^Here/).click();
      await expect(here).toBeHidden();
      await page.keyboard.press('w');
      await expect(navigator(page)).toBeHidden();
    } finally {
      await lead.context.close();
    }
  });

  test('on a phone the board shows on the first screen, every tab is in reach and panels are sheets', async ({
    browser,
  }) => {
    const lead = await open(browser, PHONE, 'Dana Whitfield');
    const { page } = lead;
    try {
      const pane = map(page);
      await expect(pane.locator('.react-flow__node').first()).toBeVisible();
      const box = (await pane.boundingBox())!;
      expect(box.y).toBeLessThan(PHONE.height / 2);
      expect(Math.min(box.y + box.height, PHONE.height) - box.y).toBeGreaterThan(PHONE.height * 0.4);
      await expect(navigator(page)).toBeHidden();

      for (const tab of ['Boundaries', 'Strategic action framework', 'Governance', 'Stakeholder map']) {
        const trigger = page.getByRole('tab', { name: tab });
        const tabBox = (await trigger.boundingBox())!;
        expect(tabBox.x, `${tab} starts on screen`).toBeGreaterThanOrEqual(0);
        expect(tabBox.x + tabBox.width, `${tab} ends on screen`).toBeLessThanOrEqual(PHONE.width);
        await trigger.click();
        await expect(page.getByRole('region', { name: tab })).toBeVisible();
      }

      // The navigator opens as a sheet from the bottom, over the board.
      await toggle(page, 'Workflow').click();
      const sheet = page.getByRole('complementary', { name: 'Workflow navigator' });
      await expect(navigator(page)).toBeVisible();
      const sheetBox = (await sheet.boundingBox())!;
      expect(sheetBox.y + sheetBox.height).toBeCloseTo(PHONE.height, 0);
      expect(sheetBox.width).toBeCloseTo(PHONE.width, 0);
      await page.screenshot({ path: 'test-results/workspace-phone-navigator.png' });
      // Who is here takes the sheet's place.
      await toggle(page, /^Here/).click();
      await expect(page.getByRole('complementary', { name: 'Who is here' })).toBeVisible();
      await expect(navigator(page)).toBeHidden();
      await page.getByRole('complementary', { name: 'Who is here' }).getByRole('button', { name: 'Close' }).click();

      // A card's details are a sheet too.
      await mapCard(page, 'Meadow Valley Hospital').click();
      const details = page.getByRole('complementary', { name: 'Stakeholder', exact: true });
      await expect(details).toBeVisible();
      // The sheet (the panel's scrolling frame) sits on the bottom edge and leaves the top of the board in view.
      const frame = (await page.locator('.board__panel').boundingBox())!;
      expect(frame.y + frame.height).toBeCloseTo(PHONE.height, 0);
      expect(frame.y).toBeGreaterThan(PHONE.height * 0.4);
      await page.screenshot({ path: 'test-results/workspace-phone-details.png' });
    } finally {
      await lead.context.close();
    }
  });

  test('links are read out by their parties; the focus ring follows the keyboard, not the mouse', async ({
    browser,
  }) => {
    const lead = await open(browser, DESKTOP, 'Dana Whitfield');
    const { page } = lead;
    try {
      await expect(
        map(page).locator('[aria-label="Meadow County Community Foundation funds Meadow County Prevention Council"]'),
      ).toHaveCount(1);
      await expect(
        map(page).locator('[aria-label="Meadow County Prevention Council reports to County Commissioners"]'),
      ).toHaveCount(1);

      // A mouse click on a card or a button leaves no focus ring.
      const ring = () =>
        page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const card = el.querySelector(':scope > .card');
          const style = getComputedStyle(card ?? el);
          return { visible: el.matches(':focus-visible'), outline: style.outlineStyle, shadow: style.boxShadow };
        });
      await mapCard(page, 'Ruth Okafor').click();
      expect((await ring()).visible).toBe(false);
      expect((await ring()).outline).toBe('none');
      await page.getByRole('button', { name: 'Tidy layout' }).click();
      expect(await ring()).toMatchObject({ visible: false, shadow: 'none' });

      // The keyboard brings it: Tab onto the next control shows the ring.
      await page.keyboard.press('Tab');
      const focused = await ring();
      expect(focused.visible).toBe(true);
      expect(focused.shadow === 'none' && focused.outline === 'none').toBe(false);
    } finally {
      await lead.context.close();
    }
  });
});
