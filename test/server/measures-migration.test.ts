/**
 * The migration of old documents (server/measures/migrate.ts): a document
 * stored by an older Convene, its indicators holding measurements, baseline
 * and target, is written into the real SQLite file; when its room loads, the
 * values are in the measure store and out of the document and its stored
 * bytes, nothing lost, once.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDb, type Db } from '../../server/db.ts';
import {
  carryToStore,
  coarsestFrequency,
  legacyCarry,
  legacyInDoc,
  mayHoldValues,
  migrateOnLoad,
  migrateRoom,
} from '../../server/measures/migrate.ts';
import { Rooms } from '../../server/sync/rooms.ts';
import { SqliteMeasureStore } from '../../server/measures/sqlite.ts';
import type { MeasureStore } from '../../server/measures/types.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { readModel } from '../../src/schema/model.ts';
import { startHarness, syncClient, testClock, type Harness } from './harness.ts';
import { LEGACY, LEGACY_VALUES, writeLegacy } from './legacy-doc.ts';

const clock = testClock(Date.parse('2026-03-02T09:00:00.000Z'));
const AT = '2026-03-02T09:00:00.000Z';
let h: Harness;
let db: Db;
let storage: SqliteDocStorage;
let store: SqliteMeasureStore;

beforeAll(async () => {
  h = await startHarness({ clock: clock.now });
  // The test's own connection to the server's SQLite file.
  db = openDb(h.dataDir);
  // The server's own document log: it alone numbers what is appended to it.
  storage = h.convene.docs as SqliteDocStorage;
  store = new SqliteMeasureStore(db);
});
afterAll(async () => {
  db.close();
  await h.stop();
});

/** An initiative whose stored document is an old one, never loaded by this server yet. */
async function oldInitiative(name: string): Promise<string> {
  const id = await h.createInitiative(name);
  const doc = writeLegacy(new Y.Doc(), LEGACY);
  storage.append(id, Y.encodeStateAsUpdate(doc));
  doc.destroy();
  return id;
}

/** Loads the room as a lead's client does, answers the model it receives, and waits until the room unloads. */
async function loadAsClient(id: string) {
  const lead = await h.invite(id, 'lead');
  const client = syncClient(h.url, id, lead);
  await client.synced;
  const model = readModel(client.doc);
  const raw = [...client.doc.getMap<Y.Map<unknown>>('entities').values()].map((e) => Object.fromEntries(e.entries()));
  client.destroy();
  await vi.waitFor(() => expect(h.convene.rooms.isLoaded(id)).toBe(false));
  return { model, raw };
}

/** Every plain value the stored log holds, in any struct (deleted content included, if it were kept). */
function storedValues(id: string): unknown[] {
  const stored = storage.load(id);
  if (!stored) throw new Error('nothing stored');
  const values: unknown[] = [];
  for (const struct of Y.decodeUpdate(stored.update).structs) {
    const content = (struct as { content?: { arr?: unknown[] } }).content;
    if (content?.arr) values.push(...content.arr);
  }
  return values;
}

describe('an old document, on load', () => {
  let id: string;
  beforeAll(async () => {
    id = await oldInitiative('Old coalition');
  });

  it('hands clients indicators without values, the unit normalised and a frequency chosen', async () => {
    const { model, raw } = await loadAsClient(id);
    for (const entry of raw) {
      for (const field of ['measurements', 'baseline', 'target']) expect(entry).not.toHaveProperty(field);
    }
    expect(model.entities.indicator.map(({ id, unit, frequency }) => ({ id, unit, frequency }))).toEqual([
      { id: 'ind-binge', unit: 'percent', frequency: 'quarterly' },
      { id: 'ind-visits', unit: 'visits', frequency: 'monthly' },
      { id: 'ind-youth', unit: 'count', frequency: 'yearly' },
    ]);
    expect(model.entities.strategy[0].indicatorIds).toEqual(['ind-binge']);
  });

  it('carried every dated value to the store, approved, from the board, with its period', async () => {
    const rows = await store.list(id, { history: true });
    expect(rows).toHaveLength(LEGACY_VALUES);
    const brief = rows.map((r) => [r.indicator, r.date, r.period, r.value, r.status, r.current]);
    expect(brief).toEqual(
      expect.arrayContaining([
        ['ind-binge', '2023-03-01', '2023-01-01', 21.75, 'approved', true],
        ['ind-binge', '2024-03-01', '2024-01-01', 19.125, 'approved', true],
        ['ind-binge', '2024-09-01', '2024-07-01', 18.375, 'approved', true],
        ['ind-youth', '2022-06-30', '2022-01-01', 151, 'approved', true],
        ['ind-youth', '2023-06-30', '2023-01-01', 163, 'approved', true],
        // A count cannot be negative: the lead reviews it rather than the migration dropping it.
        ['ind-youth', '2024-06-30', '2024-01-01', -999999, 'submitted', true],
        // Two values of one month: the later dated is current, the earlier kept in the history.
        ['ind-visits', '2025-01-20', '2025-01-01', 4100, 'approved', true],
        ['ind-visits', '2025-01-05', '2025-01-01', 3900, 'approved', false],
      ]),
    );
    for (const row of rows) {
      expect(row.enteredBy).toEqual({ id: null, name: 'Imported from the board' });
      expect(row.enteredAt).toBe(AT);
      expect(row.id).toMatch(new RegExp(`^legacy:${id}:${row.indicator}:\\d+$`));
      expect(row.subgroup).toBeNull();
    }
    const settings = await store.settings(id);
    expect(settings.get('ind-binge')).toMatchObject({
      baseline: { value: 24.25, date: null },
      target: { value: 16.5, date: null },
    });
    expect(settings.get('ind-youth')).toMatchObject({ baseline: { value: 140, date: null }, target: null });
    expect(settings.get('ind-visits')).toMatchObject({ baseline: null, target: { value: 5000, date: null } });
  });

  it('leaves no value in the stored document bytes', () => {
    const values = storedValues(id);
    for (const value of [24.25, 16.5, 21.75, 19.125, 18.375, 151, 163, -999999, 140, 5000, 4100, 3900]) {
      expect(values).not.toContain(value);
    }
    // The indicators themselves are all there.
    const doc = new Y.Doc();
    Y.applyUpdate(doc, storage.load(id)!.update);
    expect(readModel(doc).entities.indicator.map((i) => i.name)).toEqual([
      'Binge drinking rate',
      'Clinic visits',
      'Youth in mentoring',
    ]);
    expect(legacyInDoc(doc)).toEqual([]);
    doc.destroy();
  });

  it('changes nothing when it loads again', async () => {
    const before = storage.load(id)!;
    const rows = await store.list(id, { history: true });
    clock.advance(60_000);
    await h.convene.rooms.withDoc(id, () => undefined);
    await vi.waitFor(() => expect(h.convene.rooms.isLoaded(id)).toBe(false));
    expect(storage.load(id)!.seq).toBe(before.seq);
    expect(await store.list(id, { history: true })).toEqual(rows);
  });
});

describe('a crash between the store write and the document write', () => {
  it('repeats harmlessly on the next load: every value once, the document cleaned', async () => {
    const id = await oldInitiative('Interrupted coalition');
    const doc = new Y.Doc();
    Y.applyUpdate(doc, storage.load(id)!.update);
    // The store takes the first indicator's rows, then fails on its settings: the process dies here,
    // the other indicators not carried, the document not changed.
    const failing: MeasureStore = Object.assign(Object.create(store) as MeasureStore, {
      setSettings: () => Promise.reject(new Error('the disk is gone')),
    });
    await expect(migrateRoom(failing, id, doc, AT)).rejects.toThrow('the disk is gone');
    expect(await store.list(id, { history: true })).toHaveLength(3);
    expect(legacyInDoc(doc)).toHaveLength(3);
    doc.destroy();

    clock.advance(60_000);
    const { model } = await loadAsClient(id);
    const rows = await store.list(id, { history: true });
    expect(rows).toHaveLength(LEGACY_VALUES);
    expect(new Set(rows.map((r) => r.id)).size).toBe(LEGACY_VALUES);
    // Rows carried before the crash keep its time; the rest, and the settings the crash lost, are written now.
    const now = new Date(clock.now()).toISOString();
    for (const row of rows) expect(row.enteredAt).toBe(row.indicator === 'ind-binge' ? AT : now);
    expect((await store.settings(id)).get('ind-binge')?.baseline).toEqual({ value: 24.25, date: null });
    expect(model.entities.indicator.map((i) => i.frequency)).toEqual(['quarterly', 'monthly', 'yearly']);
  });

  it('never overwrites a baseline the store already has', async () => {
    const id = await oldInitiative('Coalition with settings');
    await store.setSettings(id, 'ind-binge', { baseline: { value: 30, date: '2022-01-01' } });
    await h.convene.rooms.withDoc(id, () => undefined);
    expect((await store.settings(id)).get('ind-binge')).toMatchObject({
      baseline: { value: 30, date: '2022-01-01' },
      target: { value: 16.5, date: null },
    });
  });
});

describe('the frequency of a migrated indicator', () => {
  it('is the coarsest under which no two values share a period', () => {
    expect(coarsestFrequency([])).toBe('yearly');
    expect(coarsestFrequency(['2022-05-01', '2023-05-01'])).toBe('yearly');
    expect(coarsestFrequency(['2023-01-31', '2023-04-01'])).toBe('quarterly');
    expect(coarsestFrequency(['2023-01-31', '2023-03-01'])).toBe('monthly');
    expect(coarsestFrequency(['2023-01-05', '2023-01-20'])).toBe('monthly');
  });

  it('is kept when the indicator already has one', () => {
    const carry = legacyCarry(
      'i',
      {
        indicator: 'x',
        unit: '%',
        frequency: 'monthly',
        measurements: [{ date: '2020-01-01', value: 1 }],
        baseline: null,
        target: null,
      },
      AT,
    );
    expect(carry).toMatchObject({ frequency: 'monthly', unit: 'percent', rows: [{ period: '2020-01-01' }] });
  });

  it('carries nothing for an indicator without values, and settings only where given', async () => {
    const carry = legacyCarry(
      'i',
      { indicator: 'x', unit: '', frequency: null, measurements: [], baseline: Number.NaN, target: null },
      AT,
    );
    expect(carry).toEqual({ indicator: 'x', unit: '', frequency: 'yearly', rows: [], baseline: null, target: null });
    const id = await h.createInitiative('Empty measures');
    await carryToStore(store, id, [carry]);
    expect((await store.settings(id)).size).toBe(0);
  });
});

describe('a large stored document, whose build the room defers', () => {
  it('is built on load only when its bytes may hold old values', async () => {
    const rooms = new Rooms(storage, 0, { deferBuildAboveBytes: 0 }, migrateOnLoad(store, clock.now));
    try {
      const current = await h.createInitiative('Current coalition');
      const doc = new Y.Doc();
      const entry = new Y.Map<unknown>();
      doc.getMap('entities').set('ind-new', entry);
      entry.set('kind', 'indicator');
      entry.set('name', new Y.Text('Families in shelter'));
      storage.append(current, Y.encodeStateAsUpdate(doc));
      expect(mayHoldValues(Y.encodeStateAsUpdate(doc))).toBe(false);
      const room = await rooms.open(current);
      expect(room.hydrated).toBe(false);
      rooms.abandon(room);

      const old = await oldInitiative('Large old coalition');
      expect(mayHoldValues(storage.load(old)!.update)).toBe(true);
      await rooms.withDoc(old, (loaded) => expect(legacyInDoc(loaded)).toEqual([]));
      expect(await store.list(old, { history: true })).toHaveLength(LEGACY_VALUES);
    } finally {
      await rooms.closeAll();
    }
  });
});
