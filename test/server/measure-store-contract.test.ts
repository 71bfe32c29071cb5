/**
 * The shared measurement storage contract (server/measures/types.ts): every
 * MeasureStore implementation runs this suite, SQLite and PostgreSQL (#14; one
 * throwaway PostgreSQL for the file, test/support/postgres.ts, its tables
 * emptied before each test). Times are passed in, as the service does.
 *
 * Longer than 400 lines on purpose: one suite is the whole contract a second
 * database must meet, read in one place.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { periodOf, type Frequency } from '../../machines/measures/periods.ts';
import { openDb } from '../../server/db.ts';
import { PostgresMeasureStore } from '../../server/measures/postgres.ts';
import { SqliteMeasureStore } from '../../server/measures/sqlite.ts';
import { migrate } from '../../server/pg/migrate.ts';
import { createPool } from '../../server/pg/pool.ts';
import { newId } from '../../server/tokens.ts';
import {
  DEFAULT_SETTINGS,
  ReplaceNeeded,
  type Author,
  type CarriedMeasurement,
  type MeasureStore,
  type NewMeasurement,
} from '../../server/measures/types.ts';
import { SqliteInitiativeStore } from '../../server/store.ts';
import { emptyTables, startPostgres, type TestPostgres } from '../support/postgres.ts';

interface Subject {
  measures: MeasureStore;
  /** A new initiative's id. */
  initiative(name?: string): Promise<string>;
  /** The same data opened again, as after a restart. */
  reopen(): Promise<MeasureStore>;
  /** Deletes the initiative (its settings, values and links go with it). */
  deleteInitiative(id: string): Promise<void>;
  dispose(): Promise<void>;
}

/** The file's PostgreSQL and its one migrated database, made by the first test that needs them; stopped after the last. */
let postgres: Promise<TestPostgres> | undefined;
let database: Promise<string> | undefined;
afterAll(async () => {
  if (postgres) await (await postgres).stop();
});
function pgDatabase(): Promise<string> {
  return (database ??= (async () => {
    const url = await (await (postgres ??= startPostgres())).createDatabase();
    const pool = createPool(url, { max: 1 });
    await migrate(pool).finally(() => pool.end());
    return url;
  })());
}

/** How long a PostgreSQL may take to start on a busy machine (about a second on a quiet one). */
const PG_START_TIMEOUT = 60_000;

/** `setup` runs once before the implementation's tests (starting a server takes longer than a test may). */
const implementations: { name: string; setup?: () => Promise<unknown>; create(): Promise<Subject> }[] = [
  {
    name: 'sqlite',
    create: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'convene-measures-'));
      let db = openDb(dir);
      const store = new SqliteInitiativeStore(db);
      return {
        measures: new SqliteMeasureStore(db),
        initiative: async (name = 'Meadow County Coalition for Healthy Youth') => (await store.createInitiative(name, 'Teen substance use')).id,
        reopen: async () => {
          db.close();
          db = openDb(dir);
          return new SqliteMeasureStore(db);
        },
        deleteInitiative: async (id) => void db.prepare('DELETE FROM initiatives WHERE id = ?').run(id),
        dispose: async () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    setup: () => pgDatabase(),
    create: async () => {
      const url = await pgDatabase();
      let pool = createPool(url, { max: 4 });
      await emptyTables(pool);
      return {
        measures: new PostgresMeasureStore(pool),
        // The initiatives table is still SQLite's Store's; the row it would write.
        initiative: async (name = 'Meadow County Coalition for Healthy Youth') => {
          const id = newId();
          await pool.query('INSERT INTO initiatives (id, name, issue, created_at) VALUES ($1, $2, $3, $4)', [id, name, 'Teen substance use', new Date().toISOString()]);
          return id;
        },
        // A new process: a new pool on the same database.
        reopen: async () => {
          await pool.end();
          pool = createPool(url, { max: 4 });
          return new PostgresMeasureStore(pool);
        },
        deleteInitiative: async (id) => void (await pool.query('DELETE FROM initiatives WHERE id = $1', [id])),
        dispose: () => pool.end(),
      };
    },
  },
];

const LEAD: Author = { id: 'member-lead', name: 'Amara Okafor' };
const STEWARD: Author = { id: 'member-steward', name: 'Jonas Berg' };
const T1 = '2026-03-02T09:00:00.000Z';
const T2 = '2026-03-02T10:00:00.000Z';
const T3 = '2026-03-02T11:00:00.000Z';

const value = (
  indicator: string,
  date: string,
  v: number,
  options: { subgroup?: string; note?: string; frequency?: Frequency } = {},
): NewMeasurement => ({
  indicator,
  date,
  period: periodOf(date, options.frequency ?? 'yearly'),
  value: v,
  subgroup: options.subgroup ?? null,
  note: options.note ?? null,
});

/** What a caught promise rejected with (fails the test when it resolved). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

for (const implementation of implementations) {
  describe(`measure storage: ${implementation.name}`, () => {
    beforeAll(async () => {
      await implementation.setup?.();
    }, PG_START_TIMEOUT);
    let subject: Subject | undefined;
    const start = async () => (subject = await implementation.create());
    afterEach(async () => {
      await subject?.dispose();
      subject = undefined;
    });

    describe('indicator settings', () => {
      it('stores nothing until a setting changes; a change keeps the defaults it does not name', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        expect(await measures.settings(id)).toEqual(new Map());
        const changed = await measures.setSettings(id, 'ind-1', { access: 'restricted' });
        expect(changed).toEqual({ ...DEFAULT_SETTINGS, access: 'restricted' });
        expect(await measures.settings(id)).toEqual(new Map([['ind-1', { ...DEFAULT_SETTINGS, access: 'restricted' }]]));
      });

      it('changes only the settings named, keeps the stewards’ order and clears a baseline with null', async () => {
        const { measures, initiative, reopen } = await start();
        const id = await initiative();
        await measures.setSettings(id, 'ind-1', {
          stewards: ['m-3', 'm-1'],
          baseline: { value: 24.5, date: '2022-06-30' },
          target: { value: 15, date: null },
        });
        expect(await measures.setSettings(id, 'ind-1', { access: 'public' })).toEqual({
          access: 'public',
          stewards: ['m-3', 'm-1'],
          baseline: { value: 24.5, date: '2022-06-30' },
          target: { value: 15, date: null },
        });
        await measures.setSettings(id, 'ind-1', { baseline: null, stewards: [] });
        const again = await (await reopen()).settings(id);
        expect(again.get('ind-1')).toEqual({ access: 'public', stewards: [], baseline: null, target: { value: 15, date: null } });
      });

      it('an explicit undefined in a change leaves that setting as it was', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        await measures.setSettings(id, 'ind-1', { access: 'restricted', stewards: ['m-1'] });
        expect(await measures.setSettings(id, 'ind-1', { access: undefined, target: { value: 3, date: '2030-12-31' } })).toEqual({
          access: 'restricted',
          stewards: ['m-1'],
          baseline: null,
          target: { value: 3, date: '2030-12-31' },
        });
      });
    });

    describe('measurements', () => {
      it('adds a batch as submitted, by its author at its time, and lists it oldest period first', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const answer = await measures.add(
          id,
          [value('ind-1', '2024-06-30', 21.5, { note: 'Survey changed' }), value('ind-1', '2022-06-30', 24), value('ind-2', '2023-01-15', 310)],
          STEWARD,
          { replace: false, at: T1 },
        );
        expect(answer.accepted).toBe(3);
        expect(answer.replaced).toBe(0);
        expect(new Set(answer.ids).size).toBe(3);
        const listed = await measures.list(id);
        expect(listed.map((m) => [m.indicator, m.period, m.value])).toEqual([
          ['ind-1', '2022-01-01', 24],
          ['ind-2', '2023-01-01', 310],
          ['ind-1', '2024-01-01', 21.5],
        ]);
        expect(listed[2]).toEqual({
          id: answer.ids[0],
          initiativeId: id,
          indicator: 'ind-1',
          date: '2024-06-30',
          period: '2024-01-01',
          value: 21.5,
          subgroup: null,
          note: 'Survey changed',
          enteredBy: STEWARD,
          enteredAt: T1,
          status: 'submitted',
          review: null,
          current: true,
        });
        expect((await measures.list(id, { indicator: 'ind-2' })).map((m) => m.value)).toEqual([310]);
        expect(await measures.list(id, { indicator: 'nothing-here' })).toEqual([]);
      });

      it('keeps subgroups apart from the whole population, whole population first', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        await measures.add(
          id,
          [value('ind-1', '2024-06-30', 30, { subgroup: 'North district' }), value('ind-1', '2024-06-30', 20), value('ind-1', '2024-06-30', 10, { subgroup: 'East district' })],
          LEAD,
          { replace: false, at: T1 },
        );
        const listed = await measures.list(id);
        expect(listed.map((m) => [m.subgroup, m.value])).toEqual([
          [null, 20],
          ['East district', 10],
          ['North district', 30],
        ]);
        expect(listed.every((m) => m.current)).toBe(true);
      });

      it('keeps a value exactly as given: decimals, negatives and an author without a member id', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const admin: Author = { id: null, name: 'Administrator' };
        const [mid] = (await measures.add(id, [value('ind-1', '2024-01-01', -0.125)], admin, { replace: false, at: T1 })).ids;
        expect(await measures.get(id, mid)).toMatchObject({ value: -0.125, enteredBy: admin });
      });

      it('the period decides what counts as the same value: two dates of one month are one monthly value', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        await measures.add(id, [value('ind-1', '2024-05-03', 1, { frequency: 'monthly' })], LEAD, { replace: false, at: T1 });
        await measures.add(id, [value('ind-1', '2024-06-03', 2, { frequency: 'monthly' })], LEAD, { replace: false, at: T2 });
        const error = await rejection(measures.add(id, [value('ind-1', '2024-05-30', 3, { frequency: 'monthly' })], LEAD, { replace: false, at: T3 }));
        expect(error).toBeInstanceOf(ReplaceNeeded);
        expect((error as ReplaceNeeded).conflicts.map((c) => [c.index, c.existing.value])).toEqual([[0, 1]]);
      });
    });

    describe('replacing a value', () => {
      it('refuses a value for a period and subgroup that has one, naming every such row, and writes nothing', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const first = await measures.add(
          id,
          [value('ind-1', '2023-06-30', 20), value('ind-1', '2024-06-30', 22), value('ind-1', '2024-06-30', 9, { subgroup: 'North' })],
          LEAD,
          { replace: false, at: T1 },
        );
        const error = await rejection(
          measures.add(
            id,
            [
              value('ind-1', '2025-06-30', 25),
              value('ind-1', '2024-12-31', 23),
              value('ind-2', '2024-06-30', 5),
              value('ind-1', '2024-03-01', 8, { subgroup: 'North' }),
            ],
            STEWARD,
            { replace: false, at: T2 },
          ),
        );
        expect(error).toBeInstanceOf(ReplaceNeeded);
        const conflicts = (error as ReplaceNeeded).conflicts;
        expect(conflicts.map((c) => c.index)).toEqual([1, 3]);
        expect(conflicts.map((c) => c.existing.id)).toEqual([first.ids[1], first.ids[2]]);
        expect(conflicts[0].existing).toMatchObject({ value: 22, current: true, enteredBy: LEAD });
        expect((await measures.list(id, { history: true })).map((m) => m.value)).toEqual([20, 22, 9]);
      });

      it('with replace, the new value is current and the old one stays in the history, not current', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const [old] = (await measures.add(id, [value('ind-1', '2024-06-30', 22)], LEAD, { replace: false, at: T1 })).ids;
        await measures.review(id, old, 'approved', null, LEAD, T1);
        const answer = await measures.add(id, [value('ind-1', '2024-12-31', 23), value('ind-1', '2025-01-31', 24)], STEWARD, { replace: true, at: T2 });
        expect(answer).toMatchObject({ accepted: 2, replaced: 1 });
        expect((await measures.list(id)).map((m) => [m.period, m.value, m.current])).toEqual([
          ['2024-01-01', 23, true],
          ['2025-01-01', 24, true],
        ]);
        expect((await measures.list(id, { history: true })).map((m) => [m.period, m.value, m.current])).toEqual([
          ['2024-01-01', 23, true],
          ['2024-01-01', 22, false],
          ['2025-01-01', 24, true],
        ]);
        expect(await measures.get(id, old)).toMatchObject({ value: 22, current: false, status: 'approved', enteredBy: LEAD, enteredAt: T1 });
      });

      it('a value replaced twice: the history lists the current one, then the replaced ones newest first', async () => {
        const { measures, initiative, reopen } = await start();
        const id = await initiative();
        for (const [v, at] of [[1, T1], [2, T2], [3, T3]] as const) {
          await measures.add(id, [value('ind-1', '2024-06-30', v)], LEAD, { replace: true, at });
        }
        const history = await (await reopen()).list(id, { history: true });
        expect(history.map((m) => [m.value, m.current, m.enteredAt])).toEqual([
          [3, true, T3],
          [2, false, T2],
          [1, false, T1],
        ]);
      });

      it('two rows of one batch for one period and subgroup: the later is current, the earlier kept as replaced', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const answer = await measures.add(
          id,
          [value('ind-1', '2024-02-01', 10), value('ind-1', '2024-02-01', 10, { subgroup: 'North' }), value('ind-1', '2024-09-01', 11)],
          LEAD,
          { replace: false, at: T1 },
        );
        expect(answer).toMatchObject({ accepted: 3, replaced: 0 });
        const history = await measures.list(id, { history: true });
        expect(history.map((m) => [m.id, m.subgroup, m.value, m.current])).toEqual([
          [answer.ids[2], null, 11, true],
          [answer.ids[0], null, 10, false],
          [answer.ids[1], 'North', 10, true],
        ]);
      });

      it('a batch repeating a stored value’s period names both rows, and with replace counts the stored one replaced once', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        await measures.add(id, [value('ind-1', '2024-02-01', 1)], LEAD, { replace: false, at: T1 });
        const batch = [value('ind-1', '2024-03-01', 2), value('ind-1', '2024-04-01', 3)];
        const error = await rejection(measures.add(id, batch, LEAD, { replace: false, at: T2 }));
        expect((error as ReplaceNeeded).conflicts.map((c) => c.index)).toEqual([0, 1]);
        expect(await measures.add(id, batch, LEAD, { replace: true, at: T2 })).toMatchObject({ accepted: 2, replaced: 1 });
        expect((await measures.list(id, { history: true })).map((m) => [m.value, m.current])).toEqual([
          [3, true],
          [2, false],
          [1, false],
        ]);
      });
    });

    describe('atomicity', () => {
      it('a batch that fails part-way writes nothing, and the store keeps working', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        await measures.add(id, [value('ind-1', '2020-06-30', 1)], LEAD, { replace: false, at: T1 });
        const broken = { ...value('ind-1', '2022-06-30', 3), indicator: null } as unknown as NewMeasurement;
        await expect(measures.add(id, [value('ind-1', '2021-06-30', 2), value('ind-1', '2020-01-01', 9), broken], LEAD, { replace: true, at: T2 })).rejects.toThrow();
        expect((await measures.list(id, { history: true })).map((m) => [m.value, m.current])).toEqual([[1, true]]);
        await measures.add(id, [value('ind-1', '2021-06-30', 2)], LEAD, { replace: false, at: T3 });
        expect((await measures.list(id)).map((m) => m.value)).toEqual([1, 2]);
      });

      it('a refused replacement in a large batch writes none of the batch', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        await measures.add(id, [value('ind-1', '2000-06-30', 1)], LEAD, { replace: false, at: T1 });
        const batch = [
          ...Array.from({ length: 500 }, (_, i) => value(`ind-${i % 5}`, `${1900 + Math.floor(i / 5)}-06-30`, i)),
          value('ind-1', '2000-03-01', 7),
        ];
        const error = await rejection(measures.add(id, batch, LEAD, { replace: false, at: T2 }));
        expect((error as ReplaceNeeded).conflicts.map((c) => c.index)).toEqual([500]);
        expect(await measures.list(id)).toHaveLength(1);
      });
    });

    describe('carrying values over', () => {
      const carried = (id: string, date: string, v: number, enteredAt = T1): CarriedMeasurement => ({
        ...value('ind-1', date, v),
        id,
        enteredBy: { id: null, name: 'Imported from the board' },
        enteredAt,
        status: 'approved',
      });

      it('keeps the id, author, time and status, and carrying the same rows again writes nothing', async () => {
        const { measures, initiative, reopen } = await start();
        const id = await initiative();
        const rows = [carried('legacy:ind-1:0', '2021-06-30', 30), carried('legacy:ind-1:1', '2022-06-30', 28)];
        expect(await measures.carry(id, rows)).toBe(2);
        expect(await (await reopen()).carry(id, rows)).toBe(0);
        const again = await reopen();
        expect(await again.carry(id, [...rows, carried('legacy:ind-1:2', '2023-06-30', 27)])).toBe(1);
        expect(await again.list(id)).toEqual([
          expect.objectContaining({ id: 'legacy:ind-1:0', value: 30, status: 'approved', enteredBy: { id: null, name: 'Imported from the board' }, enteredAt: T1, current: true }),
          expect.objectContaining({ id: 'legacy:ind-1:1', value: 28 }),
          expect.objectContaining({ id: 'legacy:ind-1:2', value: 27 }),
        ]);
        expect(await again.get(id, 'legacy:ind-1:1')).toMatchObject({ review: null, period: '2022-01-01' });
      });

      it('a carried value meeting a current one of its period: the later entered is current, the other kept', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const [entered] = (await measures.add(id, [value('ind-1', '2024-06-30', 5)], LEAD, { replace: false, at: T2 })).ids;
        expect(await measures.carry(id, [carried('legacy:ind-1:0', '2024-02-01', 4, T1), carried('legacy:ind-1:1', '2025-02-01', 6, T3)])).toBe(2);
        expect((await measures.list(id)).map((m) => m.id)).toEqual([entered, 'legacy:ind-1:1']);
        expect(await measures.get(id, 'legacy:ind-1:0')).toMatchObject({ current: false });
        await measures.carry(id, [carried('legacy:ind-1:3', '2024-12-01', 7, T3)]);
        expect((await measures.list(id)).map((m) => m.id)).toEqual(['legacy:ind-1:3', 'legacy:ind-1:1']);
        expect(await measures.get(id, entered)).toMatchObject({ current: false, value: 5 });
      });
    });

    describe('review', () => {
      it('approves, or rejects with a reason, naming the reviewer and the time', async () => {
        const { measures, initiative, reopen } = await start();
        const id = await initiative();
        const [a, b] = (await measures.add(id, [value('ind-1', '2023-06-30', 1), value('ind-1', '2024-06-30', 2)], STEWARD, { replace: false, at: T1 })).ids;
        expect(await measures.review(id, a, 'approved', null, LEAD, T2)).toMatchObject({
          id: a,
          status: 'approved',
          review: { by: LEAD, at: T2, reason: null },
          enteredBy: STEWARD,
        });
        await measures.review(id, b, 'rejected', 'The survey changed its question', STEWARD, T3);
        expect(await (await reopen()).get(id, b)).toMatchObject({
          status: 'rejected',
          review: { by: STEWARD, at: T3, reason: 'The survey changed its question' },
          current: true,
        });
      });

      it('a second review overrides the first', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const [a] = (await measures.add(id, [value('ind-1', '2023-06-30', 1)], STEWARD, { replace: false, at: T1 })).ids;
        await measures.review(id, a, 'rejected', 'Typo', LEAD, T2);
        expect(await measures.review(id, a, 'approved', null, LEAD, T3)).toMatchObject({ status: 'approved', review: { at: T3, reason: null } });
      });

      it('answers undefined for an unknown id, another initiative’s value or a replaced value, and changes nothing', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const other = await initiative('Riverside Literacy Partnership');
        const [old] = (await measures.add(id, [value('ind-1', '2023-06-30', 1)], LEAD, { replace: false, at: T1 })).ids;
        await measures.add(id, [value('ind-1', '2023-07-30', 2)], LEAD, { replace: true, at: T2 });
        expect(await measures.review(id, 'no-such-value', 'approved', null, LEAD, T3)).toBeUndefined();
        expect(await measures.review(other, old, 'approved', null, LEAD, T3)).toBeUndefined();
        expect(await measures.review(id, old, 'approved', null, LEAD, T3)).toBeUndefined();
        expect(await measures.get(id, old)).toMatchObject({ status: 'submitted', review: null, current: false });
      });
    });

    describe('get', () => {
      it('answers one value of the initiative, current or not, and nothing of another initiative', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const other = await initiative('Riverside Literacy Partnership');
        const [mid] = (await measures.add(id, [value('ind-1', '2023-06-30', 1, { subgroup: 'North', note: 'first count' })], LEAD, { replace: false, at: T1 })).ids;
        expect(await measures.get(id, mid)).toMatchObject({ id: mid, initiativeId: id, subgroup: 'North', note: 'first count', current: true });
        expect(await measures.get(other, mid)).toBeUndefined();
        expect(await measures.get(id, 'missing')).toBeUndefined();
      });
    });

    describe('report links', () => {
      it('creates long random url-safe tokens, lists them oldest first, finds them by token and revokes them', async () => {
        const { measures, initiative, reopen } = await start();
        const id = await initiative();
        const first = await measures.createReportLink(id, LEAD, T1);
        const second = await measures.createReportLink(id, { id: null, name: 'Administrator' }, T2);
        expect(first).toEqual({ id: first.id, initiativeId: id, token: first.token, createdAt: T1, createdBy: LEAD });
        for (const link of [first, second]) expect(link.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
        expect(first.token).not.toBe(second.token);
        expect(first.id).not.toBe(second.id);
        const again = await reopen();
        expect(await again.reportLinks(id)).toEqual([first, second]);
        expect(await again.reportLinkByToken(second.token)).toEqual(second);
        expect(await again.revokeReportLink(id, first.id)).toBe(true);
        expect(await again.revokeReportLink(id, first.id)).toBe(false);
        expect(await again.reportLinkByToken(first.token)).toBeUndefined();
        expect(await again.reportLinks(id)).toEqual([second]);
        expect(await again.reportLinkByToken('not-a-token')).toBeUndefined();
      });

      it('another initiative cannot revoke a link it does not own', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const other = await initiative('Riverside Literacy Partnership');
        const link = await measures.createReportLink(id, LEAD, T1);
        expect(await measures.revokeReportLink(other, link.id)).toBe(false);
        expect(await measures.reportLinks(other)).toEqual([]);
        expect(await measures.reportLinkByToken(link.token)).toEqual(link);
      });
    });

    describe('initiatives', () => {
      it('keeps each initiative’s settings, values and links to itself: same indicator ids do not collide', async () => {
        const { measures, initiative } = await start();
        const a = await initiative();
        const b = await initiative('Riverside Literacy Partnership');
        await measures.setSettings(a, 'ind-1', { access: 'restricted' });
        await measures.add(a, [value('ind-1', '2024-06-30', 1)], LEAD, { replace: false, at: T1 });
        // The same indicator id and period in another initiative is not a replacement.
        await measures.add(b, [value('ind-1', '2024-06-30', 2)], LEAD, { replace: false, at: T1 });
        await measures.createReportLink(a, LEAD, T1);
        expect(await measures.settings(b)).toEqual(new Map());
        expect((await measures.list(a)).map((m) => m.value)).toEqual([1]);
        expect((await measures.list(b)).map((m) => m.value)).toEqual([2]);
        expect(await measures.reportLinks(b)).toEqual([]);
      });

      it('clearInitiative removes every setting, value (history too) and link of that initiative only', async () => {
        const { measures, initiative } = await start();
        const a = await initiative();
        const b = await initiative('Riverside Literacy Partnership');
        for (const id of [a, b]) {
          await measures.setSettings(id, 'ind-1', { access: 'public' });
          await measures.add(id, [value('ind-1', '2024-06-30', 1)], LEAD, { replace: false, at: T1 });
          await measures.add(id, [value('ind-1', '2024-07-30', 2)], LEAD, { replace: true, at: T2 });
          await measures.createReportLink(id, LEAD, T1);
        }
        const [linkA] = await measures.reportLinks(a);
        await measures.clearInitiative(a);
        expect(await measures.settings(a)).toEqual(new Map());
        expect(await measures.list(a, { history: true })).toEqual([]);
        expect(await measures.reportLinks(a)).toEqual([]);
        expect(await measures.reportLinkByToken(linkA.token)).toBeUndefined();
        expect(await measures.settings(b)).toHaveProperty('size', 1);
        expect(await measures.list(b, { history: true })).toHaveLength(2);
        expect(await measures.reportLinks(b)).toHaveLength(1);
        // Cleared, the initiative takes the same periods afresh without a replacement.
        await measures.add(a, [value('ind-1', '2024-06-30', 3)], LEAD, { replace: false, at: T3 });
        expect((await measures.list(a)).map((m) => m.value)).toEqual([3]);
      });
    });

    describe('deleting an initiative', () => {
      it('takes its settings, values and report links with it', async () => {
        const { measures, initiative, deleteInitiative } = await start();
        const id = await initiative();
        const kept = await initiative('Riverside Literacy Partnership');
        await measures.setSettings(id, 'ind-1', { access: 'public' });
        const [mid] = (await measures.add(id, [value('ind-1', '2024-06-30', 1)], LEAD, { replace: false, at: T1 })).ids;
        const link = await measures.createReportLink(id, LEAD, T1);
        const other = await measures.createReportLink(kept, LEAD, T1);
        await deleteInitiative(id);
        expect(await measures.reportLinkByToken(link.token)).toBeUndefined();
        expect(await measures.get(id, mid)).toBeUndefined();
        expect(await measures.list(id, { history: true })).toEqual([]);
        expect(await measures.settings(id)).toEqual(new Map());
        expect(await measures.reportLinkByToken(other.token)).toEqual(other);
      });
    });

    describe('a large batch', () => {
      it('writes 10,000 values of 100 indicators × 20 years × 5 subgroups in one batch, and replaces them all in another', async () => {
        const { measures, initiative } = await start();
        const id = await initiative();
        const subgroups = [null, 'North', 'South', 'East', 'West'];
        const batch = Array.from({ length: 10_000 }, (_, i) =>
          value(`ind-${i % 100}`, `${2000 + (Math.floor(i / 100) % 20)}-06-30`, i, { subgroup: subgroups[Math.floor(i / 2000)] ?? undefined }),
        );
        const answer = await measures.add(id, batch, STEWARD, { replace: false, at: T1 });
        expect(answer).toMatchObject({ accepted: 10_000, replaced: 0 });
        expect(new Set(answer.ids).size).toBe(10_000);
        const listed = await measures.list(id);
        expect(listed).toHaveLength(10_000);
        expect(listed.reduce((sum, m) => sum + m.value, 0)).toBe((9_999 * 10_000) / 2);
        expect(await measures.list(id, { indicator: 'ind-42' })).toHaveLength(100);
        const error = await rejection(measures.add(id, batch, STEWARD, { replace: false, at: T2 }));
        expect((error as ReplaceNeeded).conflicts).toHaveLength(10_000);
        expect(await measures.add(id, batch, STEWARD, { replace: true, at: T2 })).toMatchObject({ accepted: 10_000, replaced: 10_000 });
        expect(await measures.list(id, { history: true })).toHaveLength(20_000);
      });
    });
  });
}

describe('measure storage on PostgreSQL, shared by several processes', () => {
  beforeAll(async () => {
    await pgDatabase();
  }, PG_START_TIMEOUT);
  it('two processes writing the same periods at once: one batch is written, the other is told what it would replace', async () => {
    const url = await pgDatabase();
    const pools = [createPool(url, { max: 2 }), createPool(url, { max: 2 })];
    try {
      await emptyTables(pools[0]);
      const id = newId();
      await pools[0].query("INSERT INTO initiatives (id, name, issue, created_at) VALUES ($1, 'Meadow County Coalition for Healthy Youth', 'Teen substance use', $2)", [id, T1]);
      const [first, second] = pools.map((p) => new PostgresMeasureStore(p));
      const batch = (v: number) => Array.from({ length: 50 }, (_, i) => value(`ind-${i % 5}`, `${2000 + Math.floor(i / 5)}-06-30`, v));
      // Writes to the table wait behind a held lock (reads do not) until both batches are under way, so
      // both would read before either writes, were the batches not taking turns.
      const holder = await pools[0].connect();
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE measurements IN EXCLUSIVE MODE');
      const running = Promise.allSettled([first.add(id, batch(1), LEAD, { replace: false, at: T1 }), second.add(id, batch(2), STEWARD, { replace: false, at: T2 })]);
      const waiting = async () =>
        // (Read outside the holder's transaction, which would see one snapshot of the activity throughout.)
        (await pools[1].query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rows[0].n;
      try {
        await expect.poll(waiting, { timeout: 10_000 }).toBe(2);
      } finally {
        await holder.query('COMMIT');
        holder.release();
      }
      const results = await running;
      const written = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(written).toHaveLength(1);
      expect(refused).toHaveLength(1);
      expect(refused[0].reason).toBeInstanceOf(ReplaceNeeded);
      expect((refused[0].reason as ReplaceNeeded).conflicts).toHaveLength(50);
      const listed = await second.list(id, { history: true });
      expect(listed).toHaveLength(50);
      expect(new Set(listed.map((m) => m.value)).size).toBe(1);
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});

describe('SQLite migration 4 (shared measurement)', () => {
  it('upgrades a database of the workshops release in place: its initiatives keep working with the new tables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convene-measures-upgrade-'));
    try {
      const old = openDb(dir, Date.now(), 3);
      // The initiative as that release wrote it (today's Store writes columns added since).
      const id = 'init-upgrade';
      old
        .prepare('INSERT INTO initiatives (id, name, issue, stage, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, 'Meadow County Coalition for Healthy Youth', 'Teen substance use', 'readiness', new Date().toISOString());
      expect(old.prepare("SELECT name FROM sqlite_master WHERE name = 'measurements'").get()).toBeUndefined();
      old.close();
      // Migration 4 itself (a later one, 5, came with #13).
      const db = openDb(dir, Date.now(), 4);
      try {
        expect(db.pragma('user_version', { simple: true })).toBe(4);
        const measures = new SqliteMeasureStore(db);
        await measures.add(id, [value('ind-1', '2024-06-30', 1)], LEAD, { replace: false, at: T1 });
        expect((await measures.list(id)).map((m) => m.value)).toEqual([1]);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
