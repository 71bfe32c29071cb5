/**
 * The workshop storage contract: every WorkshopStore implementation runs this
 * suite (SQLite now; PostgreSQL in #14). Times come from a clock the test moves.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../server/db.ts';
import { Store } from '../../server/store.ts';
import { SqliteWorkshopStore } from '../../server/workshops/sqlite.ts';
import type { NewWorkshopRecord, WorkshopStore } from '../../server/workshops/types.ts';
import { MINUTE, testClock, type TestClock } from './harness.ts';

interface Subject {
  workshops: WorkshopStore;
  initiative(name?: string): string;
  /** The same data opened again, as after a restart. */
  reopen(): WorkshopStore;
  /** Deletes the initiative (its workshops go with it). */
  deleteInitiative(id: string): void;
  dispose(): void;
}

const implementations: { name: string; create(clock: TestClock): Subject }[] = [
  {
    name: 'sqlite',
    create: (clock) => {
      const dir = mkdtempSync(join(tmpdir(), 'convene-workshops-'));
      let db = openDb(dir, clock.now());
      const store = new Store(db);
      return {
        workshops: new SqliteWorkshopStore(db, clock.now),
        initiative: (name = 'Meadow County Coalition for Healthy Youth') => store.createInitiative(name, 'Teen substance use').id,
        reopen: () => {
          db.close();
          db = openDb(dir, clock.now());
          return new SqliteWorkshopStore(db, clock.now);
        },
        deleteInitiative: (id) => void db.prepare('DELETE FROM initiatives WHERE id = ?').run(id),
        dispose: () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
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
    const start = () => {
      clock = testClock();
      subject = implementation.create(clock);
      return subject;
    };
    afterEach(() => subject.dispose());

    it('creates a workshop and answers it as stored, with the clock’s time', () => {
      const { workshops, initiative } = start();
      const id = initiative();
      const created = workshops.create(record(id, 'w1'));
      expect(created).toEqual({
        ...record(id, 'w1'),
        cards: [],
        createdAt: '2026-03-02T09:00:00.000Z',
        updatedAt: '2026-03-02T09:00:00.000Z',
      });
      expect(workshops.get(id, 'w1')).toEqual(created);
    });

    it('finds a workshop only in its own initiative', () => {
      const { workshops, initiative } = start();
      const a = initiative();
      const b = initiative('Riverside Homelessness Partnership');
      workshops.create(record(a, 'w1'));
      expect(workshops.get(b, 'w1')).toBeUndefined();
      expect(workshops.get(a, 'nope')).toBeUndefined();
      expect(workshops.list(b)).toEqual([]);
    });

    it('lists newest first, and the running ones by id', () => {
      const { workshops, initiative } = start();
      const id = initiative();
      workshops.create(record(id, 'w1', 'First'));
      clock.advance(MINUTE);
      workshops.create(record(id, 'w2', 'Second'));
      clock.advance(MINUTE);
      workshops.create(record(id, 'w3', 'Third'));
      expect(workshops.list(id).map((w) => w.title)).toEqual(['Third', 'Second', 'First']);
      expect(workshops.running(id)).toEqual([]);
      workshops.save('w2', 'running', { value: 'running' });
      workshops.save('w3', 'ended', { value: 'ended' });
      expect(workshops.running(id)).toEqual(['w2']);
    });

    it('saves the snapshot and status durably: reopened, the store answers the last save', () => {
      const { workshops, initiative } = start();
      const id = initiative();
      workshops.create(record(id, 'w1'));
      clock.advance(5 * MINUTE);
      const snapshot = { value: 'running', context: { timer: { running: true, endsAt: 1_772_442_000_000 } } };
      workshops.save('w1', 'running', snapshot);
      const again = subject.reopen();
      expect(again.get(id, 'w1')).toMatchObject({ status: 'running', snapshot, updatedAt: '2026-03-02T09:05:00.000Z' });
    });

    it('refuses to save a workshop that does not exist', () => {
      const { workshops } = start();
      expect(() => workshops.save('ghost', 'running', {})).toThrow(/No workshop "ghost"/);
    });

    it('adds placed cards, with the snapshot, after those already recorded', () => {
      const { workshops, initiative } = start();
      const id = initiative();
      workshops.create(record(id, 'w1'));
      const card = (text: string) => ({ entity: `w1-${text}`, board: 'stakeholders', text, author: null, group: 'Person 1', item: 0, at: '2026-03-02T09:10:00.000Z' });
      workshops.save('w1', 'running', { revealed: 1 }, [card('Youth council')]);
      workshops.save('w1', 'running', { revealed: 1, seen: 1 });
      workshops.save('w1', 'running', { revealed: 3 }, [card('Faith leaders'), card('Bus drivers')]);
      expect(workshops.get(id, 'w1')).toMatchObject({ snapshot: { revealed: 3 } });
      expect(workshops.get(id, 'w1')!.cards.map((c) => c.text)).toEqual(['Youth council', 'Faith leaders', 'Bus drivers']);
    });

    it('goes with its initiative', () => {
      const { workshops, initiative } = start();
      const id = initiative();
      workshops.create(record(id, 'w1'));
      subject.deleteInitiative(id);
      expect(workshops.get(id, 'w1')).toBeUndefined();
    });
  });
}
