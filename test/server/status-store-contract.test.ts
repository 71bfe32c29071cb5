/**
 * The portfolio's status storage contract (server/portfolio/types.ts): every
 * StatusStore implementation runs this suite (SQLite now; another database in
 * #14 adds itself to `implementations`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDb } from '../../server/db.ts';
import { SqliteStatusStore } from '../../server/portfolio/sqlite.ts';
import type { InitiativeFigures, StatusStore } from '../../server/portfolio/types.ts';
import { Store } from '../../server/store.ts';

interface Subject {
  statuses: StatusStore;
  /** A new initiative's id. */
  initiative(name?: string): string;
  /** The same data opened again, as after a restart. */
  reopen(): StatusStore;
  /** Deletes the initiative (its figures go with it). */
  deleteInitiative(id: string): void;
  dispose(): void;
}

const implementations: { name: string; create(): Subject }[] = [
  {
    name: 'sqlite',
    create: () => {
      const dir = mkdtempSync(join(tmpdir(), 'convene-status-'));
      let db = openDb(dir);
      const store = new Store(db);
      return {
        statuses: new SqliteStatusStore(db),
        initiative: (name = 'Schools Together') => store.createInitiative(name, 'Chronic absence').id,
        reopen: () => {
          db.close();
          db = openDb(dir);
          return new SqliteStatusStore(db);
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

for (const { name, create } of implementations) {
  describe(`StatusStore (${name})`, () => {
    let subject: Subject;
    afterEach(() => subject.dispose());

    it('answers only the initiatives that have figures, exactly as put', async () => {
      subject = create();
      const [a, b] = [subject.initiative(), subject.initiative('Housing First')];
      expect(await subject.statuses.get([a, b])).toEqual(new Map());
      await subject.statuses.put(a, figures(2), '2026-03-02T10:00:00.000Z');
      expect(await subject.statuses.get([a, b, 'no-such-initiative'])).toEqual(new Map([[a, figures(2)]]));
      expect(await subject.statuses.get([])).toEqual(new Map());
    });

    it('replaces on put, keeps across a restart, and drops them with the initiative', async () => {
      subject = create();
      const a = subject.initiative();
      await subject.statuses.put(a, figures(2), '2026-03-02T10:00:00.000Z');
      await subject.statuses.put(a, figures(3), '2026-03-02T11:00:00.000Z');
      const reopened = subject.reopen();
      expect((await reopened.get([a])).get(a)).toEqual(figures(3));
      subject.deleteInitiative(a);
      expect(await reopened.get([a])).toEqual(new Map());
    });

    it('answers many at once (more than one batch of ids)', async () => {
      subject = create();
      const ids = Array.from({ length: 1_100 }, (_, i) => subject.initiative(`Initiative ${i + 1}`));
      for (const [i, id] of ids.entries()) if (i % 2 === 0) await subject.statuses.put(id, figures(i % 7), '2026-03-02T10:00:00.000Z');
      const found = await subject.statuses.get(ids);
      expect(found.size).toBe(550);
      expect(found.get(ids[1_098])).toEqual(figures(1_098 % 7));
      expect(found.has(ids[1_099])).toBe(false);
    });
  });
}
