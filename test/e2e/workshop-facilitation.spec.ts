/**
 * Workshop mode in real Chromium, the facilitator's other tools (issue #11,
 * points 2–4), with a facilitator and two participants:
 * - an anonymous reveal grouped by sector: the notes carry their sector as a
 *   heading, one column per sector, and no author's name;
 * - the timer at zero: every page shows the cue and attempts the chime (the
 *   page's Web Audio oscillators are observed through an init script);
 * - "Bring everyone to my view": those who have not opted out land on the
 *   facilitator's board and view, once; the facilitator's next move takes no
 *   one along, while someone who chose to follow is taken.
 * Screenshots at 1440x900 and 390x844 under test-results/workshop/.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { adminApi, createInitiative, createInvite, joinAs, openBoard, type Member } from './helpers.ts';
import { FRAMEWORK, liveBar, MAP, openTab, shoot, viewOf } from './workshopHelpers.ts';

let members: Member[] = [];

test.afterEach(async () => {
  await Promise.all(members.map((member) => member.context.close()));
  members = [];
});

/** Records the frequency of every oscillator the page starts (the chime is two of them), in `window.chimes`. */
async function listenForChimes(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const page = window as unknown as { chimes: number[]; AudioContext?: typeof AudioContext };
    page.chimes = [];
    const Real = page.AudioContext;
    if (!Real) return;
    page.AudioContext = class extends Real {
      override createOscillator(): OscillatorNode {
        const oscillator = super.createOscillator();
        const start = oscillator.start.bind(oscillator);
        oscillator.start = (when?: number) => {
          page.chimes.push(oscillator.frequency.value);
          start(when);
        };
        return oscillator;
      }
    };
  });
}

const chimesOf = (page: Page) => page.evaluate(() => (window as unknown as { chimes: number[] }).chimes);

/** The framework's view once React Flow has finished easing it (two readings alike). */
async function settledView(page: Page): Promise<{ x: number; y: number; zoom: number }> {
  let last = await viewOf(page, FRAMEWORK);
  await expect
    .poll(async () => {
      const now = await viewOf(page, FRAMEWORK);
      const same = now.zoom === last.zoom && now.x === last.x && now.y === last.y;
      last = now;
      return same;
    })
    .toBe(true);
  return last;
}

/** The revealed notes on the stakeholder map: their group heading, author line, whole text and left edge. */
function notesOn(page: Page) {
  return page
    .getByRole('region', { name: MAP })
    .locator('.react-flow__node')
    .filter({ has: page.locator('.sticky-note') })
    .evaluateAll((nodes) =>
      nodes.map((node) => ({
        group: node.querySelector('.sticky-note__group')?.textContent ?? null,
        author: node.querySelector('.sticky-note__author')?.textContent ?? null,
        text: node.querySelector('.sticky-note__text')?.textContent ?? '',
        all: node.textContent ?? '',
        left: Math.round(node.getBoundingClientRect().left),
      })),
    );
}

test('a facilitator reveals cards anonymously by sector, the timer chimes at zero, and brings everyone to their view once', async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const api = await adminApi();
  const id = await createInitiative(api, 'Facilitation Coalition', 'Early childhood literacy');
  const [inviteF, inviteA, inviteB] = await Promise.all([
    createInvite(api, id, 'facilitator'),
    createInvite(api, id, 'participant'),
    createInvite(api, id, 'participant'),
  ]);
  await api.dispose();
  const f = await joinAs(browser, inviteF, 'Fiona Facilitator', listenForChimes);
  const a = await joinAs(browser, inviteA, 'Amira Haddad', listenForChimes);
  const b = await joinAs(browser, inviteB, 'Ben Okafor', listenForChimes);
  members = [f, a, b];
  // Amira speaks for residents, Ben for business: what a reveal by sector groups by.
  for (const [member, sector] of [
    [a, 'residents'],
    [b, 'business'],
  ] as const) {
    const answer = await member.page.request.patch(`/api/initiatives/${id}/me`, { data: { sector } });
    expect(answer.status(), await answer.text()).toBe(200);
  }

  // A workshop of one brainstorm on the map, planned and started by the facilitator.
  const created = await f.page.request.post(`/api/initiatives/${id}/workshops`, {
    data: {
      title: 'Literacy listening session',
      agenda: [{ title: 'Who reads with children?', minutes: 15, activity: 'brainstorm', board: 'stakeholders' }],
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const commands = `/api/initiatives/${id}/workshops/${((await created.json()) as { id: string }).id}/commands`;
  const command = async (member: Member, body: Record<string, unknown>) => {
    const answer = await member.page.request.post(commands, { data: body });
    expect(answer.status(), await answer.text()).toBe(200);
  };
  await command(f, { type: 'workshop.start' });
  for (const member of members)
    await expect(liveBar(member.page).getByTestId('workshop-item')).toHaveText('Who reads with children?', {
      timeout: 15_000,
    });

  // Private cards: two of Amira's, one of Ben's.
  await command(a, { type: 'private.add', text: 'Grandparents at the library' });
  await command(a, { type: 'private.add', text: 'The bus drivers' });
  await command(b, { type: 'private.add', text: 'The corner shop owner' });
  await expect(liveBar(f.page).getByTestId('private-held')).toContainText('3 private cards');

  // Revealed without names, grouped by sector, from the facilitator's bar.
  const reveal = liveBar(f.page).getByRole('group', { name: 'Reveal the private cards' });
  await reveal.getByLabel('Show who wrote each').uncheck();
  await reveal.getByLabel('Group by').selectOption('sector');
  await reveal.getByRole('button', { name: 'Reveal 3 cards' }).click();
  for (const member of members) {
    await expect.poll(async () => (await notesOn(member.page)).length).toBe(3);
    const notes = await notesOn(member.page);
    const byText = Object.fromEntries(notes.map((n) => [n.text, n]));
    expect(byText['Grandparents at the library'].group).toBe('Residents');
    expect(byText['The bus drivers'].group).toBe('Residents');
    expect(byText['The corner shop owner'].group).toBe('Business');
    // No one's name: no author line, and the names nowhere on the notes.
    for (const note of notes) {
      expect(note.author).toBeNull();
      expect(note.all).not.toMatch(/Amira|Haddad|Ben|Okafor/);
    }
    // One column per sector, in the domain's order (business before residents).
    expect(byText['Grandparents at the library'].left).toBe(byText['The bus drivers'].left);
    expect(byText['The corner shop owner'].left).toBeLessThan(byText['The bus drivers'].left);
  }
  await shoot(b.page, 'reveal-by-sector');

  // The timer at zero: a short timer, seen running on every page, then the cue and the chime on each.
  await command(f, { type: 'timer.start', seconds: 6 });
  for (const member of members) {
    await expect(member.page.getByTestId('workshop-timer')).toHaveAttribute('data-running', 'true');
    expect(await chimesOf(member.page)).toEqual([]);
  }
  for (const member of members) {
    await expect(member.page.getByRole('timer', { name: 'Time is up' })).toHaveClass(/live-bar__timer--zero/, {
      timeout: 15_000,
    });
    await expect.poll(() => chimesOf(member.page)).toEqual([660, 880]);
  }
  await shoot(a.page, 'timer-at-zero');

  // "Bring everyone to my view": the facilitator goes to the framework and zooms in. Ben stays where he is.
  await liveBar(b.page).getByLabel('Stay where I am').check();
  await openBoard(f.page, FRAMEWORK);
  const initial = await viewOf(f.page, FRAMEWORK);
  await f.page.getByRole('region', { name: FRAMEWORK }).getByRole('button', { name: 'Zoom In' }).click();
  await expect.poll(async () => (await viewOf(f.page, FRAMEWORK)).zoom).toBeGreaterThan(initial.zoom * 1.1);
  const settled = await settledView(f.page);
  for (const member of [a, b]) await expect(openTab(member.page)).toHaveText(MAP);
  await liveBar(f.page).getByRole('button', { name: 'Bring everyone to my view' }).click();
  // Amira lands on the framework, at the facilitator's view.
  await expect(openTab(a.page)).toHaveText(FRAMEWORK);
  await expect.poll(async () => Math.abs((await viewOf(a.page, FRAMEWORK)).zoom - settled.zoom)).toBeLessThan(0.01);
  const brought = await viewOf(a.page, FRAMEWORK);
  expect(Math.abs(brought.x - settled.x)).toBeLessThan(1);
  expect(Math.abs(brought.y - settled.y)).toBeLessThan(1);
  // Brought, not following.
  await expect(liveBar(a.page).getByRole('button', { name: 'Follow Fiona Facilitator' })).toBeVisible();
  // Ben, who chose to stay, stayed.
  await expect(openTab(b.page)).toHaveText(MAP);
  await shoot(a.page, 'brought-to-view');

  // Ben now follows the facilitator; her next zoom takes him along, and not Amira.
  await liveBar(b.page).getByLabel('Stay where I am').uncheck();
  await liveBar(b.page).getByRole('button', { name: 'Follow Fiona Facilitator' }).click();
  await expect(openTab(b.page)).toHaveText(FRAMEWORK);
  // The facilitator's pointer on the framework, as Amira sees it.
  const pane = (await f.page.getByRole('region', { name: FRAMEWORK }).locator('.react-flow__pane').boundingBox())!;
  await f.page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
  const herPointer = a.page.locator('.collab-cursor[data-peer="Fiona Facilitator"]');
  await expect(herPointer).toHaveCount(1);
  await f.page.getByRole('region', { name: FRAMEWORK }).getByRole('button', { name: 'Zoom In' }).click();
  await expect.poll(async () => (await viewOf(f.page, FRAMEWORK)).zoom).toBeGreaterThan(settled.zoom * 1.1);
  const zoomedAgain = await settledView(f.page);
  // Ben's board follows her view: the room has it.
  await expect.poll(async () => Math.abs((await viewOf(b.page, FRAMEWORK)).zoom - zoomedAgain.zoom)).toBeLessThan(0.01);
  // Her pointer leaves the board: a later state than the zoomed view, so once Amira sees it gone, she has that view
  // too, and her board has not moved.
  await liveBar(f.page).getByTestId('workshop-item').hover();
  await expect(herPointer).toHaveCount(0);
  const amira = await viewOf(a.page, FRAMEWORK);
  expect(amira.zoom).toBeCloseTo(brought.zoom, 3);
  expect(amira.x).toBeCloseTo(brought.x, 0);
  expect(amira.y).toBeCloseTo(brought.y, 0);
  await expect(liveBar(a.page).getByRole('button', { name: 'Follow Fiona Facilitator' })).toBeVisible();
});
