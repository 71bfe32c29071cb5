/**
 * The background checkpointer (server/storage/checkpointer.ts) on a real SQLite
 * file, with a real worker thread: under steady writes the WAL is still started
 * again from its beginning, so it stays small, rather than growing by every
 * commit for as long as the writes go on.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDb, type Db } from '../../server/db.ts';
import { BackgroundCheckpointer } from '../../server/storage/checkpointer.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'convene-checkpoint-'));
  const db = openDb(dir);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }), () => void (db.open && db.close()));
  return db;
}

it('keeps the WAL small under steady writes: the file starts again from its beginning, not growing by every commit', async () => {
  const db = tempDb();
  const errors: string[] = [];
  const checkpointer = new BackgroundCheckpointer(db, 20, (message) => errors.push(message));
  cleanups.push(() => checkpointer.stop());
  const storage = new SqliteDocStorage(db);
  const update = new Uint8Array(64).fill(7);
  const COMMITS = 1200;
  let written = 0;
  // One commit per millisecond or so, as one writer at a time does: the worker checkpoints while they go on.
  const writer = setInterval(() => storage.append('room', update), 1);
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM doc_updates');
  const counted = setInterval(() => (written = count.get()!.n), 50);
  cleanups.push(() => clearInterval(writer), () => clearInterval(counted));
  await expect.poll(() => written, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(COMMITS);
  clearInterval(writer);
  // Each commit adds at least one 4 KB page to the WAL: without a restart it would hold them all.
  const walBytes = statSync(`${db.name}-wal`).size;
  expect(walBytes).toBeLessThan((written * 4096) / 4);
  expect(errors).toEqual([]);
}, 40_000);
