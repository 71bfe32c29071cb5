/**
 * People and access (issue 10) in real Chromium against the real server: the
 * admin console creates an initiative and invites its first lead; the lead
 * runs the members screen; role changes and removals reach the member's open
 * page without a reload; used links are refused. Screenshots of every screen
 * at 1440x900 and 390x844 go to the test output folder.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  adminApi,
  baseUrl,
  createInitiative,
  createInvite,
  joinAs,
  PHONE,
  screenshots,
  signInAsAdmin,
  type Member,
} from './helpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

/** The link shown once in a CopyLink field, as a path on this server. */
async function shownLink(page: Page, label: string): Promise<string> {
  const value = await page.getByRole('textbox', { name: label, exact: true }).inputValue();
  expect(value).toMatch(/\/join\/[^/]+$/);
  return new URL(value, baseUrl()).pathname;
}

/** Opens the members screen from the workspace bar. */
async function openMembers(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Members', exact: true }).click();
  await expect(page).toHaveURL(/\/i\/[^/]+\/people$/);
  await expect(page.getByRole('heading', { name: /^Members \d+$/, level: 2 })).toBeVisible();
}

const memberRow = (page: Page, name: string) => page.getByRole('row', { name, exact: true });

test('the admin creates an initiative and invites its lead; the lead invites, changes and removes a participant, live', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const admin = await signInAsAdmin(browser);
  members.push(admin);
  const { page: adminPage } = admin;

  // The admin token went into an httpOnly cookie only: nothing a page script can read holds it.
  const token = process.env.ADMIN_TOKEN!;
  const readable = await adminPage.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
  );
  expect(readable).not.toContain(token);
  expect(await adminPage.getByLabel('Admin token').count()).toBe(0);

  await adminPage.getByLabel('Name').fill('Riverside Food Security Network');
  await adminPage.getByLabel('Issue').fill('Food insecurity among families in Riverside');
  await adminPage.getByRole('button', { name: 'Create initiative' }).click();
  await expect(
    adminPage.getByRole('status').filter({ hasText: 'Riverside Food Security Network was created' }),
  ).toBeVisible();
  const everyInitiative = adminPage.getByRole('region', { name: /Every initiative/ });
  await expect(everyInitiative.getByRole('link', { name: /^Riverside Food Security Network/ })).toBeVisible();

  const firstLead = adminPage.getByRole('region', { name: 'Invite its first lead' });
  await firstLead.getByLabel('Who it is for').fill('Backbone: United Way Riverside');
  await firstLead.getByRole('button', { name: 'Create invite link' }).click();
  const leadLink = await shownLink(adminPage, 'Invite link for the backbone lead (Backbone: United Way Riverside)');
  await admin.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  await firstLead.getByRole('button', { name: 'Copy' }).click();
  await expect(firstLead.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(new URL(await adminPage.evaluate(() => navigator.clipboard.readText())).pathname).toBe(leadLink);
  await screenshots(adminPage, 'admin-console');

  // The lead joins with the admin's link and runs the members screen.
  const lead = await joinAs(browser, leadLink, 'Dana Whitfield');
  members.push(lead);
  await screenshots(lead.page, 'workspace-lead');
  await openMembers(lead.page);
  await expect(memberRow(lead.page, 'Dana Whitfield')).toContainText('Backbone lead');

  const invite = lead.page.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel('Role').selectOption({ label: 'Participant' });
  await invite.getByLabel('Who it is for').fill('Health department');
  await invite.getByLabel('Works for (days)').fill('14');
  await invite.getByRole('button', { name: 'Create invite link' }).click();
  const participantLink = await shownLink(lead.page, 'Invite link for a participant (Health department)');
  await expect(lead.page.getByRole('row', { name: 'Participant invite (Health department)' })).toContainText(
    'Dana Whitfield',
  );

  // The participant joins in another browser; the link is used up.
  const participant = await joinAs(browser, participantLink, 'Sam Rivera');
  members.push(participant);
  const second = await browser.newContext({ baseURL: baseUrl() });
  members.push({ context: second, page: await second.newPage() });
  const refused = members[members.length - 1].page;
  await refused.goto(participantLink);
  await expect(refused.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();
  await expect(refused.getByTestId('join-refusal')).toContainText('Dana Whitfield');
  await expect(refused.getByLabel('Your name')).toHaveCount(0);
  await screenshots(refused, 'join-refused');

  // One event stream per page carries both the workflow and the access events.
  const streams: string[] = [];
  participant.page.on('request', (request) => {
    if (request.url().includes('/workflow/stream')) streams.push(request.url());
  });
  await participant.page.reload();
  await expect(participant.page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  await participant.page.getByRole('group', { name: 'Panels' }).getByRole('button', { name: 'Workflow' }).click();
  await expect(participant.page.getByRole('region', { name: 'Workflow', exact: true })).toBeVisible();
  expect(streams).toHaveLength(1);

  // Participants do not see the members list.
  await expect(participant.page.getByRole('link', { name: 'Members', exact: true })).toHaveCount(0);

  // The participant can edit; the lead makes them an observer and their board turns read-only without a reload.
  const addStakeholder = participant.page.getByRole('button', { name: 'Add stakeholder', exact: true });
  await expect(addStakeholder).toBeVisible();
  await participant.page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));
  await lead.page.reload();
  await expect(memberRow(lead.page, 'Sam Rivera')).toContainText('Online now');
  await lead.page.getByLabel('Role of Sam Rivera').selectOption({ label: 'Observer' });
  await expect(lead.page.getByRole('status').filter({ hasText: 'Sam Rivera is now Observer.' })).toBeVisible();
  await expect(participant.page.getByText('Your role is now Observer.')).toBeVisible();
  await expect(participant.page.getByTestId('viewer-role')).toHaveText('Observer');
  await expect(participant.page.getByText('You are observing: you can see changes live but not edit.')).toBeVisible();
  await expect(addStakeholder).toHaveCount(0);
  await screenshots(participant.page, 'workspace-made-observer');

  // Made participant again, they can edit again.
  await lead.page.getByLabel('Role of Sam Rivera').selectOption({ label: 'Participant' });
  await expect(participant.page.getByTestId('viewer-role')).toHaveText('Participant');
  await expect(addStakeholder).toBeVisible();
  expect(await participant.page.evaluate(() => 'stillTheSamePage' in window)).toBe(true);

  // The last lead cannot step down: the refusal says why, and the role stays.
  await lead.page.getByLabel('Role of Dana Whitfield').selectOption({ label: 'Facilitator' });
  await expect(lead.page.getByRole('alert')).toContainText('An initiative needs a backbone lead');
  await expect(lead.page.getByLabel('Role of Dana Whitfield')).toHaveValue('lead');

  await screenshots(lead.page, 'members-lead');

  // Removed, the participant's page says so within 2 seconds.
  await lead.page.getByRole('button', { name: 'Remove Sam Rivera' }).click();
  const confirm = lead.page.getByRole('alertdialog', {
    name: 'Remove Sam Rivera from Riverside Food Security Network?',
  });
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(
    participant.page.getByRole('heading', { name: 'Your access to this initiative was removed' }),
  ).toBeVisible({
    timeout: 2_000,
  });
  await expect(memberRow(lead.page, 'Sam Rivera')).toHaveCount(0);
  await expect(participant.page.getByRole('link', { name: 'Go to your initiatives' })).toBeVisible();
  // Nothing of the initiative stays in that browser: the copy kept for offline work is deleted.
  const copies = () =>
    participant.page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name).filter((n) => n?.startsWith('convene:')));
  await expect.poll(copies).toEqual([]);
  await screenshots(participant.page, 'access-removed');

  // The membership record says what happened, in sentences.
  const record = lead.page.getByRole('region', { name: 'Membership record' });
  await expect(record).toContainText('Dana Whitfield invited a participant (Health department)');
  await expect(record).toContainText('Sam Rivera joined as participant');
  await expect(record).toContainText('Dana Whitfield made Sam Rivera an observer');
  await expect(record).toContainText('Dana Whitfield removed Sam Rivera');
  await expect(record).toContainText('Dana Whitfield joined as backbone lead');
});

test('a facilitator sees the members read-only; a lead revokes an invite and gives a member a new sign-in link', async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const api = await adminApi();
  const id = await createInitiative(
    api,
    'Eastside Youth Employment Collaborative',
    'Youth unemployment on the east side',
  );
  const [leadInvite, facilitatorInvite] = await Promise.all([
    createInvite(api, id, 'lead'),
    createInvite(api, id, 'facilitator'),
  ]);
  await api.dispose();
  const lead = await joinAs(browser, leadInvite, 'Dana Whitfield');
  members.push(lead);
  const facilitator = await joinAs(browser, facilitatorInvite, 'Farah Nasser');
  members.push(facilitator);

  await openMembers(lead.page);
  const invite = lead.page.getByRole('region', { name: 'Invite someone' });
  await invite.getByLabel('Role').selectOption({ label: 'Observer' });
  await invite.getByLabel('Who it is for').fill('County commissioner');
  await invite.getByRole('button', { name: 'Create invite link' }).click();
  const observerLink = await shownLink(lead.page, 'Invite link for an observer (County commissioner)');
  await invite.getByLabel('Role').selectOption({ label: 'Participant' });
  await invite.getByLabel('Who it is for').fill('School district');
  await invite.getByRole('button', { name: 'Create invite link' }).click();
  await expect(lead.page.getByRole('row', { name: 'Participant invite (School district)' })).toBeVisible();

  // An expiry outside 1..90 days is refused in words, nothing created.
  await invite.getByLabel('Works for (days)').fill('120');
  await invite.getByRole('button', { name: 'Create invite link' }).click();
  await expect(invite.getByRole('alert')).toHaveText('A whole number of days from 1 to 90.');

  // The facilitator reaches the same lists from the workspace, without any control to change them.
  await openMembers(facilitator.page);
  await expect(memberRow(facilitator.page, 'Dana Whitfield')).toContainText('Backbone lead');
  // Her own page is connected: the list counts her online.
  await expect(memberRow(facilitator.page, 'Farah Nasser')).toContainText('Online now');
  await expect(facilitator.page.getByRole('row', { name: 'Observer invite (County commissioner)' })).toContainText(
    'Dana Whitfield',
  );
  await expect(
    facilitator.page.getByText('Only the administrator or the backbone lead can change who is in this initiative.'),
  ).toBeVisible();
  await expect(facilitator.page.getByRole('combobox')).toHaveCount(0);
  await expect(
    facilitator.page.getByRole('button', { name: /Remove|Revoke|sign-in link|Create invite link/ }),
  ).toHaveCount(0);
  await expect(facilitator.page.getByRole('region', { name: 'Membership record' })).toHaveCount(0);
  await screenshots(facilitator.page, 'members-facilitator');
  await facilitator.page.getByRole('link', { name: 'Back to the boards' }).click();
  await expect(facilitator.page.getByRole('tab', { name: 'Stakeholder map' })).toBeVisible();

  // Revoked, the observer's invite is gone from the list and signs nobody in.
  await lead.page.getByRole('button', { name: 'Revoke Observer invite (County commissioner)' }).click();
  await expect(lead.page.getByRole('row', { name: 'Observer invite (County commissioner)' })).toHaveCount(0);
  const stranger = await browser.newContext({ baseURL: baseUrl() });
  members.push({ context: stranger, page: await stranger.newPage() });
  const strangerPage = members[members.length - 1].page;
  await strangerPage.goto(observerLink);
  await expect(strangerPage.getByRole('heading', { name: 'This link no longer works' })).toBeVisible();

  // A new laptop: a sign-in link for the facilitator signs another browser in at once, as her.
  await memberRow(lead.page, 'Farah Nasser').getByRole('button', { name: 'New sign-in link for Farah Nasser' }).click();
  const signInLink = await shownLink(lead.page, 'Sign-in link for Farah Nasser');
  const laptop = await browser.newContext({ baseURL: baseUrl() });
  const laptopPage = await laptop.newPage();
  members.push({ context: laptop, page: laptopPage });
  await laptopPage.goto(signInLink);
  await expect(laptopPage).toHaveURL(new RegExp(`/i/${id}$`));
  await expect(laptopPage.getByText('Farah Nasser', { exact: true })).toBeVisible();
  await expect(laptopPage.getByTestId('viewer-role')).toHaveText('Facilitator');

  // Signed out of all devices by the lead: both of her pages say their access ended.
  await lead.page.getByRole('button', { name: 'Sign Farah Nasser out of all devices' }).click();
  await lead.page
    .getByRole('alertdialog', { name: 'Sign Farah Nasser out of all devices?' })
    .getByRole('button', { name: 'Sign out of all devices' })
    .click();
  await expect(laptopPage.getByRole('heading', { name: 'Your access to this initiative was removed' })).toBeVisible({
    timeout: 2_000,
  });
  await expect(
    facilitator.page.getByRole('heading', { name: 'Your access to this initiative was removed' }),
  ).toBeVisible({
    timeout: 2_000,
  });
});

test('signing out everywhere ends the sessions of every device: the other page says its access ended', async ({ browser }) => {
  test.setTimeout(90_000);
  const api = await adminApi();
  const id = await createInitiative(api, 'Lakeside Early Literacy Coalition', 'Third-grade reading levels in Lakeside');
  const invite = await createInvite(api, id, 'participant');
  await api.dispose();
  const desk = await joinAs(browser, invite, 'Amira Haddad');
  members.push(desk);

  // Her second device signs in with a sign-in link the lead made (here through the API as the admin).
  const admin = await adminApi();
  const [member] = (await (await admin.get(`/api/initiatives/${id}/members`)).json()) as { id: string }[];
  const made = await admin.post(`/api/initiatives/${id}/members/${member.id}/sign-in-link`);
  expect(made.status(), await made.text()).toBe(201);
  const phoneLink = new URL(((await made.json()) as { url: string }).url).pathname;
  await admin.dispose();
  const phone = await browser.newContext({ baseURL: baseUrl(), viewport: PHONE });
  const phonePage = await phone.newPage();
  members.push({ context: phone, page: phonePage });
  await phonePage.goto(phoneLink);
  await expect(phonePage).toHaveURL(new RegExp(`/i/${id}$`));
  await expect(phonePage.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  // From the phone's home page: sign out everywhere. The desk's open board loses access within 2 seconds.
  await phonePage.goto('/');
  await phonePage.getByRole('button', { name: 'Sign out everywhere' }).click();
  await expect(phonePage.getByRole('heading', { name: 'Open your invite link to sign in' })).toBeVisible();
  await expect(desk.page.getByRole('heading', { name: 'Your access to this initiative was removed' })).toBeVisible({ timeout: 2_000 });
  await desk.page.goto(`/i/${id}`);
  await expect(desk.page.getByRole('heading', { name: 'Open your invite link to sign in' })).toBeVisible();
});

test('the admin console: the printed sign-in link signs in once and leaves the address bar; a wrong token is refused in words', async ({
  browser,
}) => {
  const link = process.env.ADMIN_SIGN_IN_URL;
  expect(link, 'the server printed an admin sign-in link at start').toMatch(/\/admin#.+/);
  const { pathname, hash } = new URL(link!);

  // The link signs this browser in as the admin; the token leaves the address bar and lands in no storage.
  const admin = await browser.newContext({ baseURL: baseUrl() });
  const adminPage = await admin.newPage();
  members.push({ context: admin, page: adminPage });
  await adminPage.goto(pathname + hash);
  await expect(adminPage.getByRole('heading', { name: 'Initiatives on this server' })).toBeVisible();
  await expect(adminPage).toHaveURL(`${baseUrl()}/admin`);
  const readable = await adminPage.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie,
  );
  expect(readable).not.toContain(hash.slice(1));
  const cookies = await admin.cookies();
  expect(cookies.length).toBeGreaterThan(0);
  for (const cookie of cookies) expect(cookie.httpOnly).toBe(true);

  // Home links to the console only for the admin.
  await adminPage.goto('/');
  await adminPage.getByRole('link', { name: 'Open the administration' }).click();
  await expect(adminPage.getByRole('heading', { name: 'Initiatives on this server' })).toBeVisible();

  // Used once, the link is refused in another browser, which is left with the token form.
  const context = await browser.newContext({ baseURL: baseUrl() });
  const page = await context.newPage();
  members.push({ context, page });
  await page.goto(pathname + hash);
  await expect(page.getByRole('heading', { name: 'Sign in as the administrator' })).toBeVisible();
  await expect(page).toHaveURL(`${baseUrl()}/admin`);
  await expect(page.getByRole('alert')).toContainText('The sign-in link did not work: This admin sign-in link was already used.');
  await page.goto('/');
  await expect(page.getByRole('link', { name: 'Open the administration' })).toHaveCount(0);

  // A wrong token: refused in words, the field emptied, the link's notice gone.
  await page.goto('/admin');
  await page.getByLabel('Admin token').fill('wrong-token');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveCount(1);
  await expect(page.getByRole('alert')).not.toBeEmpty();
  await expect(page.getByLabel('Admin token')).toHaveValue('');
  await expect(page.getByLabel('Admin token')).toHaveAttribute('type', 'password');
  await screenshots(page, 'admin-sign-in');
});
