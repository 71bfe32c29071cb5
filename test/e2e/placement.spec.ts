/**
 * Nothing overlaps, boundaries change only on purpose, and defaults decide
 * nothing for the group (issue #9, points 7 to 9), at a laptop's and a phone's
 * size: card boxes measured in Chromium.
 */
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { demoExport } from '../../server/demoContent.ts';
import {
  adminApi,
  boardCard,
  createInitiative,
  createInvite,
  fillAddStakeholder,
  importDemo,
  joinAs,
  openBoard,
  openNavigator,
  panel,
  setPanel,
  type Member,
} from './helpers.ts';

const NAME = 'Meadow County Coalition for Healthy Youth';
const BOARDS = ['Stakeholder map', 'Boundaries', 'Strategic action framework', 'Governance'] as const;
const VIEWPORTS = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;

interface Box {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every card's box on the open board (regions left out), in page pixels. */
async function cardBoxes(page: Page, board: string): Promise<Box[]> {
  const cards = page.getByRole('region', { name: board }).locator('.react-flow__node:not(.region-node)');
  await expect(cards.first()).toBeVisible();
  return cards.evaluateAll((elements) =>
    elements.map((element) => {
      const r = element.getBoundingClientRect();
      return { id: element.getAttribute('data-id') ?? '', x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
}

async function regionBox(page: Page, board: string, id: string): Promise<Box> {
  const region = page.getByRole('region', { name: board }).locator(`.react-flow__node[data-id="region:${id}"]`);
  const r = (await region.boundingBox())!;
  return { id, ...r };
}

const overlap = (a: Box, b: Box) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The pairs of cards that overlap, by id: empty when every card stands alone. */
function overlaps(boxes: Box[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) if (overlap(boxes[i], boxes[j])) found.push(`${boxes[i].id} × ${boxes[j].id}`);
  }
  return found;
}

const inside = (card: Box, region: Box) =>
  card.x >= region.x && card.y >= region.y && card.x + card.width <= region.x + region.width && card.y + card.height <= region.y + region.height;

type Viewport = { width: number; height: number };

/** A lead on a new initiative (the demo's content, or empty), at `viewport`. */
async function lead(browser: Parameters<typeof joinAs>[0], viewport: Viewport, demo = true, prepare?: (api: APIRequestContext, id: string) => Promise<void>): Promise<Member> {
  const api = await adminApi();
  const id = await createInitiative(api, NAME, 'Teen substance use in Meadow County');
  if (demo) await importDemo(api, id, NAME);
  await prepare?.(api, id);
  const invite = await createInvite(api, id, 'lead');
  await api.dispose();
  const member = await joinAs(browser, invite, 'Dana Whitfield');
  await member.page.setViewportSize(viewport);
  return member;
}

/** Drags a card by its top edge so that its top-left corner moves by (dx, dy) screen pixels. */
async function drag(page: Page, card: ReturnType<typeof boardCard>, dx: number, dy: number) {
  const box = (await card.boundingBox())!;
  const grab = { x: box.x + box.width / 2, y: box.y + 8 };
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  await page.mouse.move(grab.x + dx / 2, grab.y + dy / 2, { steps: 5 });
  await page.mouse.move(grab.x + dx, grab.y + dy, { steps: 5 });
  await page.mouse.up();
}

/**
 * On a phone the lanes do not all fit at a legible zoom: zoom out, as a person
 * would, until every one of `cards` lies wholly on the visible board.
 */
async function bringIntoView(page: Page, board: string, cards: ReturnType<typeof boardCard>[]) {
  const flow = page.getByRole('region', { name: board }).locator('.react-flow');
  await expect
    .poll(async () => {
      const view = (await flow.boundingBox())!;
      const boxes = await Promise.all(cards.map((card) => card.boundingBox()));
      const inView = boxes.every(
        (b) => b && b.x >= view.x && b.y >= view.y && b.x + b.width <= view.x + view.width && b.y + b.height <= view.y + view.height,
      );
      if (!inView) await flow.locator('.react-flow__controls-zoomout').click();
      return inView;
    })
    .toBe(true);
}

/**
 * The card's details: beside the board on a desktop; on a phone, a sheet over the
 * board's lower half, which a person closes to drag a card there.
 */
const showDetails = (page: Page, open: boolean) => setPanel(page, 'Details', open);

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}×${viewport.height}`, () => {
    let member: Member | null = null;
    test.afterEach(async () => {
      await member?.context.close();
      member = null;
    });

    test('no card of the demo overlaps another; every boundary item lies inside its own lane', async ({ browser }) => {
      test.slow();
      member = await lead(browser, viewport);
      const { page } = member;
      for (const board of BOARDS) {
        await openBoard(page, board);
        const boxes = await cardBoxes(page, board);
        await page.screenshot({ path: test.info().outputPath(`${board.replace(/\W+/g, '-')}.png`) });
        expect(overlaps(boxes), `overlapping cards on ${board}`).toEqual([]);
        if (board === 'Boundaries') {
          const items = demoExport().entities.filter((e) => e.kind === 'boundary') as { id: string; side: string; dimension: string }[];
          expect(boxes.map((b) => b.id).sort()).toEqual(items.map((i) => i.id).sort());
          for (const item of items) {
            const box = boxes.find((b) => b.id === item.id)!;
            const lane = await regionBox(page, board, `${item.side}-${item.dimension}`);
            expect(inside(box, lane), `${item.id} inside the ${item.side} ${item.dimension} lane`).toBe(true);
          }
        }
      }
    });

    test('a boundary item changes side only when dropped with its centre in the other region; the change is said, with Undo', async ({ browser }) => {
      test.slow();
      member = await lead(browser, viewport);
      const { page } = member;
      const board = 'Boundaries';
      await openBoard(page, board);
      const item = boardCard(page, board, 'Domestic violence');
      await expect(item).toContainText('Outside the effort');
      const notice = page.getByRole('status').filter({ hasText: 'is now' });
      const inside = page.locator('.react-flow__node[data-id="region:inside-population"]');
      const phone = viewport.width < 600;
      if (phone) await showDetails(page, false);
      await bringIntoView(page, board, [item, inside]);

      // A small nudge, within the Outside region: nothing changes, nothing is said.
      const before = (await item.boundingBox())!;
      await drag(page, item, 3, 4);
      await expect.poll(async () => (await item.boundingBox())!.x).not.toBe(before.x);
      await expect(item).toContainText('Outside the effort');
      await expect(notice).toHaveCount(0);

      // Dropped with its centre inside the Inside region: it is inside, said by name, its rationale flagged.
      const target = (await inside.boundingBox())!;
      const from = (await item.boundingBox())!;
      // Where the card is on the board (flow coordinates, whatever the view's pan and zoom).
      const placeOnBoard = () => item.evaluate((element) => (element as HTMLElement).style.transform);
      const placed = await placeOnBoard();
      const dx = target.x + target.width / 2 - (from.x + from.width / 2);
      const dy = target.y + target.height / 2 - (from.y + from.height / 2);
      await drag(page, item, dx, dy);
      await expect(item).toContainText('Inside the effort');
      await expect(item).toContainText('Rationale to review');
      await expect(notice).toContainText('‘Domestic violence’ is now inside the boundary.');
      await page.screenshot({ path: test.info().outputPath('boundary-crossed.png') });
      await item.click();
      if (phone) await showDetails(page, true);
      const details = panel(page, 'Boundary item');
      await expect(details.getByRole('note', { name: 'Needs review' })).toBeVisible();
      if (phone) await showDetails(page, false);

      // Undo puts it back outside, where it was, with no flag.
      await notice.getByRole('button', { name: 'Undo' }).click();
      await expect(item).toContainText('Outside the effort');
      await expect(item).not.toContainText('Rationale to review');
      await expect.poll(placeOnBoard).toBe(placed);
      await expect(notice).toHaveCount(0);

      // Crossed again, then the rationale edited: the flag is cleared.
      await drag(page, item, dx, dy);
      await expect(item).toContainText('Rationale to review');
      await item.click();
      if (phone) await showDetails(page, true);
      await details.getByLabel('Rationale').fill('Shares root causes with teen drinking; the county asked us to include it.');
      await expect(details.getByRole('note', { name: 'Needs review' })).toHaveCount(0);
      await expect(item).not.toContainText('Rationale to review');
    });

    test('a new stakeholder is a partner in the sector chosen, and leaves “Identify champions” unmet', async ({ browser }) => {
      member = await lead(browser, viewport, false, async (api, id) => {
        const response = await api.post(`/api/initiatives/${id}/events`, {
          data: { type: 'readiness.confirm', override: { reason: 'The coalition already meets monthly.' } },
        });
        expect(response.status(), await response.text()).toBe(200);
      });
      const { page } = member;
      await openNavigator(page);
      const champions = page
        .getByRole('region', { name: 'Workflow', exact: true })
        .getByRole('listitem')
        .filter({ has: page.getByRole('heading', { name: 'Identify champions', exact: true }) });
      await expect(champions.getByTestId('step-status')).toHaveText('Not met yet');

      await page.getByRole('button', { name: 'Add stakeholder' }).click();
      const form = page.getByRole('dialog', { name: 'Add a stakeholder' });
      // No sector is chosen for the group: sending without one says what is missing and adds nothing.
      await expect(form.getByLabel('Sector')).toHaveValue('');
      await expect(form.getByLabel('Role')).toHaveValue('partner');
      await form.getByLabel('Name').fill('Riverside Food Bank');
      await form.getByRole('button', { name: 'Add to the map' }).click();
      await expect(form.getByRole('alert')).toHaveText('Choose the sector this stakeholder comes from.');
      await expect(form.getByLabel('Name')).toHaveValue('Riverside Food Bank');
      await page.screenshot({ path: test.info().outputPath('add-stakeholder.png') });
      await form.getByLabel('Sector').selectOption({ label: 'Nonprofit' });
      await form.getByRole('button', { name: 'Add to the map' }).click();

      const food = boardCard(page, 'Stakeholder map', 'Riverside Food Bank');
      await expect(food).toContainText('Nonprofit');
      await expect(food).toContainText('Partner');
      await expect(champions.getByTestId('step-status')).toHaveText('Not met yet');

      // The sector filter in use is the form's starting sector.
      await page.getByRole('group', { name: 'Filters and grid' }).getByLabel('Sector').selectOption({ label: 'Faith group' });
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Add stakeholder' }).click();
      await expect(form.getByLabel('Sector')).toHaveValue('faith');
      await form.getByRole('button', { name: 'Cancel' }).click();
      await expect(form).toHaveCount(0);
    });

    test('placing the demo on the power–interest grid leaves every name readable: no overlaps, quadrant names clear', async ({ browser }) => {
      member = await lead(browser, viewport);
      const { page } = member;
      const board = 'Stakeholder map';
      await page.getByRole('button', { name: 'Place on power–interest grid' }).click();
      const region = page.getByRole('region', { name: board });
      await expect(region.locator('.region-node')).toHaveCount(4);
      // Once the cards have moved to their cells (the layout is written, then fitted).
      await expect.poll(async () => overlaps(await cardBoxes(page, board))).toEqual([]);
      const cards = await cardBoxes(page, board);
      for (const quadrant of ['Manage closely', 'Keep satisfied', 'Keep informed', 'Monitor']) {
        const label = (await region.locator('.region__label').filter({ hasText: quadrant }).boundingBox())!;
        const covering = cards.filter((c) => overlap(c, { id: quadrant, ...label }));
        expect(covering.map((c) => c.id), `cards over “${quadrant}”`).toEqual([]);
      }
      await page.screenshot({ path: test.info().outputPath('power-interest-grid.png') });
    });

    test('new cards land in free space: five added one after another at the centre do not overlap', async ({ browser }) => {
      member = await lead(browser, viewport, false);
      const { page } = member;
      const names = ['Riverside Food Bank', 'Eastbank Library', 'Harbour Rotary Club', 'Valley Bus Company', 'St Anne’s Parish'];
      for (const name of names) {
        await page.getByRole('region', { name: 'Stakeholder map' }).locator('.react-flow__pane').click({ position: { x: 5, y: 5 } });
        await page.keyboard.press('n');
        await fillAddStakeholder(page, name, 'Nonprofit');
        await expect(boardCard(page, 'Stakeholder map', name)).toBeVisible();
      }
      await page.getByRole('button', { name: 'Add existing effort' }).click();
      await expect(page.locator('.react-flow__node-effort')).toHaveCount(1);
      await expect.poll(async () => (await cardBoxes(page, 'Stakeholder map')).length).toBe(6);
      expect(overlaps(await cardBoxes(page, 'Stakeholder map'))).toEqual([]);
    });
  });
}
