/**
 * The framework version storage contract (server/framework/types.ts): every
 * VersionStore implementation runs this suite, SQLite and PostgreSQL (#14;
 * one throwaway PostgreSQL for the file, its tables emptied before each test).
 * Times and authors are passed in, as the service does.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frameworkSnapshot } from '../../machines/framework/snapshot.ts';
import { PostgresVersionStore } from '../../server/framework/postgres.ts';
import { SqliteVersionStore } from '../../server/framework/sqlite.ts';
import type { NewVersion, VersionStore } from '../../server/framework/types.ts';
import { PostgresInitiativeStore } from '../../server/pg/initiatives.ts';
import { meadowFramework } from '../machines/framework/framework-model.ts';
import { filePostgres, PG_START_TIMEOUT, postgresSubject, sqliteSubject, type StoreSubject } from './contract-databases.ts';

interface Subject {
  versions: VersionStore;
  /** A new initiative's id. */
  initiative(name?: string): Promise<string>;
  /** The same data opened again, as after a restart. */
  reopen(): Promise<VersionStore>;
  /** Deletes the initiative (its versions go with it). */
  deleteInitiative(id: string): Promise<void>;
  dispose(): Promise<void>;
}

const pg = filePostgres();

/** A suite's subject from a store on one database. */
const subjectOf = (s: StoreSubject<VersionStore>): Subject => ({
  ...s,
  versions: s.store,
  initiative: async (name = 'Meadow County Coalition for Healthy Youth') => (await s.initiatives.createInitiative(name, 'Youth vaping')).id,
});

/** `setup` runs once before the implementation's tests (starting a server takes longer than a test may). */
const implementations: { name: string; setup?: () => Promise<unknown>; create(): Promise<Subject> }[] = [
  { name: 'sqlite', create: async () => subjectOf(await sqliteSubject((db) => new SqliteVersionStore(db))) },
  { name: 'postgres', setup: () => pg.database(), create: async () => subjectOf(await postgresSubject(pg, (pool) => new PostgresVersionStore(pool))) },
];

const lead = { id: 'member-lead', name: 'Amara Osei' };

function version(name: string, at: string, change: (content: NewVersion['content']) => void = () => {}): NewVersion {
  const content = frameworkSnapshot(meadowFramework());
  change(content);
  return { name, note: `Learned something for ${name}.`, kind: 'saved', content, by: lead, at };
}

for (const { name, setup, create } of implementations) {
  describe(`VersionStore (${name})`, () => {
    let subject: Subject;
    beforeAll(async () => {
      await setup?.();
    }, PG_START_TIMEOUT);
    afterEach(() => subject?.dispose());

    it('numbers each initiative\'s versions 1, 2, 3 and answers what it stored', async () => {
      subject = await create();
      const a = await subject.initiative();
      const b = await subject.initiative('Riverside Homelessness Partnership');
      const first = await subject.versions.save(a, version('First draft', '2026-03-02T09:00:00.000Z'));
      const second = await subject.versions.save(a, version('After the retreat', '2026-04-02T09:00:00.000Z'));
      const other = await subject.versions.save(b, version('Riverside draft', '2026-04-03T09:00:00.000Z'));
      expect([first.number, second.number, other.number]).toEqual([1, 2, 1]);
      expect(new Set([first.id, second.id, other.id]).size).toBe(3);
      expect(first).toEqual({ ...version('First draft', '2026-03-02T09:00:00.000Z'), id: first.id, initiativeId: a, number: 1 });
    });

    it('lists newest first, with content and authors, only the initiative\'s own', async () => {
      subject = await create();
      const a = await subject.initiative();
      const b = await subject.initiative('Riverside Homelessness Partnership');
      await subject.versions.save(a, version('First draft', '2026-03-02T09:00:00.000Z'));
      await subject.versions.save(b, version('Riverside draft', '2026-03-03T09:00:00.000Z'));
      await subject.versions.save(a, {
        ...version('Before restoring version 1', '2026-05-02T09:00:00.000Z'),
        kind: 'before-restore',
        by: { id: null, name: 'Administrator' },
      });
      const list = await subject.versions.list(a);
      expect(list.map((v) => [v.number, v.name, v.kind, v.by])).toEqual([
        [2, 'Before restoring version 1', 'before-restore', { id: null, name: 'Administrator' }],
        [1, 'First draft', 'saved', lead],
      ]);
      expect(list[1].content).toEqual(frameworkSnapshot(meadowFramework()));
      expect(await subject.versions.list(await subject.initiative('Empty'))).toEqual([]);
    });

    it('reads one version by id, and nothing under another initiative or an unknown id', async () => {
      subject = await create();
      const a = await subject.initiative();
      const b = await subject.initiative('Riverside Homelessness Partnership');
      const saved = await subject.versions.save(a, version('First draft', '2026-03-02T09:00:00.000Z'));
      expect(await subject.versions.get(a, saved.id)).toEqual(saved);
      expect(await subject.versions.get(b, saved.id)).toBeNull();
      expect(await subject.versions.get(a, 'no-such-version')).toBeNull();
    });

    it('keeps a version as it was saved: the caller changing its object afterwards changes nothing stored', async () => {
      subject = await create();
      const a = await subject.initiative();
      const given = version('First draft', '2026-03-02T09:00:00.000Z');
      const saved = await subject.versions.save(a, given);
      given.content.entities.goal[0].statement = 'Changed on the board since';
      saved.content.entities.principle = [];
      const read = await subject.versions.get(a, saved.id);
      expect(read?.content).toEqual(frameworkSnapshot(meadowFramework()));
    });

    it('never gives two versions saved at once the same number', async () => {
      subject = await create();
      const a = await subject.initiative();
      const saved = await Promise.all(
        Array.from({ length: 8 }, (_, i) => subject.versions.save(a, version(`Draft ${i}`, `2026-03-0${i + 1}T09:00:00.000Z`))),
      );
      expect(saved.map((v) => v.number).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('keeps versions across a restart and drops them with their initiative', async () => {
      subject = await create();
      const a = await subject.initiative();
      const b = await subject.initiative('Riverside Homelessness Partnership');
      const saved = await subject.versions.save(a, version('First draft', '2026-03-02T09:00:00.000Z', (c) => (c.entities.goal[0].statement = 'Ünïcödé “quotes” 🌱')));
      await subject.versions.save(b, version('Riverside draft', '2026-03-03T09:00:00.000Z'));
      const reopened = await subject.reopen();
      expect(await reopened.get(a, saved.id)).toEqual(saved);
      expect((await reopened.save(a, version('Second', '2026-03-04T09:00:00.000Z'))).number).toBe(2);
      await subject.deleteInitiative(a);
      expect(await reopened.list(a)).toEqual([]);
      expect(await reopened.list(b)).toHaveLength(1);
    });
  });
}

describe('VersionStore on PostgreSQL, shared by several processes', () => {
  beforeAll(() => pg.database(), PG_START_TIMEOUT);

  it('versions saved by two processes at once are numbered 1 to n, none twice', async () => {
    const pools = [await pg.fresh(), await pg.pool()];
    try {
      const [a, b] = pools.map((p) => new PostgresVersionStore(p));
      const id = (await new PostgresInitiativeStore(pools[0]).createInitiative('Meadow County Coalition for Healthy Youth', 'Youth vaping')).id;
      const saved = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? a : b).save(id, version(`Draft ${i}`, `2026-03-${String(i + 1).padStart(2, '0')}T09:00:00.000Z`))));
      expect(saved.map((v) => v.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect((await b.list(id)).map((v) => v.number)).toEqual(Array.from({ length: 12 }, (_, i) => 12 - i));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
