import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { defaultValue, FIELDS } from '../../src/schema/fields.ts';
import type { EntityKind } from '../../machines/entities.ts';
import { adminApi, createInitiative, createInvite, fillAddStakeholder, joinAs, openNavigator, type Member } from './helpers.ts';

/** The workflow side panel. */
const panel = (page: Page) => page.getByRole('region', { name: 'Workflow', exact: true });

/** One step of the current phase, by its title. */
const step = (page: Page, title: string) =>
  panel(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { name: title, exact: true }) });

async function sendEvent(api: APIRequestContext, id: string, event: object): Promise<void> {
  const response = await api.post(`/api/initiatives/${id}/events`, { data: event });
  expect(response.status(), await response.text()).toBe(200);
}

/** Launches Phase I at once: readiness confirmed with an override. */
async function launch(api: APIRequestContext, id: string): Promise<void> {
  await sendEvent(api, id, {
    type: 'readiness.confirm',
    override: { reason: 'The coalition already meets monthly; the assessment follows.' },
  });
}

/** An entity for an import file: every field at its default, then `fields`. */
function entity(kind: EntityKind, id: string, fields: Record<string, unknown> = {}) {
  const defaults = Object.fromEntries(Object.entries(FIELDS[kind]).map(([name, spec]) => [name, defaultValue(spec)]));
  return { ...defaults, ...fields, kind, id };
}

/** Imports a canvas into an empty initiative through the API. */
async function importCanvas(api: APIRequestContext, id: string, entities: object[]): Promise<void> {
  const response = await api.post(`/api/initiatives/${id}/import`, {
    data: {
      format: 'convene.initiative',
      version: 1,
      exportedAt: new Date().toISOString(),
      initiative: { id, name: 'Imported', issue: 'Imported' },
      entities,
      placements: { stakeholders: {}, boundaries: {}, framework: {}, governance: {} },
    },
  });
  expect(response.status(), await response.text()).toBe(200);
}

test.describe('phase navigator', () => {
  let members: Member[] = [];

  test.afterEach(async () => {
    await Promise.all(members.map((member) => member.context.close()));
    members = [];
  });

  test('what is missing updates live as a participant edits the canvas; participants see no actions', async ({
    browser,
  }) => {
    const api = await adminApi();
    const id = await createInitiative(api, 'Meadow County Coalition', 'Teen substance use in Meadow County');
    const [leadInvite, participantInvite] = await Promise.all([
      createInvite(api, id, 'lead'),
      createInvite(api, id, 'participant'),
    ]);
    await launch(api, id);
    await api.dispose();

    const lead = await joinAs(browser, leadInvite, 'Dana Whitfield');
    const participant = await joinAs(browser, participantInvite, 'Sam Rivera');
    for (const member of [lead, participant]) await openNavigator(member.page);
    members = [lead, participant];

    for (const { page } of members) {
      await expect(panel(page).getByTestId('workflow-stage')).toHaveText('Phase I: Initiate Action');
    }

    // The matrix: components by phases, statuses in words, the current phase marked.
    const matrix = panel(lead.page).getByRole('table', { name: /Components for success across the phases/ });
    await expect(matrix.getByRole('rowheader')).toHaveText([
      'Governance and infrastructure',
      'Strategic planning',
      'Community involvement',
      'Evaluation and improvement',
    ]);
    await expect(matrix.getByRole('columnheader', { name: /Phase I Initiate Action/ })).toContainText('(current phase)');
    await expect(matrix.getByTestId('cell-initiate-planning')).toContainText('Not started');

    // The landscape step is unmet, with what is missing in the domain's words.
    const landscape = step(lead.page, 'Map the landscape');
    await expect(landscape.getByTestId('step-status')).toHaveText('Not met yet');
    await expect(landscape).toContainText('Add at least 8 stakeholders to the stakeholder map (none yet).');
    await expect(panel(lead.page).getByRole('region', { name: 'What is missing' })).toContainText(
      'Strategic planning · Map the landscape: Add at least 8 stakeholders to the stakeholder map (none yet).',
    );

    // The participant sees the same status, and no action at all.
    await expect(step(participant.page, 'Map the landscape')).toContainText('Add at least 8 stakeholders');
    for (const name of [/^Advance/, 'Confirm step', 'Save thresholds', 'Record revision', 'Save answers']) {
      await expect(panel(participant.page).getByRole('button', { name })).toHaveCount(0);
    }
    await expect(panel(participant.page).locator('summary', { hasText: 'Advance with override' })).toHaveCount(0);
    await expect(panel(participant.page).locator('summary', { hasText: 'Confirm this step' })).toHaveCount(0);

    // The lead lowers the thresholds for this small pilot; everyone's navigator follows.
    await panel(lead.page).locator('summary', { hasText: 'Thresholds' }).click();
    const thresholds = panel(lead.page).getByRole('form', { name: 'Change thresholds' });
    await thresholds.getByLabel('Minimum stakeholders on the map').fill('1');
    await thresholds.getByLabel('Minimum sectors on the map').fill('1');
    await thresholds.getByLabel('Minimum existing efforts recorded').fill('0');
    await thresholds.getByRole('button', { name: 'Save thresholds' }).click();
    for (const { page } of members) {
      const seen = step(page, 'Map the landscape');
      await expect(seen).toContainText('Add at least 1 stakeholder to the stakeholder map (none yet).');
      await expect(seen).toContainText('Add at least one person affected by the issue to the stakeholder map');
      await expect(seen).not.toContainText('Record the work already under way');
    }
    await expect(panel(lead.page).getByRole('region', { name: 'History' })).toContainText(
      'Minimum stakeholders on the map: 8 → 1.',
    );

    // The participant adds a person affected by the issue on the canvas.
    await participant.page.getByRole('button', { name: 'Add stakeholder' }).click();
    await fillAddStakeholder(participant.page, 'Parents of teens network', 'Residents', 'Person affected by the issue');

    // The lead's navigator turns the step to met, without a reload.
    await expect(landscape.getByTestId('step-status')).toHaveText('Met');
    await expect(landscape).not.toContainText('What is missing');
    await expect(matrix.getByTestId('cell-initiate-planning')).toContainText('In progress');
    await expect(panel(lead.page).getByRole('region', { name: 'What is missing' })).not.toContainText(
      'Map the landscape',
    );
    await expect(step(participant.page, 'Map the landscape').getByTestId('step-status')).toHaveText('Met');
  });

  test('a facilitator confirms steps, is refused with what is missing, advances with an override and records a revision', async ({
    browser,
  }) => {
    const api = await adminApi();
    const id = await createInitiative(api, 'Eastbank River Partnership', 'Pollution of the Eastbank river');
    const invite = await createInvite(api, id, 'facilitator');
    await launch(api, id);
    // Small pilot thresholds, and a canvas that meets every checked step of Phase I.
    await sendEvent(api, id, {
      type: 'settings.thresholds',
      thresholds: { minStakeholders: 2, minSectors: 2, minEfforts: 0, minGroupSectors: 1, minBaselineItems: 1 },
    });
    await importCanvas(api, id, [
      entity('stakeholder', 's-mayor', { name: 'Mayor of Eastbank', sector: 'government', role: 'champion' }),
      entity('stakeholder', 's-fisher', { name: 'Riverside fishers', sector: 'residents', role: 'affected' }),
      entity('group', 'g-steering', { name: 'River council', groupKind: 'steering-committee', memberIds: ['s-mayor'] }),
      entity('problem', 'problem', { description: 'Nitrate levels in the river are twice the safe limit.' }),
      entity('goal', 'goal'),
      entity('evaluation', 'evaluation'),
      entity('source', 'src-report', { title: 'State water quality report 2026' }),
      entity('baseline', 'b-nitrate', {
        statement: 'Nitrate at the Mill Bridge gauge',
        value: '22 mg/l',
        source: 'State water quality report',
        date: '2026-03-01',
      }),
    ]);

    const facilitator = await joinAs(browser, invite, 'Farah Nasser');
    await openNavigator(facilitator.page);
    members = [facilitator];
    const { page } = facilitator;
    const side = panel(page);
    const history = side.getByRole('region', { name: 'History' });

    // Two judgement steps are open, so the advance is not available yet.
    await expect(step(page, 'Map the landscape').getByTestId('step-status')).toHaveText('Met');
    const advance = side.getByRole('button', { name: 'Advance to Phase II: Organize for Impact' });
    await expect(advance).toBeDisabled();
    const missing = side.getByRole('region', { name: 'What is missing' });
    await expect(missing).toContainText('Community involvement · Facilitate community outreach: Not confirmed yet');
    await expect(missing).toContainText('Evaluation and improvement · Identify key issues and gaps');

    // The facilitator confirms both with a note; each shows on the step and in the timeline.
    const notes: Record<string, string> = {
      'Facilitate community outreach': 'Three listening sessions in the riverside neighbourhoods; 140 residents came.',
      'Identify key issues and gaps': 'The baseline shows farm run-off, not the plant, drives the nitrate peaks.',
    };
    for (const [title, note] of Object.entries(notes)) {
      const item = step(page, title);
      await expect(item.getByTestId('step-status')).toHaveText('To confirm');
      await item.locator('summary', { hasText: 'Confirm this step' }).click();
      await item.getByLabel('Note').fill(note);
      await item.getByRole('button', { name: 'Confirm step' }).click();
      await expect(item.getByTestId('step-status')).toHaveText('Confirmed');
      await expect(item).toContainText(note);
      await expect(item).toContainText('Confirmed by Farah Nasser (Facilitator)');
      await expect(history).toContainText(`Confirmed "${title}"`);
      await expect(history).toContainText(note);
    }
    await expect(missing).toContainText('Nothing: all four components for success are complete.');
    await expect(advance).toBeEnabled();

    // Replacing a confirmed note asks first, naming who confirmed it; the history keeps both notes.
    const gaps = step(page, 'Identify key issues and gaps');
    await gaps.locator('summary', { hasText: 'Replace the note' }).click();
    const second = 'A second look: septic tanks upstream matter as much as farm run-off.';
    await gaps.getByLabel('New note').fill(second);
    await gaps.getByRole('button', { name: 'Replace the note' }).click();
    await expect(gaps.getByRole('status')).toContainText(/^Replace the note confirmed by Farah Nasser on .+\?$/);
    await expect(gaps).toContainText(notes['Identify key issues and gaps']);
    await gaps.getByRole('button', { name: 'Yes, replace it' }).click();
    await expect(gaps.locator('.wf-step__note')).toHaveText(second);
    await expect(history).toContainText(notes['Identify key issues and gaps']);
    await expect(history).toContainText(second);

    // Someone raises a threshold while the advance is on its way: the server refuses it with what is missing.
    await page.route(`**/api/initiatives/${id}/events`, async (route) => {
      await sendEvent(api, id, { type: 'settings.thresholds', thresholds: { minStakeholders: 500 } });
      await route.continue();
    });
    await advance.click();
    const alert = side.getByRole('alert');
    await expect(alert).toContainText('Not possible yet');
    await expect(alert).toContainText(
      'Strategic planning · Map the landscape: Add at least 500 stakeholders to the stakeholder map (2 so far).',
    );
    await page.unrouteAll();
    await expect(side.getByTestId('workflow-stage')).toHaveText('Phase I: Initiate Action');
    await expect(advance).toBeDisabled();

    // With an override and a reason, the initiative moves on; the timeline keeps the reason.
    const reason = 'The county grant requires Phase II work to start this quarter.';
    await side.locator('summary', { hasText: 'Advance with override' }).click();
    await side.getByLabel('Reason for the override').fill(reason);
    await side.getByRole('button', { name: 'Advance with override' }).click();
    await expect(side.getByTestId('workflow-stage')).toHaveText('Phase II: Organize for Impact');
    await expect(alert).toBeEmpty();
    const override = history.getByRole('listitem').filter({ hasText: `Override reason: ${reason}` });
    await expect(override).toContainText('Phase advanced · Override');
    await expect(override).toContainText('Farah Nasser');
    await expect(
      side.getByRole('table', { name: /Components for success/ }).getByRole('columnheader', { name: /Phase II Organize for Impact/ }),
    ).toContainText('(current phase)');

    // A revision of the framework is recorded without leaving the phase.
    await side.locator('summary', { hasText: 'Record a revision' }).click();
    const revision = side.getByRole('form', { name: 'Record a revision' });
    await revision.getByLabel('What was revised').selectOption({ label: 'The strategic action framework' });
    await revision.getByLabel('What changed and why').fill('Added farm run-off as a second root cause.');
    await revision.getByRole('button', { name: 'Record revision' }).click();
    const revised = history.getByRole('listitem').filter({ hasText: 'Revised the strategic action framework' });
    await expect(revised).toContainText('Revision');
    await expect(revised).toContainText('Added farm run-off as a second root cause.');
    await expect(side.getByTestId('workflow-stage')).toHaveText('Phase II: Organize for Impact');
    await api.dispose();
  });

  test('each unmet item opens the board where it is fixed; phases not reached read Not started', async ({ browser }) => {
    const api = await adminApi();
    const id = await createInitiative(api, 'Harbour Literacy Alliance', 'Adult literacy in the harbour district');
    const invite = await createInvite(api, id, 'participant');
    await launch(api, id);
    // Boundaries already set: Phase II work done early.
    await importCanvas(api, id, [
      entity('boundary', 'b-in', { label: 'Adults without a diploma', side: 'inside', dimension: 'population' }),
      entity('boundary', 'b-out', { label: 'Early-years reading', side: 'outside', dimension: 'issue' }),
      entity('problem', 'problem'),
      entity('goal', 'goal'),
      entity('evaluation', 'evaluation'),
    ]);
    await api.dispose();

    const participant = await joinAs(browser, invite, 'Sam Rivera');
    members = [participant];
    const { page } = participant;
    await openNavigator(page);
    const side = panel(page);
    const matrix = side.getByRole('table', { name: /Components for success across the phases/ });
    await expect(side.getByTestId('workflow-stage')).toHaveText('Phase I: Initiate Action');
    await expect(matrix.getByTestId('cell-organize-planning')).toContainText('Not started (1 of 2 steps ready)');
    await expect(matrix.getByTestId('cell-organize-planning')).not.toContainText('In progress');

    const missing = side.getByRole('region', { name: 'What is missing' });
    const committee = missing.getByRole('button', { name: /Form a cross-sector group: add a steering committee.*Add to Governance/ });
    await committee.click();
    await expect(page.getByRole('tab', { name: 'Governance' })).toHaveAttribute('aria-selected', 'true');
    await expect(page).toHaveURL(/#board=governance$/);

    const affected = step(page, 'Map the landscape').getByRole('button', {
      name: /Add at least one person affected by the issue.*Add to Stakeholder map/,
    });
    await affected.click();
    // The add form opens on the stakeholder map with the role preset; the person still names and places it.
    const form = page.getByRole('dialog', { name: 'Add a stakeholder' });
    await expect(form.getByLabel('Role')).toHaveValue('affected');
    await expect(form.getByLabel('Role').locator('option:checked')).toHaveText('Person affected by the issue');
    await form.getByLabel('Name').fill('Adult learners of the harbour district');
    await form.getByLabel('Sector').selectOption({ label: 'Residents' });
    await form.getByRole('button', { name: 'Add to the map' }).click();
    await expect(form).toHaveCount(0);
    await expect(page.getByRole('tab', { name: 'Stakeholder map' })).toHaveAttribute('aria-selected', 'true');
    await expect(page).toHaveURL(/#board=stakeholders$/);
    // Added as a person affected: the item the link came from is met.
    await openNavigator(page);
    await expect(step(page, 'Map the landscape')).not.toContainText('Add at least one person affected by the issue');
  });

  test('the scope questions give the time estimate for the first two phases', async ({ browser }) => {
    const api = await adminApi();
    const id = await createInitiative(api, 'Northside Food Network', 'Child hunger in the Northside');
    const invite = await createInvite(api, id, 'lead');
    await api.dispose();

    const lead = await joinAs(browser, invite, 'Dana Whitfield');
    await openNavigator(lead.page);
    members = [lead];
    const side = panel(lead.page);
    const estimate = side.getByTestId('time-estimate');
    await expect(estimate).toContainText('Between 6 and 24 months for Phase I and Phase II');

    const form = side.getByRole('form', { name: 'Scope questions' });
    await form
      .getByRole('group', { name: /Scope of the problem/ })
      .getByLabel('Focused: one issue in one community')
      .check();
    await form
      .getByRole('group', { name: /Existing collaboration/ })
      .getByLabel('Established: partners already work together on the issue')
      .check();
    await form
      .getByRole('group', { name: /Breadth of community engagement/ })
      .getByLabel('Moderate: residents and people affected in a few places')
      .check();
    await form.getByRole('button', { name: 'Save answers' }).click();

    await expect(estimate).toContainText('About 7 to 11 months for Phase I and Phase II.');
    await estimate.locator('summary', { hasText: 'Why this estimate' }).click();
    await expect(estimate).toContainText('Scope of the problem: the problem is focused (one issue in one community)');
    await expect(side.getByRole('region', { name: 'History' })).toContainText('Answered the scope questions');
  });
});
