import { expect, test } from '@playwright/test';
import { adminApi, createInitiative, createInvite, importDemo, joinAs, openBoard } from './helpers.ts';

const BOARDS = [
  ['Stakeholder map', 'stakeholders'],
  ['Boundaries', 'boundaries'],
  ['Strategic action framework', 'framework'],
  ['Governance', 'governance'],
] as const;

test('every board shows the demo initiative (screenshots in the test output folder)', async ({ browser }) => {
  const api = await adminApi();
  const id = await createInitiative(api, 'Meadow County Coalition for Healthy Youth', 'Teen substance use in Meadow County');
  await importDemo(api, id, 'Meadow County Coalition for Healthy Youth');
  const invite = await createInvite(api, id, 'lead');
  await api.dispose();
  const lead = await joinAs(browser, invite, 'Dana Whitfield');
  try {
    for (const [label, slug] of BOARDS) {
      await openBoard(lead.page, label);
      if (slug !== 'stakeholders') await expect(lead.page).toHaveURL(new RegExp(`#board=${slug}$`));
      await expect(lead.page.getByRole('region', { name: label }).locator('.react-flow__node:not(.region-node)').first()).toBeVisible();
      await lead.page.screenshot({ path: test.info().outputPath(`board-${slug}.png`) });
    }
  } finally {
    await lead.context.close();
  }
});
