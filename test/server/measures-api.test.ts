/**
 * Shared measurement's API on a real server (docs/api.md "Shared measurement"):
 * entering values as JSON and CSV, every bad row named and nothing written,
 * replacements only when confirmed, review, an indicator's settings, the
 * body's limits, rights that follow membership changes at once, and the
 * workflow reading the values from the server. Who sees what, level by level:
 * measures-access.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEASURE_LIMITS, MEASURE_REFUSALS, refusalFor, type MeasurementRow } from '../../src/contract/index.ts';
import { startHarness, testClock, type Harness, type Joined } from './harness.ts';
import { addIndicators, rawCall } from './measures-helpers.ts';
import { openEventStream } from './eventStream.ts';
import * as Y from 'yjs';
import { LEGACY, LEGACY_VALUES, writeLegacy } from './legacy-doc.ts';

let h: Harness;
let id: string;
let lead: string;
let facilitator: string;
let participant: Joined;
let observer: Joined;
const ind = {} as Record<'readiness' | 'arrests' | 'incomeA' | 'incomeB' | 'visits' | 'restricted', string>;

const base = () => `/api/initiatives/${id}`;
const list = async (query = '', token = lead) => (await h.api('GET', `${base()}/measurements${query}`, undefined, token)).body as MeasurementRow[];
const post = (rows: unknown, token = lead, query = '') => h.api('POST', `${base()}/measurements${query}`, rows, token);

beforeAll(async () => {
  // Monday 2 March 2026, 09:00 UTC: "not in the future" goes by this clock.
  h = await startHarness({ clock: testClock(Date.parse('2026-03-02T09:00:00.000Z')).now });
  id = await h.createInitiative('Meadow County Cradle to Career');
  lead = await h.invite(id, 'lead', 'Lena Lead');
  facilitator = await h.invite(id, 'facilitator', 'Farid Facilitator');
  participant = await h.join(id, 'participant', 'Pia from the school district');
  observer = await h.join(id, 'observer', 'Otto Observer');
  [ind.readiness, ind.arrests, ind.incomeA, ind.incomeB, ind.visits, ind.restricted] = await addIndicators(h, id, [
    { name: 'Kindergarten readiness', unit: 'percent', subgroups: ['North district', 'South district'] },
    { name: 'Youth arrests', unit: 'count', direction: 'decrease', frequency: 'quarterly' },
    { name: 'Family income', unit: 'currency' },
    { name: 'Family  INCOME', unit: 'currency' },
    { name: 'Clinic visits', unit: 'visits', frequency: 'monthly' },
    { name: 'Child protection referrals', unit: 'count', direction: 'decrease' },
  ]);
  expect((await h.api('PATCH', `${base()}/indicators/${ind.restricted}`, { access: 'restricted' }, lead)).status).toBe(200);
});

afterAll(async () => {
  await h.stop();
});

describe('entering values', () => {
  it('accepts a JSON batch: each row keeps who entered it and when, status submitted, its period by the indicator’s frequency', async () => {
    const res = await post([
      { indicator: 'kindergarten  readiness', date: '2024-06-30', value: 58.5 },
      { indicator: ind.readiness, date: '2025-06-30', value: 61.5, note: 'New screening tool, first full year.' },
      { indicator: ind.readiness, date: '2025-06-30', value: 55, subgroup: 'north DISTRICT' },
      { indicator: 'Youth arrests', date: '2025-05-17', value: 42 },
      { indicator: 'Clinic visits', date: '2026-03-02', value: 1250.5 },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ accepted: 5, replaced: 0 });
    const rows = await list();
    expect(rows).toHaveLength(5);
    const north = rows.find((r) => r.subgroup !== null)!;
    expect(north).toMatchObject({ indicator: ind.readiness, period: '2025-01-01', value: 55, subgroup: 'North district', note: null });
    expect(rows.find((r) => r.indicator === ind.arrests)).toMatchObject({ date: '2025-05-17', period: '2025-04-01' });
    expect(rows.find((r) => r.indicator === ind.visits)).toMatchObject({ period: '2026-03-01', value: 1250.5 });
    for (const row of rows) {
      expect(row).toMatchObject({ enteredBy: 'Lena Lead', enteredAt: '2026-03-02T09:00:00.000Z', status: 'submitted', review: null, current: true });
    }
  });

  it('refuses a batch with any bad row, naming every one with its column and reason, and writes nothing', async () => {
    const before = await list('?history=1');
    const res = await post([
      { indicator: ind.readiness, date: '2023-06-30', value: 57 },
      { indicator: 'Kindergarten readiness', date: '2030-01-01', value: -999999 },
      { indicator: 'Kindergarten readyness', date: '2023-06-30', value: 50 },
      { indicator: 'family income', date: '2023-06-30', value: 31000 },
      { indicator: ind.readiness, date: '2023-06-30', value: 50, subgroup: 'East district' },
      { indicator: ind.arrests, date: '2023-02-30', value: 2.5 },
      { indicator: ind.visits, date: '2023-06-30', value: '12' },
      42,
      { indicator: ind.arrests, date: '2023-06-30', value: 3, subgroup: 'North district', note: 'x'.repeat(MEASURE_LIMITS.noteMax + 1) },
      { date: '2023-06-30', value: 3 },
    ]);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('9 rows have a problem, so nothing was written: correct them and send the values again.');
    expect(res.body.issues).toEqual([
      { row: 2, field: 'date', message: 'The date 2030-01-01 is in the future: record values once they are measured.' },
      { row: 2, field: 'value', message: 'A percent lies between 0 and 100 (-999999 given).' },
      { row: 3, field: 'indicator', message: 'There is no indicator “Kindergarten readyness” on the framework board.' },
      { row: 4, field: 'indicator', message: `2 indicators are named “family income”: use the indicator’s id (${[ind.incomeA, ind.incomeB].sort().join(', ')}).` },
      {
        row: 5,
        field: 'subgroup',
        message: '“East district” is not a subgroup of “Kindergarten readiness”: use one of “North district”, “South district”, or leave it empty for the whole population.',
      },
      { row: 6, field: 'date', message: 'Write the date as YYYY-MM-DD, a real day ("2023-02-30" is not).' },
      { row: 6, field: 'value', message: 'A count is a whole number, 0 or more (2.5 given).' },
      { row: 7, field: 'value', message: 'Send the value as a number, not as text (“12”).' },
      { row: 8, field: 'row', message: 'Each value is an object: { indicator, date, value, subgroup?, note? }.' },
      { row: 9, field: 'note', message: `At most ${MEASURE_LIMITS.noteMax} characters.` },
      {
        row: 9,
        field: 'subgroup',
        message: '“Youth arrests” is not broken down by subgroup: leave the subgroup empty for the whole population (“North district” given).',
      },
      { row: 10, field: 'indicator', message: 'Name the indicator (its name as on the board, or its id).' },
    ]);
    expect(await list('?history=1')).toEqual(before);
  });

  it('refuses values of indicators the caller may not enter, naming them, before looking at the rows', async () => {
    const asParticipant = await post([{ indicator: ind.readiness, date: '2023-06-30', value: 500 }, { indicator: ind.arrests, date: '2023-06-30', value: 4 }], participant.token);
    expect(asParticipant.status).toBe(403);
    expect(asParticipant.body).toEqual({
      error: `${MEASURE_REFUSALS.enter('Kindergarten readiness')} ${MEASURE_REFUSALS.enter('Youth arrests')}`,
      indicators: ['Kindergarten readiness', 'Youth arrests'],
    });
    const asObserver = await post([{ indicator: ind.readiness, date: '2023-06-30', value: 50 }], observer.token);
    expect(asObserver.status).toBe(403);
    expect(asObserver.body.error).toBe(MEASURE_REFUSALS.enter('Kindergarten readiness'));
    // A facilitator enters members' values, but a restricted indicator's only as its steward.
    const restricted = await post([{ indicator: ind.restricted, date: '2023-06-30', value: 12 }, { indicator: ind.arrests, date: '2023-06-30', value: 4 }], facilitator);
    expect(restricted.status).toBe(403);
    expect(restricted.body).toEqual({ error: MEASURE_REFUSALS.enterRestricted('Child protection referrals'), indicators: ['Child protection referrals'] });
  });

  it('replaces a value of the same period and subgroup only when confirmed, keeping the old one in the history', async () => {
    const again = [
      { indicator: ind.readiness, date: '2025-09-01', value: 62 },
      { indicator: ind.readiness, date: '2023-06-30', value: 57 },
      { indicator: ind.readiness, date: '2025-12-31', value: 54, subgroup: 'North district' },
    ];
    const refused = await post(again, facilitator);
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: MEASURE_REFUSALS.replace(2),
      issues: [
        { row: 1, field: 'date', message: '“Kindergarten readiness” already has 61.5 % for 2025, entered by Lena Lead on 2026-03-02: this value would replace it.' },
        { row: 3, field: 'subgroup', message: '“Kindergarten readiness” already has 55 % for 2025 (North district), entered by Lena Lead on 2026-03-02: this value would replace it.' },
      ],
    });
    expect((await list(`?indicator=${ind.readiness}`)).map((r) => r.value).sort()).toEqual([55, 58.5, 61.5]);

    const confirmed = await post(again, facilitator, '?replace=1');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ accepted: 3, replaced: 2 });
    const current = await list(`?indicator=${ind.readiness}`);
    expect(current.map((r) => [r.period, r.subgroup, r.value, r.enteredBy])).toEqual([
      ['2023-01-01', null, 57, 'Farid Facilitator'],
      ['2024-01-01', null, 58.5, 'Lena Lead'],
      ['2025-01-01', null, 62, 'Farid Facilitator'],
      ['2025-01-01', 'North district', 54, 'Farid Facilitator'],
    ]);
    const history = await list(`?indicator=${ind.readiness}&history=1`);
    expect(history.filter((r) => !r.current).map((r) => r.value).sort()).toEqual([55, 61.5]);
  });

  it('takes CSV: the same checks, every bad line named by its number (the header is line 1)', async () => {
    const bad = ['indicator,date,value,subgroup,note', 'Youth arrests,2024-03-31,40,,', 'Youth arrests,2024-06-30,forty,,', '"Kindergarten readiness",2026-12-31,50,,"Good, but ""early"""', 'Youth arrests,2024-09-30'].join('\r\n');
    const refused = await rawCall(h, 'POST', `${base()}/measurements`, lead, bad, 'text/csv');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.text).issues).toEqual([
      { row: 3, field: 'value', message: 'Enter a number (“forty” is not one).' },
      { row: 4, field: 'date', message: 'The date 2026-12-31 is in the future: record values once they are measured.' },
      { row: 5, field: 'row', message: expect.stringMatching(/^This row has 2 values, the header 5 columns/) },
    ]);
    const good = ['indicator,date,value,subgroup,note', 'Youth arrests,2024-03-31,40,,', '"Kindergarten readiness",2022-12-31,50,South district,"Good, but ""early"""', ''].join('\n');
    const accepted = await rawCall(h, 'POST', `${base()}/measurements`, lead, good, 'text/csv; charset=utf-8');
    expect(accepted.status, accepted.text).toBe(200);
    expect(JSON.parse(accepted.text)).toEqual({ accepted: 2, replaced: 0 });
    expect((await list(`?indicator=${ind.readiness}`)).find((r) => r.period === '2022-01-01')).toMatchObject({
      subgroup: 'South district',
      value: 50,
      note: 'Good, but "early"',
    });
  });

  it('refuses other content types (415) and bodies over the limit (413) with a sentence', async () => {
    const plain = await rawCall(h, 'POST', `${base()}/measurements`, lead, 'Youth arrests,2024-03-31,40', 'text/plain');
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.text).error).toMatch(/application\/json.*text\/csv/);
    const huge = JSON.stringify([{ indicator: ind.arrests, date: '2024-03-31', value: 1, note: 'x'.repeat(MEASURE_LIMITS.bodyBytes) }]);
    const tooLarge = await rawCall(h, 'POST', `${base()}/measurements`, lead, huge);
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.text).error).toBe('The values are larger than 10 MiB: send them in smaller files.');
    const notArray = await post({ indicator: ind.arrests, date: '2024-03-31', value: 1 });
    expect(notArray.status).toBe(400);
    expect(notArray.body.error).toMatch(/JSON array/);
  });
});

describe('review', () => {
  it('lets the lead and the indicator’s steward approve or reject a current value, refuses others, and a replaced value', async () => {
    const [arrest] = await list(`?indicator=${ind.arrests}`);
    const path = `${base()}/measurements/${arrest.id}/review`;
    const noReason = await h.api('POST', path, { status: 'rejected' }, lead);
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('reason');
    const byFacilitator = await h.api('POST', path, { status: 'approved' }, facilitator);
    expect(byFacilitator.status).toBe(403);
    expect(byFacilitator.body.error).toBe(MEASURE_REFUSALS.review('Youth arrests'));

    // The participant becomes the indicator's steward: now they review it.
    expect((await h.api('PATCH', `${base()}/indicators/${ind.arrests}`, { stewards: [participant.memberId] }, lead)).status).toBe(200);
    const rejected = await h.api('POST', path, { status: 'rejected', reason: 'The county counts per quarter, not per month.' }, participant.token);
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({
      id: arrest.id,
      status: 'rejected',
      review: { by: 'Pia from the school district', at: '2026-03-02T09:00:00.000Z', reason: 'The county counts per quarter, not per month.' },
    });

    const [readinessOld] = (await list(`?indicator=${ind.readiness}&history=1`)).filter((r) => !r.current);
    const replaced = await h.api('POST', `${base()}/measurements/${readinessOld.id}/review`, { status: 'approved' }, lead);
    expect(replaced.status).toBe(409);
    expect(replaced.body.error).toBe(MEASURE_REFUSALS.alreadyReviewed);
    expect((await h.api('POST', `${base()}/measurements/no-such-value/review`, { status: 'approved' }, lead)).status).toBe(404);
  });

  it('refuses a steward reviewing a value they entered, saying why; the lead reviews their own', async () => {
    // The participant is the steward of Youth arrests (the test above): they enter a value for the third quarter of 2025.
    expect((await post([{ indicator: ind.arrests, date: '2025-08-15', value: 37 }], participant.token)).status).toBe(200);
    const own = (await list(`?indicator=${ind.arrests}`)).find((r) => r.period === '2025-07-01')!;
    expect(own).toMatchObject({ enteredById: participant.memberId, status: 'submitted' });
    for (const body of [{ status: 'approved' }, { status: 'rejected', reason: 'On second thought.' }]) {
      const refused = await h.api('POST', `${base()}/measurements/${own.id}/review`, body, participant.token);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe(MEASURE_REFUSALS.ownValue('Youth arrests'));
    }
    // Nothing changed, and the lead may still review it.
    expect((await list(`?indicator=${ind.arrests}`)).find((r) => r.id === own.id)).toMatchObject({ status: 'submitted', review: null });
    expect((await h.api('POST', `${base()}/measurements/${own.id}/review`, { status: 'approved' }, lead)).body).toMatchObject({ status: 'approved', review: { by: 'Lena Lead' } });

    // The lead, the backbone, approves a value they entered themselves; the steward reviews the lead's value too.
    expect((await post([{ indicator: ind.arrests, date: '2025-11-15', value: 35 }], lead)).status).toBe(200);
    const leads = (await list(`?indicator=${ind.arrests}`)).find((r) => r.period === '2025-10-01')!;
    const bySteward = await h.api('POST', `${base()}/measurements/${leads.id}/review`, { status: 'rejected', reason: 'The fourth quarter is not over.' }, participant.token);
    expect(bySteward.status).toBe(200);
    const byLead = await h.api('POST', `${base()}/measurements/${leads.id}/review`, { status: 'approved' }, lead);
    expect(byLead.status).toBe(200);
    expect(byLead.body).toMatchObject({ status: 'approved', enteredBy: 'Lena Lead', review: { by: 'Lena Lead' } });
  });
});

describe('indicator settings', () => {
  it('takes stewards who are members who may edit, and baselines and targets the unit allows', async () => {
    const patch = (body: unknown, token = lead, indicator = ind.readiness) => h.api('PATCH', `${base()}/indicators/${indicator}`, body, token);
    const observerSteward = await patch({ stewards: [observer.memberId] });
    expect(observerSteward.status).toBe(400);
    expect(observerSteward.body.error).toBe(MEASURE_REFUSALS.observerSteward('Otto Observer'));
    const stranger = await patch({ stewards: ['not-a-member'] });
    expect(stranger.status).toBe(400);
    expect(stranger.body.error).toBe(MEASURE_REFUSALS.notAMember);
    const overHundred = await patch({ target: { value: 150, date: '2030-06-30' } });
    expect(overHundred.status).toBe(400);
    expect(overHundred.body).toMatchObject({ error: 'The target: A percent lies between 0 and 100 (150 given).', field: 'target.value' });
    const futureBaseline = await patch({ baseline: { value: 50, date: '2027-01-01' } });
    expect(futureBaseline.status).toBe(400);
    expect(futureBaseline.body.field).toBe('baseline.date');
    const byFacilitator = await patch({ access: 'public' }, facilitator);
    expect(byFacilitator.status).toBe(403);
    expect(byFacilitator.body.error).toBe(refusalFor('configureMeasures'));
    const unknown = await patch({ access: 'public' }, lead, 'no-such-indicator');
    expect(unknown.status).toBe(404);

    // A facilitator may set the baseline and target of an indicator they enter values of.
    const set = await patch({ baseline: { value: 52.5, date: '2022-06-30' }, target: { value: 75, date: '2030-06-30' } }, facilitator);
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ indicator: ind.readiness, access: 'members', baseline: { value: 52.5, date: '2022-06-30' }, target: { value: 75, date: '2030-06-30' } });
    const cleared = await patch({ target: null }, lead);
    expect(cleared.body.target).toBeNull();
    expect(cleared.body.baseline).toEqual({ value: 52.5, date: '2022-06-30' });
  });
});

describe('rights follow membership at once', () => {
  it('a steward made an observer, then removed, loses what stewardship gave', async () => {
    const steward = await h.join(id, 'participant', 'Sunita Steward');
    const stream = await openEventStream(h.url, id, steward.token);
    await stream.next('workflow');
    expect((await h.api('PATCH', `${base()}/indicators/${ind.restricted}`, { stewards: [steward.memberId] }, lead)).status).toBe(200);
    // Made its steward, they now see it: their page hears so, and asks again.
    expect(await stream.next('measures')).toEqual({ indicators: [ind.restricted] });
    stream.close();
    expect((await post([{ indicator: ind.restricted, date: '2025-12-31', value: 31 }], steward.token)).status).toBe(200);
    expect(await list('', steward.token)).toContainEqual(expect.objectContaining({ indicator: ind.restricted, value: 31 }));

    expect((await h.api('PATCH', `${base()}/members/${steward.memberId}`, { role: 'observer' }, lead)).status).toBe(200);
    const asObserver = await post([{ indicator: ind.restricted, date: '2025-12-31', value: 32 }], steward.token, '?replace=1');
    expect(asObserver.status).toBe(403);
    expect((await list('', steward.token)).some((r) => r.indicator === ind.restricted)).toBe(false);

    expect((await h.api('DELETE', `${base()}/members/${steward.memberId}`, undefined, lead)).status).toBe(204);
    const removed = await post([{ indicator: ind.restricted, date: '2025-12-31', value: 33 }], steward.token, '?replace=1');
    expect(removed.status).toBe(401);
    // A steward who left is listed no more.
    const views = (await h.api('GET', `${base()}/indicators`, undefined, lead)).body as { indicator: string; stewards: unknown[] }[];
    expect(views.find((v) => v.indicator === ind.restricted)!.stewards).toEqual([]);
  });
});

/** The status of Phase III's "collect data on the shared measures" step in a workflow view. */
function collectData(view: unknown): { status: string; messages: string[] } | undefined {
  let found: { status: string; messages: string[] } | undefined;
  JSON.stringify(view, (key, value: unknown) => {
    const step = value as { id?: unknown; status?: string; messages?: string[] } | null;
    if (step && typeof step === 'object' && step.id === 'sustain.evaluation.measurements' && step.status) found = { status: step.status, messages: step.messages ?? [] };
    return value;
  });
  return found;
}

describe('the workflow', () => {
  it('counts each indicator’s current, not rejected values from the server, and re-evaluates open pages’ view when they change', async () => {
    const other = await h.createInitiative('Harbour Literacy Project');
    const [reading] = await addIndicators(h, other, [{ name: 'Third-grade reading', unit: 'percent' }]);
    const before = (await h.api('GET', `/api/initiatives/${other}/workflow`)).body;
    expect(collectData(before)).toEqual({ status: 'unmet', messages: ['Record a measurement for the indicator "Third-grade reading" (none yet).'] });
    const stream = await openEventStream(h.url, other, h.adminToken);
    await stream.next('workflow');
    const entered = await h.api('POST', `/api/initiatives/${other}/measurements`, [{ indicator: reading, date: '2025-06-30', value: 40 }]);
    expect(entered.status).toBe(200);
    expect(await stream.next('measures')).toEqual({ indicators: [reading] });
    // The open page's view follows without anyone touching the board.
    expect(collectData(await stream.next('workflow'))).toEqual({ status: 'met', messages: [] });
    // A rejected value does not count.
    const [value] = (await h.api('GET', `/api/initiatives/${other}/measurements`)).body as MeasurementRow[];
    expect((await h.api('POST', `/api/initiatives/${other}/measurements/${value.id}/review`, { status: 'rejected', reason: 'Wrong school year.' })).status).toBe(200);
    expect(collectData(await stream.next('workflow'))).toMatchObject({ status: 'unmet' });
    stream.close();
  });
});

describe('a document written before values moved to the server', () => {
  /** An initiative whose stored document an older Convene wrote (values on its indicators), its room not loaded yet. */
  async function oldInitiative(name: string): Promise<string> {
    const created = await h.createInitiative(name);
    const doc = writeLegacy(new Y.Doc(), LEGACY);
    // Through the server's own document log, which alone numbers its appends.
    await h.convene.docs.append(created, Y.encodeStateAsUpdate(doc));
    doc.destroy();
    expect(h.convene.rooms.isLoaded(created)).toBe(false);
    return created;
  }

  it('answers its values in the first answer, its room loading (and carrying them to the store) first', async () => {
    const old = await oldInitiative('Old coalition');
    const answer = await h.api('GET', `/api/initiatives/${old}/measurements?history=1`);
    expect(answer.body).toHaveLength(LEGACY_VALUES);
  });

  it('counts them in the workflow’s first view', async () => {
    const old = await oldInitiative('Another old coalition');
    const view = (await h.api('GET', `/api/initiatives/${old}/workflow`)).body;
    // Every old indicator had a value that counts: collect data is met from the first view.
    expect(collectData(view)).toEqual({ status: 'met', messages: [] });
  });
});
