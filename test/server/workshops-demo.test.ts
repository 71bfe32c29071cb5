/**
 * Workshops on the demo initiative's content (server/demoContent.ts, imported
 * through the API): a vote opened with only a board is on the cards that board
 * shows, placed or not, as the browser lists them (src/schema/cards.ts); the
 * record names every card by its kind's main text, the framework's
 * one-of-a-kind statements included; and the record the server builds is the
 * contract's one type, which the browser's check takes as it is.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { demoExport } from '../../server/demoContent.ts';
import { buildRecord } from '../../server/workshops/record.ts';
import type { WorkshopRecord } from '../../src/contract/workshopRecord.ts';
import { readModel, replaceText } from '../../src/schema/index.ts';
import { singletonText } from '../../src/schema/codec.ts';
import { cardsOnBoard } from '../../src/workshop/cards.ts';
import { readRecord } from '../../src/workshop/readRecord.ts';
import { startHarness, testClock, type Harness } from './harness.ts';
import { personIn, type Person } from './workshop-helpers.ts';

const clock = testClock(Date.parse('2026-03-05T08:55:00.000Z'));
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ clock: clock.now });
});
afterAll(async () => {
  await h.stop();
});

/** An initiative holding the demo content, its facilitator, and a started workshop's commands path. */
async function demoWorkshop(): Promise<{ id: string; facilitator: Person; base: string; wid: string }> {
  const id = await h.createInitiative('Demo copy');
  const lead = await personIn(h, id, 'lead', 'Dana Whitfield');
  const facilitator = await personIn(h, id, 'facilitator', 'Sam Ortiz');
  const imported = await h.api('POST', `/api/initiatives/${id}/import`, demoExport(), lead.token);
  expect(imported.status, JSON.stringify(imported.body)).toBe(200);
  const base = `/api/initiatives/${id}/workshops`;
  const agenda = [{ title: 'Choose a strategy to start with', minutes: 20, activity: 'vote', board: 'framework' }];
  const created = await h.api('POST', base, { title: 'Strategy convening', date: '2026-03-05T09:00:00+00:00', agenda }, facilitator.token);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const wid = created.body.id as string;
  const started = await h.api('POST', `${base}/${wid}/commands`, { type: 'workshop.start' }, facilitator.token);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return { id, facilitator, base, wid };
}

describe('a workshop on the demo content', () => {
  it('a vote opened with only the framework board is on the framework’s unplaced cards, without the problem, goal or evaluation', async () => {
    const { id, facilitator, base, wid } = await demoWorkshop();
    // The demo places nothing on the framework: its cards sit at the board's default places.
    const model = await h.convene.rooms.withDoc(id, readModel);
    expect(model.placements.framework).toEqual({});
    const res = await h.api('POST', `${base}/${wid}/commands`, { type: 'vote.open', board: 'framework', budget: 3, maxPerCard: 1, anonymous: false }, facilitator.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const cards = res.body.votes[0].cards as string[];
    expect(cards).toEqual([
      'src-yrbs',
      'base-binge',
      'base-compliance',
      'st-laws',
      'st-parents',
      'st-youth',
      'a-ordinance',
      'a-workshops',
      'ind-binge',
      'ind-compliance',
      'ind-smoking',
    ]);
    // The same cards the browser lists for that board.
    expect(cards).toEqual(cardsOnBoard(model, 'framework').map((c) => c.id));
  });

  it('the record names the problem, goal and evaluation by their statements, as JSON and as Markdown', async () => {
    const { id, facilitator, base, wid } = await demoWorkshop();
    const approach = 'Yearly review of the shared measures with the working groups.';
    await h.convene.rooms.withDoc(id, (doc) => replaceText(singletonText(doc, 'evaluation', 'approach'), approach));
    const opened = await h.api(
      'POST',
      `${base}/${wid}/commands`,
      { type: 'vote.open', cards: ['problem', 'goal', 'evaluation', 'st-parents'], budget: 1, maxPerCard: 1, anonymous: false },
      facilitator.token,
    );
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    const record = (await h.api('GET', `${base}/${wid}/record`, undefined, facilitator.token)).body;
    expect(record.votes[0].cards).toEqual([
      { id: 'problem', label: expect.stringMatching(/^Teen binge drinking, smoking and marijuana use in Meadow County/) },
      { id: 'goal', label: 'Reduce teen substance use in Meadow County to below the state average within five years.' },
      { id: 'evaluation', label: approach },
      { id: 'st-parents', label: 'Parent education' },
    ]);
    const closed = await h.api('POST', `${base}/${wid}/commands`, { type: 'vote.close', voteId: opened.body.votes[0].id }, facilitator.token);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const markdown = await h.api('GET', `${base}/${wid}/record?format=markdown`, undefined, facilitator.token);
    expect(markdown.body).toContain('| Yearly review of the shared measures with the working groups. | 0 |');
    expect(markdown.body).not.toMatch(/^\| (problem|evaluation) \|/m);
  });

  it('the server builds the contract’s WorkshopRecord, and the browser’s check takes its JSON whole', async () => {
    expectTypeOf(buildRecord).returns.toEqualTypeOf<WorkshopRecord>();
    const { base, wid, facilitator } = await demoWorkshop();
    const record = (await h.api('GET', `${base}/${wid}/record`, undefined, facilitator.token)).body;
    expect(record).toMatchObject({ title: 'Strategy convening', status: 'running', votes: [], cardsAdded: [] });
    expect(readRecord(record)).toEqual(record);
    expect(readRecord({ ...record, votes: undefined })).toBeNull();
  });
});
