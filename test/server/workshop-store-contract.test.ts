/**
 * The workshop storage contract: every WorkshopStore implementation runs this
 * suite, SQLite and PostgreSQL (#14; one throwaway PostgreSQL for the file,
 * its tables emptied before each test). Times come from a clock the test moves.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresInitiativeStore } from '../../server/pg/initiatives.ts';
import type { Pool } from '../../server/pg/pool.ts';
import { PostgresWorkshopStore } from '../../server/workshops/postgres.ts';
import { SqliteWorkshopStore } from '../../server/workshops/sqlite.ts';
import type { NewWorkshopRecord, WorkshopStore } from '../../server/workshops/types.ts';
import { filePostgres, PG_START_TIMEOUT, postgresSubject, sqliteSubject, type StoreSubject } from './contract-databases.ts';
import { MINUTE, testClock, type TestClock } from './harness.ts';

interface Subject {
  workshops: WorkshopStore;
  initiative(name?: string): Promise<string>;
  /** The same data opened again, as after a restart. */
  reopen(): Promise<WorkshopStore>;
  /** Deletes the initiative (its workshops go with it). */
  deleteInitiative(id: string): Promise<void>;
  dispose(): Promise<void>;
}

const pg = filePostgres();

/** A suite's subject from a store on one database. */
const subjectOf = (s: StoreSubject<WorkshopStore>): Subject => ({
  ...s,
  workshops: s.store,
  initiative: async (name = 'Meadow County Coalition for Healthy Youth') => (await s.initiatives.createInitiative(name, 'Teen substance use')).id,
});

/** `setup` runs once before the implementation's tests (starting a server takes longer than a test may). */
const implementations: { name: string; setup?: () => Promise<unknown>; create(clock: TestClock): Promise<Subject> }[] = [
  { name: 'sqlite', create: async (clock) => subjectOf(await sqliteSubject((db) => new SqliteWorkshopStore(db, clock.now), clock.now)) },
  {
    name: 'postgres',
    setup: () => pg.database(),
    create: async (clock) => subjectOf(await postgresSubject(pg, (pool) => new PostgresWorkshopStore(pool, clock.now), clock.now)),
  },
];

const record = (initiativeId: string, id: string, title = 'Kick-off convening'): NewWorkshopRecord => ({
  id,
  initiativeId,
  title,
  date: '2026-03-05T09:00:00+01:00',
  status: 'draft',
  snapshot: { value: 'draft', context: { title, agenda: [{ title: 'Welcome', minutes: 10 }] } },
  createdBy: 'member-1',
});

for (const implementation of implementations) {
  describe(`workshop storage: ${implementation.name}`, () => {
    let subject: Subject;
    let clock: TestClock;
    beforeAll(async () => {
      await implementation.setup?.();
    }, PG_START_TIMEOUT);
    const start = async () => {
      clock = testClock();
      subject = await implementation.create(clock);
      return subject;
    };
    afterEach(() => subject.dispose());

    it('creates a workshop and answers it as stored, with the clock’s time', async () => {
      const { workshops, initiative } = await start();
      const id = await initiative();
      const created = await workshops.create(record(id, 'w1'));
      expect(created).toEqual({
        ...record(id, 'w1'),
        cards: [],
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
      });
      expect(await workshops.get(id, 'w1')).toEqual(created);
    });

    it('finds a workshop only in its own initiative', async () => {
      const { workshops, initiative } = await start();
      const a = await initiative();
      const b = await initiative('Riverside Homelessness Partnership');
      await workshops.create(record(a, 'w1'));
      expect(await workshops.get(b, 'w1')).toBeUndefined();
      expect(await workshops.get(a, 'nope')).toBeUndefined();
      expect(await workshops.list(b)).toEqual([]);
    });

    it('lists newest first, and the running ones by id', async () => {
      const { workshops, initiative } = await start();
      const id = await initiative();
      await workshops.create(record(id, 'w1', 'First'));
      clock.advance(MINUTE);
      await workshops.create(record(id, 'w2', 'Second'));
      clock.advance(MINUTE);
      await workshops.create(record(id, 'w3', 'Third'));
      expect((await workshops.list(id)).map((w) => w.title)).toEqual(['Third', 'Second', 'First']);
      expect(await workshops.running(id)).toEqual([]);
      await workshops.save('w2', 'running', { value: 'running' });
      await workshops.save('w3', 'ended', { value: 'ended' });
      expect(await workshops.running(id)).toEqual(['w2']);
    });

    it('saves the snapshot and status durably: reopened, the store answers the last save', async () => {
      const { workshops, initiative } = await start();
      const id = await initiative();
      await workshops.create(record(id, 'w1'));
      clock.advance(5 * MINUTE);
      const snapshot = { value: 'running', context: { timer: { running: true, endsAt: 1_772_442_000_000 } } };
      await workshops.save('w1', 'running', snapshot);
      const again = await subject.reopen();
      expect(await again.get(id, 'w1')).toMatchObject({ status: 'running', snapshot, updatedAt: '2026-03-02T09:05:00.000Z' });
    });

    it('refuses to save a workshop that does not exist', async () => {
      const { workshops } = await start();
      await expect(workshops.save('ghost', 'running', {})).rejects.toThrow(/No workshop "ghost"/);
    });

    it('adds placed cards, with the snapshot, after those already recorded', async () => {
      const { workshops, initiative } = await start();
      const id = await initiative();
      await workshops.create(record(id, 'w1'));
      const card = (text: string) => ({ entity: `w1-${text}`, board: 'stakeholders', text, author: null, group: 'Person 1', item: 0, at: '2026-03-02T09:10:00.000Z' });
      await workshops.save('w1', 'running', { revealed: 1 }, [card('Youth council')]);
      await workshops.save('w1', 'running', { revealed: 1, seen: 1 });
      await workshops.save('w1', 'running', { revealed: 3 }, [card('Faith leaders'), card('Bus drivers')]);
      expect(await workshops.get(id, 'w1')).toMatchObject({ snapshot: { revealed: 3 } });
      expect((await workshops.get(id, 'w1'))!.cards.map((c) => c.text)).toEqual(['Youth council', 'Faith leaders', 'Bus drivers']);
    });

    it('goes with its initiative', async () => {
      const { workshops, initiative } = await start();
      const id = await initiative();
      await workshops.create(record(id, 'w1'));
      await subject.deleteInitiative(id);
      expect(await workshops.get(id, 'w1')).toBeUndefined();
    });
  });
}

describe('workshop storage on PostgreSQL, shared by several processes', () => {
  let pools: Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.map((p) => p.end()));
    pools = [];
  });
  beforeAll(() => pg.database(), PG_START_TIMEOUT);

  it('reveals saved by two processes at once into one workshop: every card is kept', async () => {
    const clock = testClock();
    pools = [await pg.fresh(), await pg.pool()];
    const [a, b] = pools.map((p) => new PostgresWorkshopStore(p, clock.now));
    const id = (await new PostgresInitiativeStore(pools[0], clock.now).createInitiative('Meadow County Coalition for Healthy Youth', 'Teen substance use')).id;
    await a.create(record(id, 'w1'));
    const card = (text: string) => ({ entity: `w1-${text}`, board: 'stakeholders', text, author: null, group: 'Person 1', item: 0, at: '2026-03-02T09:10:00.000Z' });
    const texts = Array.from({ length: 12 }, (_, i) => `Card ${i}`);
    await Promise.all(texts.map((text, i) => (i % 2 === 0 ? a : b).save('w1', 'running', { revealed: i }, [card(text)])));
    const cards = (await b.get(id, 'w1'))!.cards.map((c) => c.text);
    expect([...cards].sort()).toEqual([...texts].sort());
  });
});
