/**
 * The portfolio's status storage contract (server/portfolio/types.ts): every
 * StatusStore implementation runs this suite, SQLite and PostgreSQL (#14; one
 * throwaway PostgreSQL for the file, its tables emptied before each test).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStatusStore } from '../../server/portfolio/postgres.ts';
import { SqliteStatusStore } from '../../server/portfolio/sqlite.ts';
import type { InitiativeFigures, StatusStore } from '../../server/portfolio/types.ts';
import { filePostgres, PG_START_TIMEOUT, postgresSubject, sqliteSubject, type StoreSubject } from './contract-databases.ts';

interface Subject {
  statuses: StatusStore;
  /** A new initiative's id. */
  initiative(name?: string): Promise<string>;
  /** The same data opened again, as after a restart. */
  reopen(): Promise<StatusStore>;
  /** Deletes the initiative (its figures go with it). */
  deleteInitiative(id: string): Promise<void>;
  dispose(): Promise<void>;
}

const pg = filePostgres();

/** A suite's subject from a store on one database. */
const subjectOf = (s: StoreSubject<StatusStore>): Subject => ({
  ...s,
  statuses: s.store,
  initiative: async (name = 'Schools Together') => (await s.initiatives.createInitiative(name, 'Chronic absence')).id,
});

/** `setup` runs once before the implementation's tests (starting a server takes longer than a test may). */
const implementations: { name: string; setup?: () => Promise<unknown>; create(): Promise<Subject> }[] = [
  { name: 'sqlite', create: async () => subjectOf(await sqliteSubject((db) => new SqliteStatusStore(db))) },
  { name: 'postgres', setup: () => pg.database(), create: async () => subjectOf(await postgresSubject(pg, (pool) => new PostgresStatusStore(pool))) },
];

const figures = (met: number): InitiativeFigures => ({
  stage: 'initiate',
  progress: { met, total: 7 },
  stageSince: '2026-03-02T09:00:00.000Z',
  estimate: { minMonths: 8, maxMonths: 13, answered: true },
  reportCard: { year: 2025, share: 0.75, previousShare: null, measures: 4, trendingRight: 3 },
  unmet: 7 - met,
  lastWorkshop: { id: 'w1', title: 'Spring convening', date: '2027-03-10T09:00:00+01:00', status: 'ended', attended: 14 },
  lastActivityAt: '2026-03-02T10:00:00.000Z',
});

for (const { name, setup, create } of implementations) {
  describe(`StatusStore (${name})`, () => {
    let subject: Subject;
    beforeAll(async () => {
      await setup?.();
    }, PG_START_TIMEOUT);
    afterEach(() => subject.dispose());

    it('answers only the initiatives that have figures, exactly as put', async () => {
      subject = await create();
      const [a, b] = [await subject.initiative(), await subject.initiative('Housing First')];
      expect(await subject.statuses.get([a, b])).toEqual(new Map());
      await subject.statuses.put(a, figures(2), '2026-03-02T10:00:00.000Z');
      expect(await subject.statuses.get([a, b, 'no-such-initiative'])).toEqual(new Map([[a, figures(2)]]));
      expect(await subject.statuses.get([])).toEqual(new Map());
    });

    it('replaces on put, keeps across a restart, and drops them with the initiative', async () => {
      subject = await create();
      const a = await subject.initiative();
      await subject.statuses.put(a, figures(2), '2026-03-02T10:00:00.000Z');
      await subject.statuses.put(a, figures(3), '2026-03-02T11:00:00.000Z');
      const reopened = await subject.reopen();
      expect((await reopened.get([a])).get(a)).toEqual(figures(3));
      await subject.deleteInitiative(a);
      expect(await reopened.get([a])).toEqual(new Map());
    });

    it('keeps the log number the figures were computed from beside them, never among them, across a restart', async () => {
      subject = await create();
      const [a, b] = [await subject.initiative(), await subject.initiative('Housing First')];
      expect(await subject.statuses.stored(a)).toBeUndefined();
      await subject.statuses.put(a, figures(2), '2026-03-02T10:00:00.000Z', 41);
      await subject.statuses.put(b, figures(1), '2026-03-02T10:00:00.000Z');
      const reopened = await subject.reopen();
      expect(await reopened.stored(a)).toEqual({ figures: figures(2), seq: 41 });
      // Without one (one process, or figures stored before numbers were kept): unknown.
      expect(await reopened.stored(b)).toEqual({ figures: figures(1), seq: null });
      // What the rows are made of (and browsers get) has no number.
      const rows = await reopened.get([a, b]);
      expect(rows.get(a)).toEqual(figures(2));
      expect(Object.keys(rows.get(a)!).sort()).toEqual(Object.keys(figures(2)).sort());
      await reopened.put(a, figures(3), '2026-03-02T11:00:00.000Z', 57);
      expect(await reopened.stored(a)).toEqual({ figures: figures(3), seq: 57 });
    });

    it('answers many at once (more than one batch of ids)', async () => {
      subject = await create();
      const ids: string[] = [];
      for (let i = 0; i < 1_100; i += 100) ids.push(...(await Promise.all(Array.from({ length: 100 }, (_, j) => subject.initiative(`Initiative ${i + j + 1}`)))));
      await Promise.all(ids.map((id, i) => (i % 2 === 0 ? subject.statuses.put(id, figures(i % 7), '2026-03-02T10:00:00.000Z') : undefined)));
      const found = await subject.statuses.get(ids);
      expect(found.size).toBe(550);
      expect(found.get(ids[1_098])).toEqual(figures(1_098 % 7));
      expect(found.has(ids[1_099])).toBe(false);
    });
  });
}
