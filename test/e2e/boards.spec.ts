import { expect, test } from '@playwright/test';
import {
  adminApi,
  boardCard,
  createInitiative,
  createInvite,
  fillAddStakeholder,
  importDemo,
  joinAs,
  openBoard,
  panel,
  type Member,
  type MemberRole,
} from './helpers.ts';

const NAME = 'Meadow County Coalition for Healthy Youth';

/** A demo initiative (every board filled in) and one member per role asked for. */
async function setUp(browser: Parameters<typeof joinAs>[0], roles: MemberRole[], demo = true): Promise<Member[]> {
  const api = await adminApi();
  const id = await createInitiative(api, NAME, 'Teen substance use in Meadow County');
  if (demo) await importDemo(api, id, NAME);
  const invites = await Promise.all(roles.map((role) => createInvite(api, id, role)));
  await api.dispose();
  const names = ['Amira Haddad', 'Ben Okafor', 'Chloe Martin'];
  return Promise.all(invites.map((invite, i) => joinAs(browser, invite, names[i])));
}

test.describe('the four boards', () => {
  let members: Member[] = [];

  test.afterEach(async () => {
    await Promise.all(members.map((member) => member.context.close()));
    members = [];
  });

  test('stakeholder map: add with the toolbar and the N key, edit in the panel, filter, undo a delete', async ({ browser }) => {
    members = await setUp(browser, ['participant', 'participant'], false);
    const [a, b] = members;
    const board = 'Stakeholder map';

    await a.page.getByRole('button', { name: 'Add stakeholder' }).click();
    await fillAddStakeholder(a.page, 'County health department', 'Health');
    const panelA = panel(a.page, 'Stakeholder');
    await expect(panelA.getByLabel('Name', { exact: true })).toBeFocused();
    await panelA.getByLabel('Influence (1–5)').selectOption({ label: '5 – very high' });
    await expect(boardCard(b.page, board, 'County health department')).toContainText('Health');
    await expect(boardCard(b.page, board, 'County health department')).toContainText('Influence 5/5');
    await expect(b.page.getByRole('note', { name: 'Sectors not yet represented' })).not.toContainText('Health');

    // N adds the board's main kind near the centre of the view, through the same form.
    await a.page.getByRole('region', { name: board }).locator('.react-flow__pane').click();
    await a.page.keyboard.press('n');
    await fillAddStakeholder(a.page, 'Meadow Youth Council', 'Residents');
    await expect(panelA.getByLabel('Name', { exact: true })).toHaveValue('Meadow Youth Council');
    await expect(boardCard(b.page, board, 'Meadow Youth Council')).toBeVisible();

    // A double-click on an empty spot of the board adds one there.
    await a.page.getByRole('region', { name: board }).locator('.react-flow__pane').dblclick({ position: { x: 60, y: 40 } });
    await fillAddStakeholder(a.page, 'Meadow Chamber of Commerce', 'Business');
    await expect(boardCard(b.page, board, 'Meadow Chamber of Commerce')).toBeVisible();

    // B filters by sector: only the health department stays.
    await b.page.getByRole('group', { name: 'Filters and grid' }).getByLabel('Sector').selectOption({ label: 'Health' });
    await expect(boardCard(b.page, board, 'Meadow Youth Council')).toHaveCount(0);
    await expect(boardCard(b.page, board, 'County health department')).toBeVisible();
    await b.page.getByRole('group', { name: 'Filters and grid' }).getByLabel('Sector').selectOption({ label: 'All sectors' });

    // A deletes a card with the keyboard, then undoes it: it comes back for B too.
    await boardCard(a.page, board, 'Meadow Youth Council').click();
    await a.page.keyboard.press('Delete');
    await expect(boardCard(b.page, board, 'Meadow Youth Council')).toHaveCount(0);
    await a.page.getByRole('button', { name: 'Undo' }).click();
    await expect(boardCard(b.page, board, 'Meadow Youth Council')).toBeVisible();

    // Without a mouse: a relationship added from the panel.
    // The form opens on demand (its list of parties is long on a large map) and takes focus.
    await boardCard(a.page, board, 'County health department').click();
    const opener = panelA.getByRole('button', { name: 'Add a relationship…' });
    await expect(opener).toHaveAttribute('aria-expanded', 'false');
    await opener.focus();
    await a.page.keyboard.press('Enter');
    await expect(opener).toHaveAttribute('aria-expanded', 'true');
    const links = panelA.getByRole('form', { name: 'Add a relationship' });
    await expect(links.getByLabel('Kind of relationship')).toBeFocused();
    await links.getByLabel('Kind of relationship').selectOption({ label: 'funds' });
    await links.getByLabel('With').selectOption({ label: 'Meadow Youth Council' });
    await links.getByRole('button', { name: 'Add relationship' }).click();
    await expect(b.page.locator('.react-flow__edge')).toContainText('funds');
    await expect(panelA.getByRole('list', { name: 'Relationships' })).toContainText('funds Meadow Youth Council');
    // Adding closes the form and gives focus back to its button.
    await expect(links).toHaveCount(0);
    await expect(opener).toBeFocused();

    // A card picked up by a drag gets the panel when it is dropped; while it moves the panel keeps still.
    const name = panelA.getByLabel('Name', { exact: true });
    await expect(name).toHaveValue('County health department');
    const youth = (await boardCard(a.page, board, 'Meadow Youth Council').boundingBox())!;
    await a.page.mouse.move(youth.x + youth.width / 2, youth.y + 12);
    await a.page.mouse.down();
    await a.page.mouse.move(youth.x + youth.width / 2 + 40, youth.y + 50, { steps: 6 });
    await expect(boardCard(a.page, board, 'Meadow Youth Council')).toHaveClass(/\bdragging\b/);
    await expect(name).toHaveValue('County health department');
    await a.page.mouse.up();
    await expect(name).toHaveValue('Meadow Youth Council');

    // Copy and paste makes a second card with the same fields.
    await boardCard(a.page, board, 'County health department').click();
    await a.page.keyboard.press('ControlOrMeta+c');
    await a.page.keyboard.press('ControlOrMeta+v');
    await expect(boardCard(b.page, board, 'County health department')).toHaveCount(2);
  });

  test('framework: a renamed strategy is renamed on governance; a measurement reaches the other user', async ({ browser }) => {
    members = await setUp(browser, ['facilitator', 'participant']);
    const [a, b] = members;
    const framework = 'Strategic action framework';
    await openBoard(a.page, framework);
    await openBoard(b.page, 'Governance');
    await expect(boardCard(b.page, 'Governance', 'Parent education')).toBeVisible();

    await boardCard(a.page, framework, 'Parent education').click();
    const strategy = panel(a.page, 'Strategy');
    await strategy.getByLabel('Name', { exact: true }).fill('Parent and caregiver education');
    await strategy.getByLabel('Horizon').selectOption({ label: 'Long-term systemic' });
    await expect(boardCard(b.page, 'Governance', 'Parent and caregiver education')).toContainText('Long-term systemic');

    // A measurement entered in the indicator's panel.
    await boardCard(a.page, framework, 'Binge drinking, 10th grade').click();
    const indicator = panel(a.page, 'Indicator');
    await indicator.getByLabel('Measurement date').fill('2026-09-01');
    await indicator.getByLabel('Measurement value').fill('29');
    await indicator.getByRole('button', { name: 'Add measurement' }).click();
    await expect(indicator.getByRole('list', { name: 'Measurements' })).toContainText('2026-09-01: 29 %');
    await openBoard(b.page, framework);
    await expect(boardCard(b.page, framework, 'Binge drinking, 10th grade')).toContainText('Latest: 29 % (2026-09-01)');
    await boardCard(b.page, framework, 'Binge drinking, 10th grade').click();
    await expect(panel(b.page, 'Indicator').getByRole('list', { name: 'Measurements' })).toContainText('2026-09-01: 29 %');

    // The goal is one per initiative: edited in its panel, never deleted.
    await boardCard(a.page, framework, 'Reduce teen substance use in Meadow County to below the state average within five years.').click();
    const goal = panel(a.page, 'Goal');
    await goal.getByLabel('Goal for the desired change').fill('Cut teen binge drinking by 40% by 2031.');
    await expect(goal.getByRole('button', { name: /^Delete/ })).toHaveCount(0);
    await expect(boardCard(b.page, framework, 'Cut teen binge drinking by 40% by 2031.')).toBeVisible();

    // A new strategy added from the toolbar shows on both boards.
    await a.page.getByRole('button', { name: 'Add strategy' }).click();
    await panel(a.page, 'Strategy').getByLabel('Name', { exact: true }).fill('Safe rides home');
    await expect(boardCard(b.page, framework, 'Safe rides home')).toBeVisible();
  });

  test('boundaries: dragging an item across the boundary changes its side for the other user', async ({ browser }) => {
    members = await setUp(browser, ['participant', 'participant']);
    const [a, b] = members;
    const board = 'Boundaries';
    await openBoard(a.page, board);
    await openBoard(b.page, board);
    const item = boardCard(a.page, board, 'Students aged 12 to 18 and their parents');
    await expect(boardCard(b.page, board, 'Students aged 12 to 18 and their parents')).toContainText('Inside the effort');

    // B sees who has the card selected.
    await item.click();
    await expect(boardCard(b.page, board, 'Students aged 12 to 18 and their parents')).toContainText('Selected by Amira Haddad');

    // While A drags, B sees the card move before it is dropped; dropped outside, it is outside for B too.
    const outside = (await a.page.locator('.region--outside').first().boundingBox())!;
    const onB = boardCard(b.page, board, 'Students aged 12 to 18 and their parents');
    const before = (await onB.boundingBox())!;
    const box = (await item.boundingBox())!;
    await a.page.mouse.move(box.x + box.width / 2, box.y + 12);
    await a.page.mouse.down();
    await a.page.mouse.move(outside.x + outside.width / 2, outside.y + outside.height / 2, { steps: 12 });
    await expect.poll(async () => (await onB.boundingBox())!.x).toBeGreaterThan(before.x + 100);
    await expect(onB).toContainText('Inside the effort');
    await a.page.mouse.up();
    await expect(boardCard(b.page, board, 'Students aged 12 to 18 and their parents')).toContainText('Outside the effort');

    // The rationale is edited in the panel and shown on the card.
    await boardCard(a.page, board, 'Students aged 12 to 18 and their parents').click();
    await panel(a.page, 'Boundary item').getByLabel('Rationale').fill('Younger children are served by the early-years network.');
    await expect(boardCard(b.page, board, 'Students aged 12 to 18 and their parents')).toContainText('early-years network');
  });

  test('governance: a working group gets members from the stakeholder map; the backbone its functions', async ({ browser }) => {
    members = await setUp(browser, ['lead', 'participant']);
    const [a, b] = members;
    const board = 'Governance';
    await openBoard(a.page, board);
    await openBoard(b.page, board);

    await a.page.getByRole('button', { name: 'Add working group' }).click();
    const group = panel(a.page, 'Group');
    await group.getByLabel('Name', { exact: true }).fill('Youth voice working group');
    await group.getByRole('group', { name: 'Members' }).getByLabel('Youth Advisory Board').check();
    await group.getByRole('group', { name: 'Leads' }).getByLabel('Youth Advisory Board').check();
    await group.getByRole('group', { name: 'Strategies' }).getByLabel('Youth recognition').check();
    await expect(boardCard(b.page, board, 'Youth voice working group')).toContainText('Youth Advisory Board');

    await boardCard(a.page, board, 'Prevention Council backbone team').click();
    const backbone = panel(a.page, 'Backbone');
    await backbone.getByRole('group', { name: 'Handle communications' }).getByLabel('Interfaith Council').check();
    await expect(boardCard(b.page, board, 'Prevention Council backbone team')).toContainText('Handle communications: Interfaith Council');

    // A nested sub-initiative, with its own steering committee and backbone (added while it is selected).
    await a.page.getByRole('button', { name: 'Add sub-initiative' }).click();
    await panel(a.page, 'Group').getByLabel('Name', { exact: true }).fill('Safe streets lever');
    await a.page.getByRole('button', { name: 'Add steering committee' }).click();
    await panel(a.page, 'Group').getByLabel('Name', { exact: true }).fill('Safe streets steering committee');
    await expect(boardCard(b.page, board, 'Safe streets steering committee')).toContainText('Part of Safe streets lever');
    await boardCard(a.page, board, 'Safe streets lever').click();
    await a.page.getByRole('button', { name: 'Add backbone' }).click();
    await expect(boardCard(b.page, board, 'Safe streets lever backbone')).toContainText('Backbone of Safe streets lever');
  });

  test('stakeholder map: the power–interest grid places stakeholders in their quadrants, in one undo step', async ({ browser }) => {
    members = await setUp(browser, ['lead']);
    const [a] = members;
    const board = 'Stakeholder map';
    const region = a.page.getByRole('region', { name: board });
    const attorney = boardCard(a.page, board, 'County Commissioners');
    const placeOnBoard = () => attorney.evaluate((element) => (element as HTMLElement).style.transform);
    const before = await placeOnBoard();
    await a.page.getByRole('button', { name: 'Place on power–interest grid' }).click();
    for (const quadrant of ['Manage closely', 'Keep satisfied', 'Keep informed', 'Monitor']) {
      await expect(region.locator('.region-node').filter({ hasText: quadrant })).toBeVisible();
    }
    const inQuadrant = async (text: string, quadrant: string) => {
      const cardBox = (await boardCard(a.page, board, text).boundingBox())!;
      const q = (await region.locator('.region-node').filter({ hasText: quadrant }).boundingBox())!;
      const x = cardBox.x + 10;
      const y = cardBox.y + 10;
      return x >= q.x && x <= q.x + q.width && y >= q.y && y <= q.y + q.height;
    };
    // Influence 5, interest 5; influence 5, interest 2; influence 2, interest 5.
    await expect.poll(() => inQuadrant('Ruth Okafor', 'Manage closely')).toBe(true);
    await expect.poll(() => inQuadrant('County Commissioners', 'Keep satisfied')).toBe(true);
    await expect.poll(() => inQuadrant('Youth Advisory Board', 'Keep informed')).toBe(true);
    await a.page.screenshot({ path: '/tmp/board-stakeholders-grid.png' });

    // One undo puts every card back where it was.
    await a.page.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(placeOnBoard).toBe(before);
  });

  test('import is refused into a non-empty initiative, with the reasons; observers cannot import but can export', async ({ browser }) => {
    members = await setUp(browser, ['lead', 'observer']);
    const [a, c] = members;
    await expect(c.page.getByRole('button', { name: 'Import JSON…' })).toHaveCount(0);
    await a.page.getByRole('button', { name: 'Import JSON…' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Import an initiative' });
    await dialog.getByLabel('Export file').setInputFiles({
      name: 'broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ format: 'convene.initiative', version: 1, entities: [{ kind: 'stakeholder', id: 's', name: 'X', influence: 9 }] })),
    });
    await dialog.getByRole('button', { name: 'Import' }).click();
    await expect(dialog.getByRole('alert')).not.toBeEmpty();
    // Every problem at once, each naming the card and the field in words.
    await expect(dialog.getByRole('alert')).toContainText("Stakeholder 'X': influence must be a whole number from 1 to 5");
    await expect(dialog.getByRole('alert')).toContainText("Stakeholder 'X': sector is missing");
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Anyone can export the board as a picture and the initiative as JSON.
    for (const [item, extension] of [
      ['Export this board as PNG', /\.png$/],
      ['Export this board as SVG', /\.svg$/],
      ['Export the initiative as JSON', /\.json$/],
    ] as const) {
      await c.page.getByRole('button', { name: 'Export', exact: true }).click();
      const download = c.page.waitForEvent('download');
      await c.page.getByRole('menuitem', { name: item }).click();
      expect((await download).suggestedFilename()).toMatch(extension);
    }

    // The shortcuts, in a dialog.
    await c.page.getByRole('region', { name: 'Stakeholder map' }).locator('.react-flow__pane').click();
    await c.page.keyboard.press('?');
    await expect(c.page.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('Paste the copied cards');
  });

  test('an observer has no editing controls on any board', async ({ browser }) => {
    members = await setUp(browser, ['observer']);
    const [c] = members;
    const boards: [string, string, string][] = [
      ['Stakeholder map', 'Ruth Okafor', 'Stakeholder'],
      ['Boundaries', 'Students aged 12 to 18 and their parents', 'Boundary item'],
      ['Strategic action framework', 'Binge drinking, 10th grade', 'Indicator'],
      ['Governance', 'Prevention Council backbone team', 'Backbone'],
    ];
    for (const [board, cardText, kind] of boards) {
      await openBoard(c.page, board);
      await expect(c.page.getByText('You are observing: you can see changes live but not edit.')).toBeVisible();
      await expect(c.page.getByRole('button', { name: /^Add / })).toHaveCount(0);
      for (const name of ['Undo', 'Redo', 'Tidy layout', 'Import JSON…']) {
        await expect(c.page.getByRole('button', { name })).toHaveCount(0);
      }
      const observed = boardCard(c.page, board, cardText);
      await expect(observed).not.toHaveClass(/\bdraggable\b/);
      await observed.click();
      const details = panel(c.page, kind);
      await expect(details).toBeVisible();
      await expect(details.getByRole('textbox')).toHaveCount(0);
      await expect(details.getByRole('checkbox')).toHaveCount(0);
      await expect(details.getByRole('combobox')).toHaveCount(0);
      await expect(details.getByRole('button', { name: /^Delete|^Add|^Remove/ })).toHaveCount(0);
      await c.page.keyboard.press('Delete');
      await expect(observed).toBeVisible();
    }
  });
});
