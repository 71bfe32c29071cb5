/**
 * Every access level × every role, at the wire (docs/measures.md "Who sees
 * what"): what GET measurements, GET indicators, GET report-card, the event
 * stream and the public report carry for the admin, the lead, a facilitator,
 * a participant, an observer, a participant who is the restricted indicator's
 * data steward, a member of another initiative and someone not signed in. A
 * restricted value's number must never be in the bytes anyone else receives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { readModel } from '../../src/schema/index.ts';
import { MEASURE_REFUSALS, refusalFor, type IndicatorSettingsView, type MeasuresEvent, type ReportCardAnswer } from '../../src/contract/index.ts';
import { startHarness, testClock, type Harness } from './harness.ts';
import { addGoalAndStrategy, addIndicators, openRawStream, rawCall, type RawStream } from './measures-helpers.ts';

type Who = 'admin' | 'lead' | 'facilitator' | 'participant' | 'observer' | 'steward' | 'outsider' | 'anonymous';
const MEMBERS: Who[] = ['admin', 'lead', 'facilitator', 'participant', 'observer', 'steward'];
const EVERYONE: Who[] = [...MEMBERS, 'outsider', 'anonymous'];
/** Who may see a restricted indicator's values: the admin, the lead and its steward. */
const SEES_RESTRICTED = new Set<Who>(['admin', 'lead', 'steward']);

/** Numbers with digits found nowhere else in an answer (no id or time holds a dot). */
const VALUES = {
  public: { approved: ['41.5113', '44.2587'], submitted: '47.1249' },
  members: ['18.5371', '17.7529'],
  restricted: ['731.4159', '702.6535'],
  restrictedNorth: '688.1234',
  restrictedBaseline: '745.9381',
  restrictedTarget: '650.2718',
  membersBaseline: '19.8642',
};

let h: Harness;
let id: string;
const token = {} as Record<Who, string>;
let stewardId: string;
let ind: { public: string; members: string; restricted: string };

const base = () => `/api/initiatives/${id}`;

beforeAll(async () => {
  const clock = testClock(Date.parse('2026-03-02T09:00:00.000Z'));
  h = await startHarness({ clock: clock.now });
  id = await h.createInitiative('Meadow County Cradle to Career');
  const other = await h.createInitiative('Harbour Literacy Project');
  token.admin = h.adminToken;
  token.anonymous = '';
  token.outsider = await h.invite(other, 'lead', 'Olive Outsider');
  for (const role of ['lead', 'facilitator', 'participant', 'observer'] as const) token[role] = await h.invite(id, role);
  const steward = await h.join(id, 'participant', 'Sam Steward (county data office)');
  token.steward = steward.token;
  stewardId = steward.memberId;
  const [pub, mem, res] = await addIndicators(h, id, [
    { name: 'Third-grade reading proficiency', unit: 'percent', direction: 'increase' },
    { name: 'Chronic absence', unit: 'percent', direction: 'decrease' },
    { name: 'Youth arrests per 1,000', unit: 'rate', direction: 'decrease', subgroups: ['North', 'South'] },
  ]);
  ind = { public: pub, members: mem, restricted: res };
  await addGoalAndStrategy(h, id, 'Every child in Meadow County succeeds from cradle to career.', 'Early literacy', [pub, mem, res]);

  const patch = async (indicator: string, body: unknown) => {
    const r = await h.api('PATCH', `${base()}/indicators/${indicator}`, body, token.lead);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  await patch(pub, { access: 'public' });
  await patch(mem, { baseline: { value: Number(VALUES.membersBaseline), date: '2020-06-30' } });
  await patch(res, {
    access: 'restricted',
    stewards: [stewardId],
    baseline: { value: Number(VALUES.restrictedBaseline), date: '2020-12-31' },
    target: { value: Number(VALUES.restrictedTarget), date: '2030-12-31' },
  });

  const enter = async (who: Who, rows: unknown[]) => {
    const r = await h.api('POST', `${base()}/measurements`, rows, token[who]);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  };
  await enter('lead', [
    { indicator: pub, date: '2021-06-30', value: Number(VALUES.public.approved[0]), note: 'Summer reading launched.' },
    { indicator: pub, date: '2022-06-30', value: Number(VALUES.public.approved[1]) },
    { indicator: pub, date: '2023-06-30', value: Number(VALUES.public.submitted) },
    { indicator: mem, date: '2021-06-30', value: Number(VALUES.members[0]) },
    { indicator: mem, date: '2022-06-30', value: Number(VALUES.members[1]) },
  ]);
  await enter('steward', [
    { indicator: 'youth arrests per 1,000', date: '2021-12-31', value: Number(VALUES.restricted[0]) },
    { indicator: res, date: '2022-12-31', value: Number(VALUES.restricted[1]), note: 'Diversion programme in its first full year.' },
    { indicator: res, date: '2022-12-31', value: Number(VALUES.restrictedNorth), subgroup: 'north' },
  ]);
  // The lead approves the first two public values; the third stays submitted.
  const rows = (await h.api('GET', `${base()}/measurements?indicator=${pub}`, undefined, token.lead)).body as { id: string; date: string }[];
  for (const row of rows.filter((r) => r.date < '2023-01-01')) {
    const r = await h.api('POST', `${base()}/measurements/${row.id}/review`, { status: 'approved' }, token.lead);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
});

afterAll(async () => {
  await h.stop();
});

const restrictedNumbers = [...VALUES.restricted, VALUES.restrictedNorth, VALUES.restrictedBaseline, VALUES.restrictedTarget];

/** The refusal anyone outside the initiative gets, before anything of it is read. */
function expectKeptOut(who: Who, answer: { status: number; text: string }): void {
  if (who === 'anonymous') expect(answer.status).toBe(401);
  else {
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.text).error).toBe(refusalFor('viewInitiative'));
  }
  for (const n of [...restrictedNumbers, ...VALUES.members, ...VALUES.public.approved]) expect(answer.text).not.toContain(n);
}

describe('GET measurements', () => {
  for (const who of EVERYONE) {
    it(`as ${who}: public and members values for members, restricted values only for the admin, the lead and the steward`, async () => {
      const answer = await rawCall(h, 'GET', `${base()}/measurements?history=1`, token[who]);
      if (!MEMBERS.includes(who)) return expectKeptOut(who, answer);
      expect(answer.status).toBe(200);
      for (const n of [...VALUES.public.approved, VALUES.public.submitted, ...VALUES.members]) expect(answer.text).toContain(n);
      for (const n of [...VALUES.restricted, VALUES.restrictedNorth]) expect(answer.text.includes(n), `${who} and ${n}`).toBe(SEES_RESTRICTED.has(who));
      const indicators = new Set((JSON.parse(answer.text) as { indicator: string }[]).map((r) => r.indicator));
      expect(indicators.has(ind.restricted)).toBe(SEES_RESTRICTED.has(who));

      const one = await rawCall(h, 'GET', `${base()}/measurements?indicator=${ind.restricted}`, token[who]);
      if (SEES_RESTRICTED.has(who)) {
        expect(one.status).toBe(200);
        expect(JSON.parse(one.text)).toHaveLength(3);
      } else {
        expect(one.status).toBe(403);
        expect(JSON.parse(one.text).error).toMatch(/“Youth arrests per 1,000” is restricted/);
        for (const n of restrictedNumbers) expect(one.text).not.toContain(n);
      }
    });
  }
});

describe('GET indicators', () => {
  for (const who of EVERYONE) {
    it(`as ${who}: every indicator listed; the restricted one's baseline and target only for those who see it`, async () => {
      const answer = await rawCall(h, 'GET', `${base()}/indicators`, token[who]);
      if (!MEMBERS.includes(who)) return expectKeptOut(who, answer);
      expect(answer.status).toBe(200);
      const views = new Map((JSON.parse(answer.text) as IndicatorSettingsView[]).map((v) => [v.indicator, v]));
      expect([...views.keys()].sort()).toEqual(Object.values(ind).sort());
      expect(views.get(ind.public)!.access).toBe('public');
      expect(views.get(ind.members)!.baseline).toEqual({ value: Number(VALUES.membersBaseline), date: '2020-06-30' });
      const restricted = views.get(ind.restricted)!;
      expect(restricted.access).toBe('restricted');
      expect(restricted.stewards).toEqual([{ id: stewardId, name: 'Sam Steward (county data office)' }]);
      const sees = SEES_RESTRICTED.has(who);
      expect(restricted.rights.see).toBe(sees);
      expect(restricted.rights.enter).toBe(sees);
      expect(restricted.rights.configure).toBe(who === 'admin' || who === 'lead');
      expect(restricted.baseline).toEqual(sees ? { value: Number(VALUES.restrictedBaseline), date: '2020-12-31' } : null);
      expect(restricted.target).toEqual(sees ? { value: Number(VALUES.restrictedTarget), date: '2030-12-31' } : null);
      if (!sees) for (const n of restrictedNumbers) expect(answer.text).not.toContain(n);
      // Entering members' values: the lead, a facilitator, the admin; never a participant who is no steward of it, nor an observer.
      expect(views.get(ind.members)!.rights.enter).toBe(['admin', 'lead', 'facilitator'].includes(who));
    });
  }
});

describe('GET report-card', () => {
  for (const who of EVERYONE) {
    it(`as ${who}: the restricted trend counts in every year; its latest value and trend shown only to those who see it`, async () => {
      const answer = await rawCall(h, 'GET', `${base()}/report-card`, token[who]);
      if (!MEMBERS.includes(who)) return expectKeptOut(who, answer);
      expect(answer.status).toBe(200);
      const card = JSON.parse(answer.text) as ReportCardAnswer;
      // 2022: reading up, absence down, arrests down: all three the right way. 2023: only reading has a value.
      expect(card.years).toEqual([
        { year: 2021, measures: 3, trendingRight: 0, share: 0 },
        { year: 2022, measures: 3, trendingRight: 3, share: 1 },
        { year: 2023, measures: 3, trendingRight: 1, share: 1 / 3 },
      ]);
      const restricted = card.indicators.find((i) => i.id === ind.restricted)!;
      if (SEES_RESTRICTED.has(who)) {
        expect(restricted).toMatchObject({ latest: { date: '2022-01-01', value: Number(VALUES.restricted[1]) }, trend: 'missing', restricted: false });
      } else {
        expect(restricted).toEqual({ id: ind.restricted, name: 'Youth arrests per 1,000', direction: 'decrease', latest: null, trend: null, restricted: true });
        for (const n of restrictedNumbers) expect(answer.text).not.toContain(n);
      }
      expect(card.indicators.find((i) => i.id === ind.public)).toMatchObject({ latest: { value: Number(VALUES.public.submitted) }, trend: 'right', restricted: false });
    });
  }
});

describe('the public report', () => {
  it('carries the goal, the strategy and the public indicator’s approved values only, to anyone with the link', async () => {
    const created = await h.api('POST', `${base()}/report-links`, undefined, token.lead);
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(`${h.url}/report/${created.body.token}`);
    const answer = await rawCall(h, 'GET', `/api/report/${created.body.token}`, '');
    expect(answer.status).toBe(200);
    const report = JSON.parse(answer.text);
    expect(report.goal).toBe('Every child in Meadow County succeeds from cradle to career.');
    expect(report.initiative.name).toBe('Meadow County Cradle to Career');
    expect(report.strategies).toEqual([expect.objectContaining({ name: 'Early literacy', indicatorIds: [ind.public] })]);
    expect(report.indicators.map((i: { id: string }) => i.id)).toEqual([ind.public]);
    expect(report.indicators[0].points).toEqual([
      { date: '2021-01-01', value: Number(VALUES.public.approved[0]) },
      { date: '2022-01-01', value: Number(VALUES.public.approved[1]) },
    ]);
    expect(report.indicators[0].stories).toEqual([{ period: '2021-01-01', note: 'Summer reading launched.' }]);
    expect(report.reportCard.years).toEqual([
      { year: 2021, measures: 1, trendingRight: 0, share: 0 },
      { year: 2022, measures: 1, trendingRight: 1, share: 1 },
    ]);
    for (const n of [VALUES.public.submitted, ...VALUES.members, VALUES.membersBaseline, ...restrictedNumbers]) expect(answer.text).not.toContain(n);
    // Names of what is not public stay off it too.
    expect(answer.text).not.toContain('Chronic absence');
    expect(answer.text).not.toContain('Youth arrests');

    expect((await h.api('DELETE', `${base()}/report-links/${created.body.id}`, undefined, token.lead)).status).toBe(204);
    const revoked = await h.api('GET', `/api/report/${created.body.token}`, undefined, '');
    expect(revoked.status).toBe(404);
    expect(revoked.body.error).toBe(MEASURE_REFUSALS.unpublished);
  });
});

describe('the shared document', () => {
  it('holds none of the values, baselines or targets, in its content or its bytes', async () => {
    const { json, bytes } = await h.convene.rooms.withDoc(id, (doc) => ({
      json: JSON.stringify(readModel(doc)) + JSON.stringify(doc.toJSON()),
      bytes: Buffer.from(Y.encodeStateAsUpdate(doc)),
    }));
    expect(json).toContain('Youth arrests per 1,000');
    for (const n of [...restrictedNumbers, ...VALUES.members, ...VALUES.public.approved, VALUES.membersBaseline]) {
      expect(json).not.toContain(n);
      // Yjs writes a number as a big-endian float64.
      const float = Buffer.alloc(8);
      float.writeDoubleBE(Number(n));
      expect(bytes.includes(float), n).toBe(false);
    }
  });
});

describe('the event stream', () => {
  it('tells each member of changes to the indicators they may see, with ids and never values; an access change reaches everyone', async () => {
    const streams = new Map<Who, RawStream>();
    for (const who of MEMBERS) streams.set(who, await openRawStream(h, id, token[who]));
    for (const stream of streams.values()) await stream.until('workflow');
    const restrictedValue = '693.5791';
    const membersValue = '16.9137';
    const entered = await h.api('POST', `${base()}/measurements`, [{ indicator: ind.restricted, date: '2023-12-31', value: Number(restrictedValue) }], token.steward);
    expect(entered.status).toBe(200);
    expect((await h.api('POST', `${base()}/measurements`, [{ indicator: ind.members, date: '2023-06-30', value: Number(membersValue) }], token.lead)).status).toBe(200);
    for (const [who, stream] of streams) {
      // The members' change comes after the restricted one: whoever has it and not the first never got the first.
      await stream.until<MeasuresEvent>('measures', (e) => e.indicators.includes(ind.members));
      const events = stream.all<MeasuresEvent>('measures');
      expect(events, who).toEqual(SEES_RESTRICTED.has(who) ? [{ indicators: [ind.restricted] }, { indicators: [ind.members] }] : [{ indicators: [ind.members] }]);
      expect(stream.text).not.toContain(restrictedValue);
      expect(stream.text).not.toContain(membersValue);
    }

    // The lead opens the restricted indicator to members: everyone hears of it, and may then read it.
    expect((await h.api('PATCH', `${base()}/indicators/${ind.restricted}`, { access: 'members' }, token.lead)).status).toBe(200);
    for (const [who, stream] of streams) {
      await stream.until<MeasuresEvent>('measures', (e) => e.indicators.includes(ind.restricted) && stream.all('measures').length >= (SEES_RESTRICTED.has(who) ? 3 : 2));
      const now = await h.api('GET', `${base()}/measurements?indicator=${ind.restricted}`, undefined, token[who]);
      expect(now.status, who).toBe(200);
      expect(JSON.stringify(now.body)).toContain(restrictedValue);
    }
    // And restricts it again: those who lose sight hear of it too, then may no longer read it.
    expect((await h.api('PATCH', `${base()}/indicators/${ind.restricted}`, { access: 'restricted' }, token.lead)).status).toBe(200);
    for (const [who, stream] of streams) {
      await stream.until<MeasuresEvent>('measures', () => stream.all('measures').length >= (SEES_RESTRICTED.has(who) ? 4 : 3));
      expect(stream.all<MeasuresEvent>('measures').at(-1), who).toEqual({ indicators: [ind.restricted] });
      const now = await rawCall(h, 'GET', `${base()}/measurements`, token[who]);
      expect(now.text.includes(restrictedValue), who).toBe(SEES_RESTRICTED.has(who));
      stream.close();
    }
  });
});
