/**
 * How the workflow runner follows the document: it hears of changes from the
 * rooms, coalesces them over its delay (driven by hand here, no timers), and
 * pushes a view only when it changed, only while someone watches. Real rooms
 * over memory storage, a real SQLite store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import { createEntity, placeEntity, readModel } from '../../src/schema/model.ts';
import { openDb, type Db } from '../../server/db.ts';
import { createLogger } from '../../server/log.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import { SqliteInitiativeStore } from '../../server/store.ts';
import { Rooms } from '../../server/sync/rooms.ts';
import { AsyncDocStorage } from './sync-helpers.ts';
import { REFRESH_DELAY_MS, WorkflowRunner, type Schedule, type WorkflowView } from '../../server/workflow/runner.ts';

/** A clock the test moves: tasks run only when `runDue` is called. */
class ManualSchedule {
  tasks: { task: () => void; ms: number; cancelled: boolean }[] = [];
  readonly schedule: Schedule = (task, ms) => {
    const entry = { task, ms, cancelled: false };
    this.tasks.push(entry);
    return () => (entry.cancelled = true);
  };
  get pending() {
    return this.tasks.filter((t) => !t.cancelled);
  }
  runDue(): void {
    for (const entry of this.tasks.splice(0)) if (!entry.cancelled) entry.task();
  }
}

let dir: string;
let db: Db;
let rooms: Rooms;
let clock: ManualSchedule;
let runner: WorkflowRunner;
let id: string;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'convene-refresh-'));
  db = openDb(dir);
  const store = new SqliteInitiativeStore(db);
  rooms = new Rooms(new MemoryDocStorage(), 0);
  clock = new ManualSchedule();
  runner = new WorkflowRunner(store, createLogger('silent'), rooms, { schedule: clock.schedule });
  id = (await store.createInitiative('Valley Youth Futures', 'Youth binge drinking')).id;
  await runner.ensure(id);
  const launched = await runner.send(id, { type: 'readiness.confirm', override: { reason: 'Start now.' } }, {
    id: 'lead',
    name: 'Dana',
    role: 'lead',
  });
  expect(launched.ok).toBe(true);
});

afterEach(async () => {
  runner.stop();
  await rooms.closeAll();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const champion = (view: WorkflowView) => view.components.initiate.governance.steps[0];
const edit = <T>(change: (doc: Y.Doc) => T) => rooms.withDoc(id, change);

describe('WorkflowRunner follows the document', () => {
  it('coalesces a burst of edits into one re-evaluation after the delay, pushed to every watcher', async () => {
    const seen: WorkflowView[][] = [[], []];
    runner.subscribe(id, (view) => seen[0].push(view));
    runner.subscribe(id, (view) => seen[1].push(view));
    await edit((doc) => createEntity(doc, 'stakeholder', { name: 'Mayor Elena Ruiz', sector: 'government', role: 'champion' }));
    await edit((doc) => createEntity(doc, 'stakeholder', { name: 'Parents of Year 9', sector: 'residents', role: 'affected' }));
    await edit((doc) => createEntity(doc, 'effort', { name: 'After-school league' }));
    expect(clock.pending.map((t) => t.ms)).toEqual([REFRESH_DELAY_MS]);
    expect(seen[0]).toEqual([]);

    clock.runDue();
    await expect.poll(() => seen[0].length).toBe(1);
    expect(seen[1]).toEqual(seen[0]);
    expect(champion(seen[0][0]).status).toBe('met');
    expect(seen[0][0]).toEqual(await runner.view(id));
  });

  it('pushes nothing when a change leaves the view as it was', async () => {
    const seen: WorkflowView[] = [];
    runner.subscribe(id, (view) => seen.push(view));
    const council = await edit((doc) => createEntity(doc, 'stakeholder', { name: 'County council', sector: 'government', role: 'champion' }));
    clock.runDue();
    await expect.poll(() => seen.length).toBe(1);

    // Moving a card changes the document, not what any step needs.
    await edit((doc) => placeEntity(doc, 'stakeholders', council, { x: 420, y: 80 }));
    expect(clock.pending).toHaveLength(1);
    clock.runDue();
    const viewed = await runner.view(id);
    expect(viewed).toEqual(seen[0]);
    await edit((doc) => createEntity(doc, 'source', { title: 'County youth survey 2025' }));
    clock.runDue();
    await expect.poll(() => seen.length).toBe(2);
    expect(seen[1].components.initiate.planning.steps[1].messages).not.toContain(
      'Add at least one research source that shows how severe the problem is (none yet).',
    );
  });

  it('stops listening when the last watcher leaves: the pending re-evaluation is cancelled, later edits schedule none', async () => {
    const seen: WorkflowView[] = [];
    const stop = runner.subscribe(id, (view) => seen.push(view));
    await edit((doc) => createEntity(doc, 'stakeholder', { name: 'County council', sector: 'government', role: 'champion' }));
    expect(clock.pending).toHaveLength(1);
    stop();
    expect(clock.pending).toHaveLength(0);
    await edit((doc) => createEntity(doc, 'stakeholder', { name: 'Youth council', sector: 'residents', role: 'affected' }));
    expect(clock.pending).toHaveLength(0);
    expect(seen).toEqual([]);
  });

  it('schedules nothing for an initiative nobody watches', async () => {
    const other = runner.subscribe('another-initiative', () => {});
    await edit((doc) => createEntity(doc, 'stakeholder', { name: 'County council', sector: 'government', role: 'champion' }));
    expect(clock.pending).toHaveLength(0);
    other();
  });
});

describe('Rooms.withDoc, the one way to borrow a room’s document', () => {
  it('answers once the change is durable, and 503 when the room’s storage fails', async () => {
    const storage = new AsyncDocStorage();
    const failing = new Rooms(storage, 0);
    try {
      await failing.withDoc('r1', (doc) => createEntity(doc, 'effort', { name: 'After-school league' }));
      expect(storage.appends).toBe(1);
      storage.failAppends = true;
      const refused = failing.withDoc('r1', (doc) => createEntity(doc, 'effort', { name: 'Night classes' }));
      await expect(refused).rejects.toMatchObject({ status: 503 });
      // The stored document still holds what was durable before.
      storage.failAppends = false;
      const names = await failing.withDoc('r1', (doc) => readModel(doc).entities.effort.map((e) => e.name));
      expect(names).toEqual(['After-school league']);
    } finally {
      await failing.closeAll();
    }
  });
});
