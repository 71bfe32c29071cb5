import { expect, test, type Page } from '@playwright/test';
import { adminApi, card, createInitiative, createInvite, fillAddStakeholder, joinAs, panel as sidePanel, type Member } from './helpers.ts';

/** Adds a stakeholder from the toolbar's add form; its panel then opens with the name focused. */
async function addStakeholder(page: Page, name: string, sector: string, role: string) {
  await page.getByRole('button', { name: 'Add stakeholder' }).click();
  await fillAddStakeholder(page, name, sector, role);
  await expect(sidePanel(page, 'Stakeholder').getByLabel('Name', { exact: true })).toBeFocused();
}

test.describe('stakeholder map', () => {
  let members: Member[] = [];

  test.afterEach(async () => {
    await Promise.all(members.map((member) => member.context.close()));
    members = [];
  });

  test('participants build the map together; an observer watches live but cannot edit', async ({ browser }) => {
    // Three browsers, each through the whole map: more than the default budget on a 2-core machine.
    test.slow();
    const api = await adminApi();
    const id = await createInitiative(api, 'Riverside Youth Coalition', 'Teen substance use in Riverside County');
    const [inviteA, inviteB, inviteC] = await Promise.all([
      createInvite(api, id, 'participant'),
      createInvite(api, id, 'participant'),
      createInvite(api, id, 'observer'),
    ]);
    await api.dispose();

    const a = await joinAs(browser, inviteA, 'Amira Haddad');
    const b = await joinAs(browser, inviteB, 'Ben Okafor');
    const c = await joinAs(browser, inviteC, 'Chloe Martin');
    members = [a, b, c];

    // The header says who is looking, in which role.
    await expect(a.page.getByRole('heading', { level: 1, name: 'Riverside Youth Coalition' })).toBeVisible();
    await expect(a.page.getByText('Teen substance use in Riverside County')).toBeVisible();
    await expect(a.page.getByText('Amira Haddad', { exact: true })).toBeVisible();

    // A adds a stakeholder from the toolbar and names it in the side panel.
    await addStakeholder(a.page, 'County health department', 'Health', 'Champion');

    await expect(card(a.page, 'County health department')).toBeVisible();
    await expect(card(b.page, 'County health department')).toBeVisible();
    await expect(card(b.page, 'County health department')).toContainText('Health');
    await expect(card(b.page, 'County health department')).toContainText('Champion');
    await expect(card(c.page, 'County health department')).toBeVisible();

    // The observer has no editing tools and cannot move cards.
    await expect(c.page.getByText('You are observing: you can see changes live but not edit.')).toBeVisible();
    await expect(c.page.getByRole('button', { name: 'Add stakeholder' })).toHaveCount(0);
    const observed = card(c.page, 'County health department');
    await expect(observed).not.toHaveClass(/\bdraggable\b/);
    // Dragging a card in the observer's view pans the map instead: the card keeps its place on it.
    const placeOnMap = () => observed.evaluate((element) => (element as HTMLElement).style.transform);
    const before = await placeOnMap();
    const box = (await observed.boundingBox())!;
    await c.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await c.page.mouse.down();
    await c.page.mouse.move(box.x + 200, box.y + 150, { steps: 8 });
    await c.page.mouse.up();
    expect(await placeOnMap()).toBe(before);

    // The observer can still select a card and read its details, but not edit them.
    await observed.click();
    const observerPanel = c.page.getByRole('complementary', { name: 'Stakeholder' });
    await expect(observerPanel).toContainText('County health department');
    await expect(observerPanel.getByRole('textbox')).toHaveCount(0);
    await expect(observerPanel.getByRole('button', { name: 'Delete stakeholder' })).toHaveCount(0);

    // A drags the card; B sees it move once the drag ends.
    const onB = card(b.page, 'County health department');
    const bBefore = await onB.boundingBox();
    const aBox = (await card(a.page, 'County health department').boundingBox())!;
    await a.page.mouse.move(aBox.x + aBox.width / 2, aBox.y + 20);
    await a.page.mouse.down();
    await a.page.mouse.move(aBox.x + aBox.width / 2 + 160, aBox.y + 20 + 60, { steps: 10 });
    await a.page.mouse.up();
    await expect.poll(async () => (await onB.boundingBox())!.x).toBeGreaterThan(bBefore!.x + 60);

    // B renames it in the side panel; A sees the new name.
    await onB.click();
    const panel = b.page.getByRole('complementary', { name: 'Stakeholder' });
    await expect(panel.getByLabel('Name', { exact: true })).toHaveValue('County health department');
    await panel.getByLabel('Name', { exact: true }).fill('Riverside County Health Department');
    await panel.getByLabel('Name', { exact: true }).press('Enter');
    await expect(card(a.page, 'Riverside County Health Department')).toBeVisible();
    await expect(card(c.page, 'Riverside County Health Department')).toBeVisible();
    await expect(card(a.page, 'County health department')).toHaveCount(0);

    // B changes the sector in the panel; everyone sees it, in words.
    await panel.getByLabel('Sector').selectOption({ label: 'Government' });
    await expect(card(a.page, 'Riverside County Health Department')).toContainText('Government');

    // A links it to a second stakeholder by dragging from handle to handle.
    await addStakeholder(a.page, 'Riverside Unified School District', 'Education', 'Partner');
    const school = card(a.page, 'Riverside Unified School District');
    await expect(school).toBeVisible();
    await expect(card(b.page, 'Riverside Unified School District')).toBeVisible();
    // Move the new card clear of the first one so both handles are reachable.
    const schoolBox = (await school.boundingBox())!;
    await a.page.mouse.move(schoolBox.x + schoolBox.width / 2, schoolBox.y + 20);
    await a.page.mouse.down();
    await a.page.mouse.move(schoolBox.x + schoolBox.width / 2 - 220, schoolBox.y + 200, { steps: 10 });
    await a.page.mouse.up();
    // Both cards in view, clear of the minimap.
    await a.page.getByRole('button', { name: 'Fit view', exact: true }).click();
    const health = card(a.page, 'Riverside County Health Department');
    await health.locator('.react-flow__handle-bottom').hover();
    await a.page.mouse.down();
    await school.locator('.react-flow__handle-top').hover();
    await a.page.mouse.up();
    await expect(a.page.locator('.react-flow__edge')).toHaveCount(1);
    await expect(b.page.locator('.react-flow__edge')).toHaveCount(1);
    await expect(c.page.locator('.react-flow__edge')).toHaveCount(1);

    // A new link is "partners with"; its panel opens on its kind, to say otherwise.
    await expect(b.page.locator('.react-flow__edge')).toContainText('partners with');
    const kind = sidePanel(a.page, 'Relationship').getByLabel('Relationship');
    await expect(kind).toBeFocused();
    await kind.selectOption({ label: 'funds' });
    await expect(b.page.locator('.react-flow__edge')).toContainText('funds');
    // Clicking a link opens its panel too.
    await card(a.page, 'Riverside Unified School District').click();
    const edgeBox = (await a.page.locator('.react-flow__edge').boundingBox())!;
    await a.page.mouse.click(edgeBox.x + edgeBox.width / 2, edgeBox.y + edgeBox.height / 2);
    await expect(sidePanel(a.page, 'Relationship')).toContainText('From Riverside County Health Department to Riverside Unified School District');

    // A deletes the first stakeholder with the keyboard; it and its link disappear for everyone.
    await health.click();
    await a.page.keyboard.press('Delete');
    for (const page of [a.page, b.page, c.page]) {
      await expect(card(page, 'Riverside County Health Department')).toHaveCount(0);
      await expect(page.locator('.react-flow__edge')).toHaveCount(0);
    }

    // B deletes the other one from the side panel.
    await b.page.getByRole('button', { name: 'Fit view', exact: true }).click();
    await card(b.page, 'Riverside Unified School District').click();
    await panel.getByRole('button', { name: 'Delete stakeholder' }).click();
    for (const page of [a.page, b.page, c.page]) {
      await expect(card(page, 'Riverside Unified School District')).toHaveCount(0);
      await expect(page.getByText('No stakeholders on the map yet.')).toBeVisible();
    }
  });
});
