/**
 * The initiative storage contract (InitiativeStore of server/stores.ts):
 * initiatives and their parents, instance settings and workflow snapshots.
 * Every implementation runs this suite, SQLite and PostgreSQL (#14; one
 * throwaway PostgreSQL for the file, its tables emptied before each test).
 * Times come from a clock the test moves.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PostgresInitiativeStore } from '../../server/pg/initiatives.ts';
import { SqliteInitiativeStore } from '../../server/store.ts';
import type { InitiativeStore } from '../../server/stores.ts';
import { filePostgres, PG_START_TIMEOUT, postgresSubject, sqliteSubject, type StoreSubject } from './contract-databases.ts';
import { MINUTE, testClock, type TestClock } from './harness.ts';

interface Subject {
  initiatives: InitiativeStore;
  /** The same data opened again, as after a restart. */
  reopen(): Promise<InitiativeStore>;
  dispose(): Promise<void>;
}

const pg = filePostgres();

/** A suite's subject from a store on one database (the store under test is the initiatives themselves). */
const subjectOf = (s: StoreSubject<InitiativeStore>): Subject => ({ initiatives: s.store, reopen: s.reopen, dispose: s.dispose });

/** `setup` runs once before the implementation's tests (starting a server takes longer than a test may). */
const implementations: { name: string; setup?: () => Promise<unknown>; create(clock: TestClock): Promise<Subject> }[] = [
  { name: 'sqlite', create: async (clock) => subjectOf(await sqliteSubject((db) => new SqliteInitiativeStore(db, clock.now), clock.now)) },
  {
    name: 'postgres',
    setup: () => pg.database(),
    create: async (clock) => subjectOf(await postgresSubject(pg, (pool) => new PostgresInitiativeStore(pool, clock.now), clock.now)),
  },
];

const MEADOW = 'Meadow County Coalition for Healthy Youth';

for (const implementation of implementations) {
  describe(`initiative storage: ${implementation.name}`, () => {
    let subject: Subject;
    let clock: TestClock;
    beforeAll(async () => {
      await implementation.setup?.();
    }, PG_START_TIMEOUT);
    const start = async () => {
      clock = testClock();
      subject = await implementation.create(clock);
      return subject.initiatives;
    };
    afterEach(() => subject.dispose());

    it('settings: unknown at first, then set, then replaced; kept across a restart', async () => {
      const store = await start();
      expect(await store.getSetting('adminSignIn')).toBeUndefined();
      await store.setSetting('adminSignIn', 'first');
      await store.setSetting('adminSignIn', 'second');
      await store.setSetting('demo', 'Ünïcödé “quotes” 🌱');
      const again = await subject.reopen();
      expect(await again.getSetting('adminSignIn')).toBe('second');
      expect(await again.getSetting('demo')).toBe('Ünïcödé “quotes” 🌱');
    });

    it('a new initiative starts in readiness at the clock’s time and reads back as answered', async () => {
      const store = await start();
      const created = await store.createInitiative(MEADOW, 'Teen substance use');
      expect(created).toEqual({ id: expect.any(String), name: MEADOW, issue: 'Teen substance use', stage: 'readiness', createdAt: '2026-03-02T09:00:00.000Z', parentId: null });
      expect(await store.getInitiative(created.id)).toEqual(created);
      expect(await store.getInitiative('no-such-initiative')).toBeUndefined();
      expect(await store.countInitiatives()).toBe(1);
      const child = await store.createInitiative('Schools Together', 'Chronic absence', created.id);
      expect(await store.getInitiative(child.id)).toMatchObject({ parentId: created.id });
      expect(await store.countInitiatives()).toBe(2);
    });

    it('lists oldest first; initiatives created in one millisecond by id, byte by byte', async () => {
      const store = await start();
      const late = await store.createInitiative('Zeta', 'z');
      clock.advance(-MINUTE);
      const same = [await store.createInitiative('Alpha', 'a'), await store.createInitiative('Beta', 'b'), await store.createInitiative('Gamma', 'g')];
      const byId = [...same].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0)).map((i) => i.id);
      expect((await store.listInitiatives()).map((i) => i.id)).toEqual([...byId, late.id]);
    });

    it('an update changes only what it names: the name alone keeps the issue and parent; null takes the parent away', async () => {
      const store = await start();
      const parent = await store.createInitiative(MEADOW, 'Teen substance use');
      const child = await store.createInitiative('Schools Together', 'Chronic absence', parent.id);
      expect(await store.updateInitiative(child.id, { name: 'Schools Together Meadow' })).toEqual({ ...child, name: 'Schools Together Meadow' });
      expect(await store.updateInitiative(child.id, { issue: 'Absence', parentId: undefined })).toEqual({ ...child, name: 'Schools Together Meadow', issue: 'Absence' });
      expect(await store.updateInitiative(child.id, { parentId: null })).toMatchObject({ parentId: null, issue: 'Absence' });
      expect(await store.getInitiative(child.id)).toEqual({ ...child, name: 'Schools Together Meadow', issue: 'Absence', parentId: null });
      expect(await store.updateInitiative('no-such-initiative', { name: 'Ghost' })).toBeUndefined();
      expect(await store.countInitiatives()).toBe(2);
    });

    it('children by name; descendants at any depth, oldest first; a cycle in bad data ends the walk', async () => {
      const store = await start();
      const root = await store.createInitiative(MEADOW, 'Teen substance use');
      clock.advance(MINUTE);
      const schools = await store.createInitiative('Schools Together', 'Chronic absence', root.id);
      clock.advance(MINUTE);
      const after = await store.createInitiative('After-school clubs', 'Chronic absence', schools.id);
      clock.advance(MINUTE);
      const housing = await store.createInitiative('Housing First', 'Homelessness', root.id);
      expect((await store.children(root.id)).map((i) => i.name)).toEqual(['Housing First', 'Schools Together']);
      expect((await store.children(after.id))).toEqual([]);
      expect((await store.descendants(root.id)).map((i) => i.id)).toEqual([schools.id, after.id, housing.id]);
      expect(await store.descendants(schools.id)).toEqual([await store.getInitiative(after.id)]);

      expect(await store.wouldCycle(root.id, root.id)).toBe(true);
      expect(await store.wouldCycle(root.id, after.id)).toBe(true);
      expect(await store.wouldCycle(housing.id, schools.id)).toBe(false);
      expect(await store.wouldCycle(after.id, housing.id)).toBe(false);

      // The caller checks for cycles; stored anyway (bad data), the walk still ends and never lists the start.
      await store.updateInitiative(root.id, { parentId: after.id });
      expect((await store.descendants(root.id)).map((i) => i.id).sort()).toEqual([schools.id, after.id, housing.id].sort());
      expect((await store.descendants(after.id)).map((i) => i.id).sort()).toEqual([root.id, schools.id, housing.id].sort());
    });

    it('the stage, and the workflow snapshot with its stage in one write, kept across a restart', async () => {
      const store = await start();
      const { id } = await store.createInitiative(MEADOW, 'Teen substance use');
      expect(await store.loadWorkflow(id)).toBeUndefined();
      await store.setStage(id, 'initiate');
      expect((await store.getInitiative(id))?.stage).toBe('initiate');
      const snapshot = { status: 'active', value: { organize: 'working' }, context: { history: [{ type: 'ADVANCE', at: '2026-03-02T09:00:00.000Z' }], note: '🌱' } };
      await store.saveWorkflow(id, snapshot, 'organize');
      await store.saveWorkflow(id, { ...snapshot, value: { organize: 'review' } }, 'organize');
      const again = await subject.reopen();
      expect(await again.loadWorkflow(id)).toEqual({ ...snapshot, value: { organize: 'review' } });
      expect((await again.getInitiative(id))?.stage).toBe('organize');
    });

    it('refuses the workflow of an initiative that does not exist, and stores nothing', async () => {
      const store = await start();
      await expect(store.saveWorkflow('no-such-initiative', { value: 'x' }, 'initiate')).rejects.toThrow();
      expect(await store.loadWorkflow('no-such-initiative')).toBeUndefined();
      expect(await store.countInitiatives()).toBe(0);
    });
  });
}

describe('initiative storage on PostgreSQL, shared by several processes', () => {
  beforeAll(() => pg.database(), PG_START_TIMEOUT);

  it('two processes changing different fields of one initiative at once: both changes are kept', async () => {
    const clock = testClock();
    const pools = [await pg.fresh(), await pg.pool()];
    try {
      const [a, b] = pools.map((p) => new PostgresInitiativeStore(p, clock.now));
      const parent = await a.createInitiative(MEADOW, 'Teen substance use');
      for (let round = 0; round < 8; round++) {
        const { id } = await a.createInitiative(`Coalition ${round}`, 'Issue');
        await Promise.all([a.updateInitiative(id, { name: `Renamed ${round}` }), b.updateInitiative(id, { issue: `Issue ${round}` }), b.updateInitiative(id, { parentId: parent.id })]);
        expect(await a.getInitiative(id)).toMatchObject({ name: `Renamed ${round}`, issue: `Issue ${round}`, parentId: parent.id });
      }
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
