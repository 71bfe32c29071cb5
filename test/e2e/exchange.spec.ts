import { readFile, writeFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { adminApi, boardCard, createInitiative, createInvite, importDemo, joinAs, type Member } from './helpers.ts';

/** Exports the open initiative through the toolbar and answers the parsed file. */
async function exportJson(page: Page): Promise<Record<string, unknown>> {
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Export the initiative as JSON' }).click();
  const file = await (await download).path();
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

/** The parts of an export that describe the document (not which initiative, nor when). */
function documentOf(exported: Record<string, unknown>) {
  const { initiative: _initiative, exportedAt: _exportedAt, ...rest } = exported;
  return rest;
}

test('export, import into a new initiative, export again: the same document', async ({ browser }) => {
  const api = await adminApi();
  const source = await createInitiative(api, 'Meadow County Coalition for Healthy Youth', 'Teen substance use');
  await importDemo(api, source, 'Meadow County Coalition for Healthy Youth');
  const target = await createInitiative(api, 'Meadow County, second copy', 'Teen substance use');
  const sourceInvite = await createInvite(api, source, 'lead');
  const targetInvite = await createInvite(api, target, 'lead');
  await api.dispose();

  let lead: Member | null = null;
  try {
    lead = await joinAs(browser, sourceInvite, 'Dana Whitfield');
    const { page } = lead;
    const first = await exportJson(page);
    expect(first.format).toBe('convene.initiative');
    expect((first.entities as unknown[]).length).toBeGreaterThan(20);
    const path = test.info().outputPath('meadow.convene.json');
    await writeFile(path, JSON.stringify(first));

    // The same browser opens its invite to the new, empty initiative.
    await page.goto(targetInvite);
    await page.getByLabel('Your name').fill('Dana Whitfield');
    await page.getByRole('button', { name: 'Join the initiative' }).click();
    await expect(page).toHaveURL(new RegExp(`/i/${target}$`));
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    await page.getByRole('button', { name: 'Import JSON…' }).click();
    await page.getByLabel('Export file').setInputFiles(path);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(page.getByText('Imported. The boards now show the imported initiative.')).toBeVisible();
    await page.keyboard.press('Escape');
    // The imported cards arrive through the live document, no reload.
    const someone = (first.entities as { kind: string; name?: string }[]).find((e) => e.kind === 'stakeholder')!;
    await expect(boardCard(page, 'Stakeholder map', someone.name!)).toBeVisible();

    const second = await exportJson(page);
    expect((second.initiative as { id: string }).id).toBe(target);
    expect(documentOf(second)).toEqual(documentOf(first));
  } finally {
    await lead?.context.close();
  }
});
