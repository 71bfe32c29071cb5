/**
 * The portfolio's status storage contract (server/portfolio/types.ts): every
 * StatusStore implementation runs this suite, SQLite and PostgreSQL (#14; one
 * throwaway PostgreSQL for the file, its tables emptied before each test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../server/db.ts';
import { SqliteInitiativeStore } from '../../server/store.ts';
import { PostgresStatusStore } from '../../server/portfolio/postgres.ts';
import { SqliteStatusStore } from '../../server/portfolio/sqlite.ts';
import type { InitiativeFigures, StatusStore } from '../../server/portfolio/types.ts';
import { filePostgres, PG_START_TIMEOUT, postgresSubject, sqliteSubject, type StoreSubject } from './contract-databases.ts';

interface Subject {
  statuses: StatusStore;
  /** The stored text of an initiative's figures, as a process of any release reads it. */
  text(id: string): Promise<string | undefined>;
  /** Writes the row as the release before this one did: the number inside the text, the column left as it was. */
  putAsBefore(id: string, text: string): Promise<void>;
  /** A new initiative's id. */
  initiative(name?: string): Promise<string>;
  /** The same data opened again, as after a restart. */
  reopen(): Promise<StatusStore>;
  /** Deletes the initiative (its figures go with it). */
  deleteInitiative(id: string): Promise<void>;
  dispose(): Promise<void>;
}

const pg = filePostgres();

type Raw = Pick<Subject, 'text' | 'putAsBefore'>;

/** A suite's subject from a store on one database; `raw` reads and writes its rows directly. */
const subjectOf = (s: StoreSubject<StatusStore>, raw: () => Raw): Subject => ({
  ...s,
  statuses: s.store,
  text: (id) => raw().text(id),
  putAsBefore: (id, text) => raw().putAsBefore(id, text),
  initiative: async (name = 'Schools Together') => (await s.initiatives.createInitiative(name, 'Chronic absence')).id,
});

/** `setup` runs once before the implementation's tests (starting a server takes longer than a test may). */
const implementations: { name: string; setup?: () => Promise<unknown>; create(): Promise<Subject> }[] = [
  {
    name: 'sqlite',
    create: async () => {
      let raw!: Raw;
      const subject = await sqliteSubject((db) => {
        raw = {
          text: async (id) => db.prepare<[string], string>('SELECT status FROM initiative_status WHERE initiative_id = ?').pluck().get(id),
          putAsBefore: async (id, text) => void db.prepare('UPDATE initiative_status SET status = ? WHERE initiative_id = ?').run(text, id),
        };
        return new SqliteStatusStore(db);
      });
      return subjectOf(subject, () => raw);
    },
  },
  {
    name: 'postgres',
    setup: () => pg.database(),
    create: async () => {
      let raw!: Raw;
      const subject = await postgresSubject(pg, (pool) => {
        raw = {
          text: async (id) => (await pool.query<{ status: string }>('SELECT status FROM initiative_status WHERE initiative_id = $1', [id])).rows[0]?.status,
          putAsBefore: async (id, text) => void (await pool.query('UPDATE initiative_status SET status = $1 WHERE initiative_id = $2', [text, id])),
        };
        return new PostgresStatusStore(pool);
      });
      return subjectOf(subject, () => raw);
    },
  },
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
      // Nor does the stored text, which a process of an older release serves as it is.
      expect(JSON.parse((await subject.text(a))!)).toEqual(figures(3));
    });

    it('reads a row the release before wrote (its number inside the text) with that number, and its figures without it', async () => {
      subject = await create();
      const a = await subject.initiative();
      await subject.statuses.put(a, figures(2), '2026-03-02T10:00:00.000Z', 41);
      // A process of the release before writes the row last: the newer number is in the text, the column is stale.
      await subject.putAsBefore(a, JSON.stringify({ ...figures(4), $seq: 60 }));
      expect(await subject.statuses.stored(a)).toEqual({ figures: figures(4), seq: 60 });
      expect((await subject.statuses.get([a])).get(a)).toEqual(figures(4));
      // The next put of this release writes plain text again, and the number beside it.
      await subject.statuses.put(a, figures(5), '2026-03-02T12:00:00.000Z', 61);
      expect(JSON.parse((await subject.text(a))!)).toEqual(figures(5));
      expect(await subject.statuses.stored(a)).toEqual({ figures: figures(5), seq: 61 });
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

describe('StatusStore (sqlite): a data directory of the release before', () => {
  it('keeps each row’s figures and its log number when migration 7 adds the column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'convene-status-'));
    try {
      // Schema version 6: the number inside the figures' text, as the release before wrote it.
      const old = openDb(dir, Date.now(), 6);
      const id = (await new SqliteInitiativeStore(old).createInitiative('Schools Together', 'Chronic absence')).id;
      old
        .prepare('INSERT INTO initiative_status (initiative_id, status, updated_at) VALUES (?, ?, ?)')
        .run(id, JSON.stringify({ ...figures(2), $seq: 41 }), '2026-03-02T10:00:00.000Z');
      old.close();
      const db = openDb(dir);
      try {
        const statuses = new SqliteStatusStore(db);
        expect(await statuses.stored(id)).toEqual({ figures: figures(2), seq: 41 });
        expect((await statuses.get([id])).get(id)).toEqual(figures(2));
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
