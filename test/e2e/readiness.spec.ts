import { expect, test } from '@playwright/test';
import { adminApi, createInitiative, createInvite, joinAs, openNavigator, type Member } from './helpers.ts';

const ASSESSMENTS = [
  {
    label: 'Influential champion',
    evidence: 'The county executive chairs the steering committee and has met every CEO.',
  },
  {
    label: 'Adequate financial resources',
    evidence: 'The community foundation committed three years of backbone funding.',
  },
  { label: 'Urgency for change', evidence: 'The 2026 youth survey showed binge drinking up 40% in two years.' },
];

test.describe('readiness assessment', () => {
  let members: Member[] = [];

  test.afterEach(async () => {
    await Promise.all(members.map((member) => member.context.close()));
    members = [];
  });

  test('a lead assesses the three preconditions and launches Phase I; a participant watches', async ({ browser }) => {
    const api = await adminApi();
    const id = await createInitiative(api, 'Northside Food Security Network', 'Child hunger in the Northside');
    const [leadInvite, participantInvite] = await Promise.all([
      createInvite(api, id, 'lead'),
      createInvite(api, id, 'participant'),
    ]);
    await api.dispose();

    const lead = await joinAs(browser, leadInvite, 'Dana Whitfield');
    const participant = await joinAs(browser, participantInvite, 'Sam Rivera');
    for (const member of [lead, participant]) await openNavigator(member.page);
    members = [lead, participant];

    const side = (member: Member) => member.page.getByRole('region', { name: 'Workflow', exact: true });
    const stage = (member: Member) => side(member).getByTestId('workflow-stage');
    await expect(stage(lead)).toHaveText('Readiness assessment');
    await expect(stage(participant)).toHaveText('Readiness assessment');

    // The participant reads the assessment but has no forms.
    await expect(side(participant).getByText('Not assessed yet')).toHaveCount(3);
    await expect(participant.page.getByRole('button', { name: 'Save assessment' })).toHaveCount(0);
    await expect(participant.page.getByRole('button', { name: 'Confirm readiness' })).toHaveCount(0);

    // Confirming is blocked, with the reasons listed, until every precondition is met.
    const confirm = lead.page.getByRole('button', { name: 'Confirm readiness' });
    await expect(confirm).toBeDisabled();
    await expect(side(lead)).toContainText('Influential champion has not been assessed yet.');

    // No status is chosen for the group: saving without one says so, and sends nothing.
    const champion = side(lead)
      .getByRole('listitem')
      .filter({ has: lead.page.getByRole('heading', { name: 'Influential champion' }) });
    await expect(champion.getByLabel('Status')).toHaveValue('');
    await champion.getByLabel('Evidence').fill('The mayor chairs the council.');
    await champion.getByRole('button', { name: 'Save assessment' }).click();
    await expect(champion).toContainText('Choose a status: met, partly met or not met.');
    await expect(champion.getByLabel('Status')).toBeFocused();
    await expect(champion.getByText('Not assessed yet')).toBeVisible();

    // Evidence stops at the length the server accepts.
    await champion.getByLabel('Evidence').fill('x'.repeat(4100));
    await expect(champion.getByLabel('Evidence')).toHaveValue('x'.repeat(4000));
    await expect(champion).toContainText('4000 of 4000 characters');

    // An assessment without evidence is refused: the refusal is announced, and what was typed stays with its error.
    await champion.getByLabel('Status').selectOption('partial');
    await champion.getByLabel('Evidence').fill('   ');
    await champion.getByRole('button', { name: 'Save assessment' }).click();
    await expect(side(lead).getByRole('alert').first()).toContainText(/evidence/i);
    await expect(champion.getByLabel('Evidence')).toHaveValue('   ');
    await expect(champion.getByLabel('Evidence')).toHaveAttribute('aria-invalid', 'true');
    await expect(champion).toContainText('Evidence is required: say what the status rests on.');
    await expect(champion.getByText('Not assessed yet')).toBeVisible();
    // Cancel clears the form and its error.
    await champion.getByRole('button', { name: 'Cancel' }).click();
    await champion.locator('summary', { hasText: 'Assess' }).click();
    await expect(champion.getByLabel('Evidence')).toHaveValue('');
    await expect(champion.getByLabel('Status')).toHaveValue('');
    await expect(champion).not.toContainText('Evidence is required');

    for (const { label, evidence } of ASSESSMENTS) {
      const item = side(lead)
        .getByRole('listitem')
        .filter({ has: lead.page.getByRole('heading', { name: label }) });
      await item.getByLabel('Status').selectOption('met');
      await item.getByLabel('Evidence').fill(evidence);
      await item.getByRole('button', { name: 'Save assessment' }).click();
      await expect(item.getByRole('paragraph').filter({ hasText: evidence })).toBeVisible();
      await expect(item).toContainText('Assessed by Dana Whitfield');
      // The participant sees each assessment arrive live.
      const seen = side(participant)
        .getByRole('listitem')
        .filter({ has: participant.page.getByRole('heading', { name: label }) });
      await expect(seen.getByRole('paragraph').filter({ hasText: evidence })).toBeVisible();
    }
    await expect(side(participant).getByText('Not assessed yet')).toHaveCount(0);

    await expect(confirm).toBeEnabled();
    await confirm.click();
    await expect(stage(lead)).toHaveText('Phase I: Initiate Action');
    await expect(lead.page.getByTestId('header-stage')).toHaveText('Phase I: Initiate Action');
    await expect(stage(participant)).toHaveText('Phase I: Initiate Action');
    await expect(side(lead).getByRole('alert')).toBeEmpty();

    // The history records who did what.
    const history = side(participant).getByRole('region', { name: 'History' });
    await expect(history.getByRole('listitem')).toHaveCount(4);
    await expect(history).toContainText('Confirmed readiness');

    // No forms once the assessment is confirmed.
    await expect(lead.page.getByRole('button', { name: 'Save assessment' })).toHaveCount(0);
    await expect(lead.page.getByRole('button', { name: 'Confirm readiness' })).toHaveCount(0);
  });

  test('a facilitator can override the launch with a reason, which the history keeps', async ({ browser }) => {
    const api = await adminApi();
    const id = await createInitiative(api, 'Eastbank River Clean-up', 'Pollution of the Eastbank river');
    const invite = await createInvite(api, id, 'facilitator');
    await api.dispose();

    const facilitator = await joinAs(browser, invite, 'Farah Nasser');
    await openNavigator(facilitator.page);
    members = [facilitator];
    const side = facilitator.page.getByRole('region', { name: 'Workflow', exact: true });

    await side.locator('summary', { hasText: 'Override and launch' }).click();
    await side.getByLabel('Reason for the override').fill('The state grant deadline is next month; funding follows.');
    await side.getByRole('button', { name: 'Override and launch' }).click();
    await expect(side.getByTestId('workflow-stage')).toHaveText('Phase I: Initiate Action');
    await expect(side).toContainText('Override reason: The state grant deadline is next month; funding follows.');
  });
});
