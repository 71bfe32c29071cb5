/**
 * Workshop mode in real Chromium (issue #11): a facilitator plans a workshop
 * (reordering its agenda from the keyboard), starts it, and two participants,
 * each from their own invite, follow it live: the timer reads the same on all
 * three within 250 ms (one participant's clock is three hours off), a private
 * card reaches the others only when revealed, "Next" brings everyone who has
 * not opted out to the item's board, a dot vote shows only how many finished
 * while open and its results to all once closed, and the record shows it all.
 * Screenshots at 1440x900 and 390x844 under test-results/workshop/.
 */
import { expect, test } from '@playwright/test';
import { adminApi, boardCard, createInitiative, createInvite, importDemo, joinAs, type Member } from './helpers.ts';
import { atOneInstant, fillItem, FRAMEWORK, liveBar, MAP, openTab, shoot, timerShown, viewOf } from './workshopHelpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

const THREE_HOURS = 3 * 60 * 60 * 1000;

test('a facilitator runs a workshop with two participants: timer, private cards, next, a dot vote and the record', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const api = await adminApi();
  const id = await createInitiative(api, 'Workshop Coalition', 'Teen substance use in a rural county');
  await importDemo(api, id, 'Workshop Coalition');
  const [inviteF, inviteA, inviteB] = await Promise.all([
    createInvite(api, id, 'facilitator'),
    createInvite(api, id, 'participant'),
    createInvite(api, id, 'participant'),
  ]);
  await api.dispose();
  const f = await joinAs(browser, inviteF, 'Fiona Facilitator');
  const a = await joinAs(browser, inviteA, 'Amira Haddad');
  // Ben's computer clock is three hours ahead: the timer must still read the server's time.
  const b = await joinAs(browser, inviteB, 'Ben Okafor', async (context) => {
    await context.addInitScript((offset) => {
      const realNow = Date.now.bind(Date);
      Date.now = () => realNow() + offset;
    }, THREE_HOURS);
  });
  members = [f, a, b];

  // The facilitator plans the workshop from the workspace's "Workshops" link.
  await f.page.getByRole('link', { name: 'Workshops' }).click();
  await expect(f.page.getByRole('heading', { name: 'Workshops', level: 1 })).toBeVisible();
  await f.page.getByRole('button', { name: 'Plan a workshop' }).click();
  const editor = f.page.getByRole('form', { name: 'Plan a workshop' });
  await editor.getByLabel('Workshop title').fill('Spring convening');
  await editor.getByLabel('Starts').fill('2026-12-03T09:00');
  // Entered in the wrong order on purpose: the vote first.
  await fillItem(f.page, 1, {
    title: 'Choose what to work on first',
    minutes: 20,
    activity: 'Dot vote',
    board: FRAMEWORK,
  });
  await editor.getByRole('button', { name: 'Add an item' }).click();
  await fillItem(f.page, 2, {
    title: 'Who is missing from the map?',
    minutes: 15,
    activity: 'Brainstorm',
    board: MAP,
    prompt: 'Name the people and groups we have not reached yet.',
  });
  const items = editor.getByRole('list', { name: 'Agenda' }).getByRole('listitem');
  await expect(items.nth(1).getByTestId('item-start')).toHaveText(/09:20/);
  // Alt+Up on the second item moves it first, and the start times follow.
  await items.nth(1).getByLabel('Item 2: title').press('Alt+ArrowUp');
  await expect(items.nth(0).getByLabel('Item 1: title')).toHaveValue('Who is missing from the map?');
  await expect(items.nth(0).getByTestId('item-start')).toHaveText(/09:00/);
  await expect(items.nth(1).getByTestId('item-start')).toHaveText(/09:15/);
  await expect(items.nth(0)).toBeFocused();
  await editor.getByRole('button', { name: 'Add an item' }).click();
  await fillItem(f.page, 3, { title: 'Agree where to start', minutes: 10, activity: 'Decision' });
  await expect(items.nth(2).getByTestId('item-start')).toHaveText(/09:35/);
  // Dragged by its handle onto the first item, the decision goes first; its ↓ buttons take it back to the end.
  await items.nth(2).locator('.agenda-item__handle').dragTo(items.nth(0));
  await expect(items.nth(0).getByLabel('Item 1: title')).toHaveValue('Agree where to start');
  await expect(items.nth(1).getByTestId('item-start')).toHaveText(/09:10/);
  await editor.getByRole('button', { name: 'Move item 1 down' }).click();
  await expect(editor.getByRole('button', { name: 'Move item 2 down' })).toBeFocused();
  await editor.getByRole('button', { name: 'Move item 2 down' }).click();
  await expect(items.nth(2).getByLabel('Item 3: title')).toHaveValue('Agree where to start');
  await expect(items.nth(0).getByLabel('Item 1: title')).toHaveValue('Who is missing from the map?');
  await shoot(f.page, 'agenda-editor');
  await editor.getByRole('button', { name: 'Create the workshop' }).click();
  const planned = f.page.getByRole('region', { name: 'Planned' });
  await expect(planned.getByRole('link', { name: 'Spring convening' })).toBeVisible();
  await shoot(f.page, 'workshops-page');

  // Start: the facilitator lands in the workspace, and everyone sees the bar with the first item and its prompt.
  await planned.getByRole('button', { name: 'Start' }).click();
  await expect(f.page).toHaveURL(new RegExp(`/i/${id}$`));
  for (const member of members) {
    await expect(liveBar(member.page).getByTestId('workshop-item')).toHaveText('Who is missing from the map?', {
      timeout: 15_000,
    });
    await expect(liveBar(member.page)).toContainText('Name the people and groups we have not reached yet.');
  }

  // The shared timer: started by the facilitator, it reads the same on all three pages at the same moment.
  await liveBar(f.page).getByRole('button', { name: 'Start the timer' }).click();
  for (const member of members)
    await expect(member.page.getByTestId('workshop-timer')).toHaveAttribute('data-running', 'true');
  for (let round = 0; round < 3; round += 1) {
    const readings = atOneInstant(await Promise.all(members.map((member) => timerShown(member.page))));
    expect(
      readings.every((ms) => ms > 0 && ms <= 15 * 60_000),
      readings.join(', '),
    ).toBe(true);
    expect(Math.max(...readings) - Math.min(...readings), readings.join(', ')).toBeLessThan(250);
  }
  // A reload re-syncs from the server's clock, whatever Ben's own clock says.
  await b.page.reload();
  await expect(b.page.getByTestId('workshop-timer')).toHaveAttribute('data-running', 'true', { timeout: 15_000 });
  const afterReload = atOneInstant(await Promise.all(members.map((member) => timerShown(member.page))));
  expect(Math.max(...afterReload) - Math.min(...afterReload), afterReload.join(', ')).toBeLessThan(250);

  // At zero every page shows the cue (a one-second timer, sent as the facilitator through the API).
  const list = (await (await f.page.request.get(`/api/initiatives/${id}/workshops`)).json()) as { id: string }[];
  const started = await f.page.request.post(`/api/initiatives/${id}/workshops/${list[0].id}/commands`, {
    data: { type: 'timer.start', seconds: 1 },
  });
  expect(started.status(), await started.text()).toBe(200);
  for (const member of members) {
    await expect(member.page.getByRole('timer', { name: 'Time is up' })).toHaveClass(/live-bar__timer--zero/);
  }
  await expect(liveBar(f.page).getByRole('button', { name: 'Restart (15 min)' })).toBeVisible();

  // Private brainstorming: Amira's card is hers alone until the facilitator reveals it.
  const secret = 'The youth council <b>has not been asked</b>';
  await liveBar(a.page).getByLabel('Your private card').fill(secret);
  await liveBar(a.page).getByRole('button', { name: 'Add card' }).click();
  await expect(a.page.getByRole('list', { name: 'Your private cards' })).toContainText(secret);
  await expect(a.page.getByText('Only you see these until the facilitator reveals')).toBeVisible();
  await expect(liveBar(f.page).getByTestId('private-held')).toContainText('1 private card');
  await expect(liveBar(b.page).getByTestId('private-held')).toContainText('1 private card');
  for (const other of [f, b]) await expect(other.page.getByText(secret)).toHaveCount(0);
  await shoot(a.page, 'live-bar-participant');
  await shoot(f.page, 'live-bar-facilitator');
  await liveBar(f.page).getByRole('button', { name: 'Reveal 1 card' }).click();
  // Revealed, it is a sticky note on the item's board for everyone, its words as text.
  for (const other of [f, b]) {
    const note = boardCard(other.page, MAP, secret);
    await expect(note).toBeVisible();
    await expect(note.locator('b')).toHaveCount(0);
  }
  await expect(a.page.getByRole('list', { name: 'Your private cards' })).toHaveCount(0);

  // Next brings everyone to the vote's board, except whoever chose to stay where they are.
  await liveBar(b.page).getByLabel('Stay where I am').check();
  for (const member of members) await expect(openTab(member.page)).toHaveText(MAP);
  await liveBar(f.page).getByRole('button', { name: 'Next item' }).click();
  for (const member of [f, a]) {
    await expect(openTab(member.page)).toHaveText(FRAMEWORK);
    await expect(liveBar(member.page).getByTestId('workshop-item')).toHaveText('Choose what to work on first');
  }
  await expect(liveBar(b.page).getByTestId('workshop-item')).toHaveText('Choose what to work on first');
  await expect(openTab(b.page)).toHaveText(MAP);
  await liveBar(b.page).getByLabel('Stay where I am').uncheck();

  // A dot vote on the framework's cards: 3 dots each, at most 2 per card, anonymous.
  await liveBar(f.page).getByRole('button', { name: 'Open a vote' }).click();
  const form = liveBar(f.page).getByRole('form', { name: 'Open a vote' });
  await form.getByLabel('Dots per person').fill('3');
  await form.getByLabel('At most per card').fill('2');
  await form.getByRole('button', { name: 'Open the vote' }).click();
  for (const member of members) await expect(liveBar(member.page)).toContainText('Dot vote open');
  const place = (member: Member, card: string) =>
    liveBar(member.page)
      .getByRole('button', { name: `Place a dot on ${card}` })
      .click();
  await place(a, 'Parent education');
  await expect(liveBar(a.page)).toContainText('You have 2 of 3 dots left.');
  await place(a, 'Parent education');
  await expect(liveBar(a.page)).toContainText('You have 1 of 3 dots left.');
  // Two on one card is the most it takes.
  await expect(liveBar(a.page).getByRole('button', { name: 'Place a dot on Parent education' })).toBeDisabled();
  await place(a, 'Youth recognition');
  await expect(liveBar(a.page)).toContainText('You have placed all your dots.');
  await expect(liveBar(a.page).getByRole('button', { name: 'Place a dot on Community laws and norms' })).toBeDisabled();
  await place(b, 'Parent education');
  await expect(liveBar(b.page)).toContainText('You have 2 of 3 dots left.');
  await place(b, 'Community laws and norms');
  await expect(liveBar(b.page)).toContainText('You have 1 of 3 dots left.');
  await place(b, 'Youth recognition');
  await expect(liveBar(b.page)).toContainText('You have placed all your dots.');
  // While open, only how many finished: no tally anywhere.
  for (const member of members) {
    await expect(liveBar(member.page).getByTestId('vote-finished')).toHaveText(/^2 of \d+ finished$/);
    await expect(member.page.getByTestId('result-dots')).toHaveCount(0);
  }
  await shoot(b.page, 'vote-open');
  await liveBar(f.page).getByRole('button', { name: 'Close the vote' }).click();
  for (const member of members) {
    const results = liveBar(member.page).getByRole('table', { name: 'Vote results' });
    await expect(results.getByRole('row', { name: /Parent education/ }).getByTestId('result-dots')).toHaveText('3');
    await expect(results.getByRole('row', { name: /Youth recognition/ }).getByTestId('result-dots')).toHaveText('2');
    await expect(results.getByRole('row', { name: /Community laws and norms/ }).getByTestId('result-dots')).toHaveText(
      '1',
    );
  }
  await shoot(f.page, 'vote-closed');

  // Follow: Amira follows the facilitator's view; the facilitator zooms and Amira's board follows; Amira pans, and
  // following stops there.
  const zoomOf = async (member: Member) => (await viewOf(member.page, FRAMEWORK)).zoom;
  await liveBar(a.page).getByRole('button', { name: 'Follow Fiona Facilitator' }).click();
  await expect(liveBar(a.page).getByRole('button', { name: /Following Fiona Facilitator/ })).toBeVisible();
  const before = await zoomOf(f);
  await f.page.getByRole('region', { name: FRAMEWORK }).getByRole('button', { name: 'Zoom In' }).click();
  await expect.poll(() => zoomOf(f)).toBeGreaterThan(before * 1.1);
  const zoomed = await zoomOf(f);
  await expect.poll(async () => Math.abs((await zoomOf(a)) - zoomed)).toBeLessThan(0.01);
  const box = (await a.page.getByRole('region', { name: FRAMEWORK }).locator('.react-flow__pane').boundingBox())!;
  await a.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await a.page.mouse.wheel(0, 300);
  await expect(liveBar(a.page).getByRole('status')).toHaveText('You stopped following: you moved the board yourself.');
  await expect(liveBar(a.page).getByRole('button', { name: 'Follow Fiona Facilitator' })).toBeVisible();

  // The facilitator corrects attendance on the record while the workshop runs: Ben left early.
  await liveBar(f.page).getByRole('link', { name: 'Spring convening' }).click();
  const live = f.page.getByRole('region', { name: 'Attendance' });
  await expect(live.getByRole('row', { name: /Ben Okafor/ })).toContainText('Yes');
  // The box shows what the server holds: it changes when the correction is stored.
  await live.getByLabel('Ben Okafor attended').click();
  await expect(live.getByLabel('Ben Okafor attended')).not.toBeChecked();
  await expect(live.getByRole('row', { name: /Ben Okafor/ })).toContainText('No');
  await f.page.goBack();
  await expect(liveBar(f.page).getByTestId('workshop-item')).toHaveText('Choose what to work on first');

  // A decision from the vote, recorded in the last item.
  await liveBar(f.page).getByRole('button', { name: 'Next item' }).click();
  await expect(liveBar(a.page).getByTestId('workshop-item')).toHaveText('Agree where to start');
  await liveBar(f.page).getByLabel('What was decided').fill('Start with parent education');
  await expect(liveBar(f.page).getByLabel('From the vote')).toHaveValue(/vote-/);
  await liveBar(f.page).getByRole('button', { name: 'Record the decision' }).click();
  await expect(liveBar(f.page).getByRole('list', { name: 'Decisions so far' })).toHaveText(
    'Start with parent education',
  );

  // The end, and the record: agenda with actual times, attendance, the vote's results, the decision, the card added.
  await liveBar(f.page).getByRole('button', { name: 'End', exact: true }).click();
  await f.page.getByRole('alertdialog').getByRole('button', { name: 'End the workshop' }).click();
  for (const member of members) await expect(liveBar(member.page)).toHaveCount(0, { timeout: 15_000 });
  await f.page.getByRole('link', { name: 'Workshops' }).click();
  await f.page.getByRole('region', { name: 'Past workshops' }).getByRole('link', { name: 'Record' }).click();
  await expect(f.page.getByRole('heading', { name: 'Spring convening', level: 1 })).toBeVisible();
  const record = f.page.getByRole('article');
  await expect(record.getByRole('row', { name: /Who is missing from the map\?/ })).not.toContainText('Not reached');
  await expect(record.getByRole('row', { name: /Amira Haddad/ })).toContainText('Yes');
  await expect(record.getByRole('row', { name: /Ben Okafor/ })).toContainText('No');
  await expect(
    record.getByRole('table', { name: 'Vote 1' }).getByRole('row', { name: /Parent education/ }),
  ).toContainText('3');
  await expect(record.getByText(secret)).toBeVisible();
  await expect(record.getByRole('region', { name: 'Decisions' })).toContainText('Start with parent education');
  await expect(record.getByRole('region', { name: 'Decisions' })).toContainText('from vote 1');
  const download = f.page.waitForEvent('download');
  await record.getByRole('button', { name: 'Download Markdown' }).click();
  expect((await download).suggestedFilename()).toMatch(/\.md$/);
  await shoot(f.page, 'record');
  // Printed, the record stands alone: no buttons, no navigation.
  await f.page.emulateMedia({ media: 'print' });
  await expect(record.getByRole('button', { name: 'Download Markdown' })).toBeHidden();
  await expect(f.page.getByRole('navigation', { name: 'Convene' })).toBeHidden();
  await f.page.screenshot({ path: 'test-results/workshop/record-print.png', fullPage: true });
});
