/**
 * Export format version 4 at the wire: each indicator's shared measurement
 * comes out of the measure store, as far as the exporting person may see it,
 * and an import carries it back into the store (never the document), review
 * status and authorship kept. A version 3 file's in-document values move to
 * the store as the migration of old documents moves them.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { periodOf } from '../../machines/measures/periods.ts';
import { openDb, type Db } from '../../server/db.ts';
import { SqliteMeasureStore } from '../../server/measures/sqlite.ts';
import { createEntity } from '../../src/schema/model.ts';
import { openEventStream } from './eventStream.ts';
import { startHarness, syncClient, testClock, type Harness, type SyncClient } from './harness.ts';

const clock = testClock(Date.parse('2026-03-02T09:00:00.000Z'));
let h: Harness;
let db: Db;
let store: SqliteMeasureStore;
const clients: SyncClient[] = [];

beforeAll(async () => {
  h = await startHarness({ clock: clock.now });
  db = openDb(h.dataDir);
  store = new SqliteMeasureStore(db);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  db.close();
  await h.stop();
});

async function connect(id: string, token: string) {
  const client = syncClient(h.url, id, token);
  clients.push(client);
  await client.synced;
  return client;
}

/** A distinctive value only the restricted indicator has, and its story. */
const SECRET_VALUE = 4243;
const SECRET_NOTE = 'Two shelters stopped reporting';

/**
 * An initiative with a members indicator broken down by district (values
 * approved, rejected and submitted, a note) and a restricted one with a steward.
 */
async function measuredInitiative() {
  const id = await h.createInitiative('Meadow County');
  const lead = await h.join(id, 'lead', 'Dana Whitfield');
  const steward = await h.join(id, 'participant', 'Sam Ortiz');
  const participant = await h.join(id, 'participant', 'Kim Lee');
  const writer = await connect(id, lead.token);
  const binge = createEntity(writer.doc, 'indicator', {
    name: 'Binge drinking rate',
    unit: 'percent',
    direction: 'decrease',
    frequency: 'yearly',
    subgroups: ['North district', 'South district'],
  });
  const shelter = createEntity(writer.doc, 'indicator', {
    name: 'Families in shelter',
    unit: 'count',
    frequency: 'quarterly',
  });
  const row = (
    indicator: string,
    date: string,
    value: number,
    frequency: 'yearly' | 'quarterly',
    subgroup: string | null = null,
    note: string | null = null,
  ) => ({
    indicator,
    date,
    period: periodOf(date, frequency),
    value,
    subgroup,
    note,
  });
  await store.add(
    id,
    [
      row(binge, '2023-03-01', 24.5, 'yearly', null, 'Survey moved to spring'),
      row(binge, '2024-03-01', 21.25, 'yearly'),
      row(binge, '2024-03-01', 26, 'yearly', 'North district'),
      row(binge, '2025-03-01', 19, 'yearly'),
    ],
    { id: lead.memberId, name: 'Dana Whitfield' },
    { replace: false, at: '2026-01-10T10:00:00.000Z' },
  );
  await store.add(
    id,
    [row(shelter, '2025-11-15', SECRET_VALUE, 'quarterly', null, SECRET_NOTE)],
    { id: steward.memberId, name: 'Sam Ortiz' },
    { replace: false, at: '2026-01-12T08:30:00.000Z' },
  );
  const listed = await store.list(id);
  const find = (date: string, subgroup: string | null = null) =>
    listed.find((m) => m.date === date && m.subgroup === subgroup)!;
  await store.review(
    id,
    find('2023-03-01').id,
    'approved',
    null,
    { id: lead.memberId, name: 'Dana Whitfield' },
    '2026-01-11T09:00:00.000Z',
  );
  await store.review(
    id,
    find('2024-03-01', 'North district').id,
    'rejected',
    'Only two schools answered',
    { id: lead.memberId, name: 'Dana Whitfield' },
    '2026-01-11T09:00:00.000Z',
  );
  await store.setSettings(id, binge, {
    access: 'public',
    baseline: { value: 24.5, date: '2023-03-01' },
    target: { value: 15, date: '2030-12-31' },
  });
  await store.setSettings(id, shelter, {
    access: 'restricted',
    stewards: [steward.memberId],
    baseline: { value: 5000, date: null },
    target: null,
  });
  return { id, lead, steward, participant, binge, shelter, writer };
}

async function exportAs(id: string, token: string) {
  const res = await h.api('GET', `/api/initiatives/${id}/export`, undefined, token);
  expect(res.status).toBe(200);
  return res.body;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- export files are read as JSON
const indicatorOf = (file: any, id: string) => file.entities.find((e: { id: string }) => e.id === id);

describe('export version 4', () => {
  let source: Awaited<ReturnType<typeof measuredInitiative>>;
  beforeAll(async () => {
    source = await measuredInitiative();
  });

  it('gives the lead every indicator with its settings and values, review status and authorship', async () => {
    const file = await exportAs(source.id, source.lead.token);
    expect(file.version).toBe(5);
    const binge = indicatorOf(file, source.binge);
    expect(Object.keys(binge)).toEqual([
      'kind',
      'id',
      'name',
      'definition',
      'unit',
      'direction',
      'frequency',
      'subgroups',
      'stewards',
      'access',
      'baseline',
      'target',
      'measurements',
    ]);
    expect(binge).toMatchObject({
      unit: 'percent',
      frequency: 'yearly',
      subgroups: ['North district', 'South district'],
      stewards: [],
      access: 'public',
      baseline: { value: 24.5, date: '2023-03-01' },
      target: { value: 15, date: '2030-12-31' },
    });
    expect(binge.measurements).toEqual(
      expect.arrayContaining([
        {
          date: '2023-03-01',
          value: 24.5,
          note: 'Survey moved to spring',
          status: 'approved',
          enteredBy: 'Dana Whitfield',
          enteredAt: '2026-01-10T10:00:00.000Z',
        },
        {
          date: '2024-03-01',
          value: 26,
          subgroup: 'North district',
          status: 'rejected',
          enteredBy: 'Dana Whitfield',
          enteredAt: '2026-01-10T10:00:00.000Z',
        },
        {
          date: '2024-03-01',
          value: 21.25,
          status: 'submitted',
          enteredBy: 'Dana Whitfield',
          enteredAt: '2026-01-10T10:00:00.000Z',
        },
        {
          date: '2025-03-01',
          value: 19,
          status: 'submitted',
          enteredBy: 'Dana Whitfield',
          enteredAt: '2026-01-10T10:00:00.000Z',
        },
      ]),
    );
    expect(binge.measurements).toHaveLength(4);
    expect(indicatorOf(file, source.shelter)).toMatchObject({
      access: 'restricted',
      stewards: [source.steward.memberId],
      baseline: { value: 5000, date: null },
      measurements: [
        { date: '2025-11-15', value: SECRET_VALUE, note: SECRET_NOTE, status: 'submitted', enteredBy: 'Sam Ortiz' },
      ],
    });
  });

  it('leaves a restricted indicator’s values, baseline and target out of a participant’s export bytes; its steward has them', async () => {
    const res = await h.api('GET', `/api/initiatives/${source.id}/export`, undefined, source.participant.token);
    const bytes = JSON.stringify(res.body);
    expect(bytes).not.toContain(String(SECRET_VALUE));
    expect(bytes).not.toContain(SECRET_NOTE);
    expect(bytes).not.toContain('5000');
    expect(indicatorOf(res.body, source.shelter)).toMatchObject({
      access: 'restricted',
      baseline: null,
      target: null,
      measurements: [],
    });
    // The members indicator's values reach every member.
    expect(indicatorOf(res.body, source.binge).measurements).toHaveLength(4);
    const stewards = await exportAs(source.id, source.steward.token);
    expect(indicatorOf(stewards, source.shelter).measurements[0].value).toBe(SECRET_VALUE);
  });

  it('round trips: imported into a new initiative, the store holds every value and status, the document none', async () => {
    const file = await exportAs(source.id, source.lead.token);
    const target = await h.createInitiative('Second county');
    const lead = await h.join(target, 'lead', 'Robin Hale');
    clock.advance(60_000);
    const res = await h.api('POST', `/api/initiatives/${target}/import`, file, lead.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.imported.measurements).toBe(5);
    const again = await exportAs(target, lead.token);
    const strip = (m: object[]) => [...m].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    for (const indicator of [source.binge, source.shelter]) {
      const before = indicatorOf(file, indicator);
      const after = indicatorOf(again, indicator);
      expect(strip(after.measurements)).toEqual(strip(before.measurements));
      expect({ ...after, measurements: [], stewards: [] }).toEqual({ ...before, measurements: [], stewards: [] });
    }
    // The steward is not a member of the second initiative: not kept.
    expect(indicatorOf(again, source.shelter).stewards).toEqual([]);
    // The document holds the indicators and nothing of their values.
    const reader = await connect(target, lead.token);
    const entry = reader.doc.getMap<Y.Map<unknown>>('entities').get(source.shelter)!;
    expect([...entry.keys()].sort()).toEqual([
      'definition',
      'direction',
      'frequency',
      'kind',
      'name',
      'subgroups',
      'unit',
    ]);
    const docBytes = Buffer.from(Y.encodeStateAsUpdate(reader.doc)).toString('latin1');
    expect(docBytes).not.toContain(SECRET_NOTE);
    expect(docBytes).not.toContain('Dana Whitfield');
  });

  it('tells the target’s open pages that measures arrived (they ask again)', async () => {
    const file = await exportAs(source.id, source.lead.token);
    const target = await h.createInitiative('Third county');
    const lead = await h.join(target, 'lead', 'Ari Moss');
    const stream = await openEventStream(h.url, target, lead.token);
    try {
      const res = await h.api('POST', `/api/initiatives/${target}/import`, file, lead.token);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const event = await stream.next<{ indicators: string[] }>('measures');
      expect(event?.indicators.sort()).toEqual([source.binge, source.shelter].sort());
    } finally {
      stream.close();
    }
  });

  it('refuses a version 4 file whose value its unit does not allow, or whose subgroup the indicator lacks, naming each', async () => {
    const file = await exportAs(source.id, source.lead.token);
    const binge = indicatorOf(file, source.binge);
    binge.measurements[0].value = -999999;
    binge.measurements[1].subgroup = 'East district';
    const target = await h.createInitiative('Third county');
    const lead = await h.join(target, 'lead');
    const res = await h.api('POST', `/api/initiatives/${target}/import`, file, lead.token);
    expect(res.status).toBe(400);
    const index = file.entities.indexOf(binge);
    expect(res.body.issues).toEqual([
      {
        path: `entities.${index}.measurements.0.value`,
        message: `Indicator 'Binge drinking rate', measurement 1 (${binge.measurements[0].date}): A percent lies between 0 and 100 (-999999 given).`,
      },
      {
        path: `entities.${index}.measurements.1.subgroup`,
        message: `Indicator 'Binge drinking rate', measurement 2 (${binge.measurements[1].date}): “East district” is not one of the indicator’s subgroups (North district, South district).`,
      },
    ]);
    expect(await store.list(target, { history: true })).toEqual([]);
  });
});

describe('a version 3 file', () => {
  it('moves its in-document values, baseline and target to the store, as the migration does', async () => {
    const source = await measuredInitiative();
    const file = await exportAs(source.id, source.lead.token);
    // As Convene wrote it before #12: numbers, { date, value } lists, a "%" unit, no frequency nor subgroups.
    file.version = 3;
    for (const entity of file.entities) {
      if (entity.kind !== 'indicator') continue;
      delete entity.stewards;
      delete entity.access;
      delete entity.frequency;
      delete entity.subgroups;
      entity.unit = entity.unit === 'percent' ? '%' : entity.unit;
      entity.baseline = entity.baseline?.value ?? null;
      entity.target = entity.target?.value ?? null;
      entity.measurements = entity.measurements
        .filter((m: { subgroup?: string }) => !m.subgroup)
        .map(({ date, value }: { date: string; value: number }) => ({ date, value }));
    }
    const target = await h.createInitiative('Fourth county');
    const lead = await h.join(target, 'lead');
    const res = await h.api('POST', `/api/initiatives/${target}/import`, file, lead.token);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = await store.list(target);
    expect(rows.map((r) => [r.indicator, r.date, r.period, r.value, r.status, r.enteredBy.name]).sort()).toEqual(
      [
        [source.binge, '2023-03-01', '2023-01-01', 24.5, 'approved', 'Imported from the board'],
        [source.binge, '2024-03-01', '2024-01-01', 21.25, 'approved', 'Imported from the board'],
        [source.binge, '2025-03-01', '2025-01-01', 19, 'approved', 'Imported from the board'],
        [source.shelter, '2025-11-15', '2025-01-01', SECRET_VALUE, 'approved', 'Imported from the board'],
      ].sort(),
    );
    const settings = await store.settings(target);
    expect(settings.get(source.binge)).toMatchObject({
      access: 'members',
      baseline: { value: 24.5, date: null },
      target: { value: 15, date: null },
    });
    const exported = await exportAs(target, lead.token);
    expect(indicatorOf(exported, source.binge)).toMatchObject({ unit: 'percent', frequency: 'yearly', subgroups: [] });
    const reader = await connect(target, lead.token);
    const entry = reader.doc.getMap<Y.Map<unknown>>('entities').get(source.binge)!;
    for (const field of ['measurements', 'baseline', 'target']) expect(entry.has(field)).toBe(false);
  });
});
