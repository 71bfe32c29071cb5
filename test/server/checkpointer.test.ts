/**
 * The background checkpointer (server/storage/checkpointer.ts) on a real SQLite
 * file: under steady writes the WAL is still started again from its beginning,
 * rather than growing by every commit for as long as the writes go on. A
 * restart gives the WAL header new salts (bytes 16–23 of the -wal file), which
 * is what the tests watch. The checkpoints run on a second connection, as the
 * worker's, with a commit landing while a pass copies, as under steady writes;
 * and the worker itself runs, with the same function.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db.ts';
import { BackgroundCheckpointer, checkpoint } from '../../server/storage/checkpointer.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDb(): { db: Db; other: Db } {
  const dir = mkdtempSync(join(tmpdir(), 'convene-checkpoint-'));
  const db = openDb(dir);
  db.pragma('wal_autocheckpoint = 0');
  const other = new Database(db.name) as Db;
  cleanups.push(
    () => rmSync(dir, { recursive: true, force: true }),
    () => void (db.open && db.close()),
    () => void (other.open && other.close()),
  );
  return { db, other };
}

/** The WAL header's salts: new ones each time the WAL starts again from its beginning. */
function walSalts(db: Db): string {
  const fd = openSync(`${db.name}-wal`, 'r');
  try {
    const header = Buffer.alloc(8);
    readSync(fd, header, 0, 8, 16);
    return header.toString('hex');
  } finally {
    closeSync(fd);
  }
}

const update = new Uint8Array(64).fill(7);

/**
 * A file with 20 commits, and a connection for `checkpoint` whose first pass meets a commit it cannot copy, as
 * under steady writes: a reader holds the snapshot from before that commit while the pass runs, so the pass
 * leaves its frame. `appended` commits once more and answers whether the WAL started again from its beginning.
 */
function busyFirstPass() {
  const { db, other } = tempDb();
  const storage = new SqliteDocStorage(db);
  for (let i = 0; i < 20; i++) storage.append('room', update);
  const before = walSalts(db);
  const appended = () => {
    storage.append('room', update);
    return walSalts(db) !== before;
  };
  const reader = new Database(db.name, { readonly: true });
  cleanups.push(() => void reader.close());
  const passes: { log: number; checkpointed: number }[] = [];
  return {
    passes,
    appended,
    pragma(source: string) {
      const first = passes.length === 0;
      if (first) {
        reader.prepare('BEGIN').run();
        reader.prepare('SELECT count(*) FROM doc_updates').get();
        storage.append('room', update);
      }
      const result = other.pragma(source) as { log: number; checkpointed: number }[];
      if (first) reader.prepare('COMMIT').run();
      passes.push(result[0]);
      return result;
    },
  };
}

it('copies again what was committed while a pass copied, so the next commit starts the WAL from its beginning', () => {
  const worker = busyFirstPass();
  checkpoint(worker);
  // The first pass left the frame committed during it; the second copied it and, finding no frame more, was the last.
  expect(worker.passes.map((p) => p.log - p.checkpointed)).toEqual([1, 0]);
  expect(worker.passes[1].log).toBe(worker.passes[0].log);
  expect(worker.appended()).toBe(true);
});

it('one pass alone leaves such a frame, and the WAL goes on growing from where it was', () => {
  const worker = busyFirstPass();
  worker.pragma('wal_checkpoint(PASSIVE)');
  expect(worker.passes.map((p) => p.log - p.checkpointed)).toEqual([1]);
  expect(worker.appended()).toBe(false);
});

it('the worker runs it from its source: under steady writes the WAL starts again from its beginning, and nothing fails', async () => {
  const { db } = tempDb();
  const errors: string[] = [];
  const checkpointer = new BackgroundCheckpointer(db, 20, (message) => errors.push(message));
  cleanups.push(() => checkpointer.stop());
  const storage = new SqliteDocStorage(db);
  const writer = setInterval(() => storage.append('room', update), 1);
  storage.append('room', update);
  const salts = new Set([walSalts(db)]);
  const watcher = setInterval(() => salts.add(walSalts(db)), 10);
  cleanups.push(() => clearInterval(writer), () => clearInterval(watcher));
  await expect.poll(() => salts.size, { timeout: 20_000, interval: 50 }).toBeGreaterThanOrEqual(4);
  expect(errors).toEqual([]);
}, 30_000);
