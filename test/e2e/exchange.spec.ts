import { readFile, writeFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { adminApi, boardCard, createInitiative, createInvite, importDemo, joinAs, type Member } from './helpers.ts';

/** Exports the open initiative through the toolbar and answers the parsed file. */
async function exportJson(page: Page): Promise<Record<string, unknown>> {
  await page.getByRole('button', { name: 'Export' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('menuitem', { name: 'Export the initiative as JSON' }).click();
  const file = await (await download).path();
  return JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
}

/** The parts of an export that describe the initiative's content (not which initiative, nor when). */
function documentOf(exported: Record<string, unknown>) {
  const { initiative: _initiative, exportedAt: _exportedAt, workflow: _workflow, ...rest } = exported;
  return rest;
}

interface Workflow {
  stage: string;
  history: { type: string; by: { name: string }; summary: string }[];
  [part: string]: unknown;
}

/** Moves the source's workflow on through the API: assessments, a threshold, the launch, a confirmed step. */
async function steer(api: APIRequestContext, id: string) {
  for (const data of [
    { type: 'readiness.assess', precondition: 'champion', status: 'met', evidence: 'The District Attorney chairs it.' },
    { type: 'readiness.assess', precondition: 'resources', status: 'partial', evidence: 'Two years pledged.' },
    { type: 'settings.thresholds', thresholds: { minStakeholders: 6 } },
    { type: 'readiness.confirm', override: { reason: 'The third year is being raised now.' } },
    { type: 'step.confirm', step: 'initiate.community.outreach', note: 'Two town halls held.' },
  ]) {
    const response = await api.post(`/api/initiatives/${id}/events`, { data });
    expect(response.status(), await response.text()).toBe(200);
  }
}

async function openImport(page: Page, path: string) {
  await page.getByRole('button', { name: 'Import JSON…' }).click();
  await page.getByLabel('Export file').setInputFiles(path);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
}

test('export, import into a new initiative, export again: the same initiative, workflow included', async ({
  browser,
}) => {
  const api = await adminApi();
  const source = await createInitiative(api, 'Meadow County Coalition for Healthy Youth', 'Teen substance use');
  await importDemo(api, source, 'Meadow County Coalition for Healthy Youth');
  await steer(api, source);
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
    expect(first.version).toBe(5);
    expect((first.entities as unknown[]).length).toBeGreaterThan(20);
    const before = first.workflow as Workflow;
    expect(before.stage).toBe('initiate');
    expect(before.history.map((e) => e.type)).toEqual([
      'readiness.assess',
      'readiness.assess',
      'settings.thresholds',
      'readiness.confirm',
      'step.confirm',
    ]);
    const path = test.info().outputPath('meadow.convene.json');
    await writeFile(path, JSON.stringify(first));

    // The same browser opens its invite to the new, empty initiative.
    await page.goto(targetInvite);
    await page.getByLabel('Your name').fill('Dana Whitfield');
    await page.getByRole('button', { name: 'Join the initiative' }).click();
    await expect(page).toHaveURL(new RegExp(`/i/${target}$`));
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

    await openImport(page, path);
    await expect(page.getByText('Imported. The boards now show the imported initiative.')).toBeVisible();
    await page.keyboard.press('Escape');
    // The imported cards arrive through the live document, no reload.
    const someone = (first.entities as { kind: string; name?: string }[]).find((e) => e.kind === 'stakeholder')!;
    await expect(boardCard(page, 'Stakeholder map', someone.name!)).toBeVisible();

    const second = await exportJson(page);
    expect((second.initiative as { id: string }).id).toBe(target);
    expect(documentOf(second)).toEqual(documentOf(first));
    // The workflow is the same, and its history ends with the import: who, and from which initiative.
    const after = second.workflow as Workflow;
    expect({ ...after, history: after.history.slice(0, -1) }).toEqual(before);
    expect(after.history.at(-1)).toMatchObject({ type: 'initiative.import', by: { name: 'Dana Whitfield' } });
    expect(after.history.at(-1)!.summary).toContain('Meadow County Coalition for Healthy Youth');
  } finally {
    await lead?.context.close();
  }
});

test('a file with problems: the dialog lists every one in words, and a file that is not JSON is said so', async ({
  browser,
}) => {
  const api = await adminApi();
  const source = await createInitiative(api, 'Meadow source', 'Teen substance use');
  await importDemo(api, source, 'Meadow source');
  const file = (await (await api.get(`/api/initiatives/${source}/export`)).json()) as {
    entities: Record<string, unknown>[];
  };
  const target = await createInitiative(api, 'Meadow, bad files', 'Teen substance use');
  const invite = await createInvite(api, target, 'lead');
  await api.dispose();

  const stakeholders = file.entities.filter((e) => e.kind === 'stakeholder');
  stakeholders[0].influence = 9;
  stakeholders[1].sector = 'aliens';
  const relationship = file.entities.filter((e) => e.kind === 'relationship')[1];
  relationship.source = 'gone';
  const bad = test.info().outputPath('bad.convene.json');
  await writeFile(bad, JSON.stringify(file));
  const notJson = test.info().outputPath('stakeholders.csv');
  await writeFile(notJson, 'Name,Sector\nMeadow Valley Hospital,health\n');

  let lead: Member | null = null;
  try {
    lead = await joinAs(browser, invite, 'Dana Whitfield');
    const { page } = lead;
    await openImport(page, bad);
    const dialog = page.getByRole('dialog', { name: 'Import an initiative' });
    await expect(dialog.getByText('The file was not imported: it has 3 problems, listed below.')).toBeVisible();
    const list = dialog.getByRole('list', { name: 'Problems in the file' });
    await expect(list.getByRole('listitem')).toHaveText([
      `Stakeholder '${String(stakeholders[0].name)}': influence must be a whole number from 1 to 5.`,
      new RegExp(`^Stakeholder '${String(stakeholders[1].name)}': sector must be one of: government, `),
      `Relationship 2: 'from' names a card that is not in the file (id "gone").`,
    ]);
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: test.info().outputPath(`import-problems-${width}.png`) });
    }
    await page.setViewportSize({ width: 1440, height: 900 });

    await dialog.getByLabel('Export file').setInputFiles(notJson);
    await dialog.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(
      dialog.getByText(
        'The file was not imported. This file is not JSON, so it is not a Convene export. Choose the .convene.json file that Export saved.',
      ),
    ).toBeVisible();
    await expect(list).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('import-not-json-1440.png') });
  } finally {
    await lead?.context.close();
  }
});

test('a facilitator’s import of a file carrying what only a lead may bring in is refused in words, every part named', async ({
  browser,
}) => {
  const api = await adminApi();
  const source = await createInitiative(api, 'Meadow source for a facilitator', 'Teen substance use');
  await importDemo(api, source, 'Meadow source for a facilitator');
  const file = (await (await api.get(`/api/initiatives/${source}/export`)).json()) as { entities: Record<string, unknown>[] };
  // One indicator made restricted in the file: who sees its values is the lead's to choose.
  const indicator = file.entities.find((e) => e.kind === 'indicator')!;
  indicator.access = 'restricted';
  const target = await createInitiative(api, 'Meadow, a facilitator imports', 'Teen substance use');
  const invite = await createInvite(api, target, 'facilitator');
  await api.dispose();
  const path = test.info().outputPath('meadow.convene.json');
  await writeFile(path, JSON.stringify(file));

  let facilitator: Member | null = null;
  try {
    facilitator = await joinAs(browser, invite, 'Farid Facilitator');
    const { page } = facilitator;
    await openImport(page, path);
    const dialog = page.getByRole('dialog', { name: 'Import an initiative' });
    // One answer naming each part the facilitator may not bring in, and who may.
    const refusal = dialog.getByText(/This file carries a workflow record .* only the administrator or the backbone lead can import it\./);
    await expect(refusal).toBeVisible();
    await expect(refusal).toContainText(`This file chooses who reports and sees “${String(indicator.name)}”`);
    for (const [width, height] of [
      [1440, 900],
      [390, 844],
    ]) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: test.info().outputPath(`import-refused-${width}.png`) });
    }
    // Nothing was imported: the board is still empty.
    await page.setViewportSize({ width: 1440, height: 900 });
    await dialog.getByRole('button', { name: /Close|Cancel/ }).first().click();
    await expect(boardCard(page, 'Stakeholder map', 'Meadow Valley Hospital')).toHaveCount(0);
  } finally {
    await facilitator?.context.close();
  }
});
