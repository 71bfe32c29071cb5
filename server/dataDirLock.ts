/**
 * One process owns a SQLite data directory (docs/deploy.md). The log numbers each
 * room's appends from a count it keeps in memory (./storage/sqlite.ts), and the
 * workflow and workshop decisions are serialised in memory (./lock.ts): a second
 * process on the same `convene.db` would reuse numbers and decide beside the
 * first, silently. So the server holds a lock on the directory from before it
 * opens `convene.db` until it closes, and a second process is refused with a
 * sentence that says who holds it.
 *
 * The lock is SQLite's own, on a small database `convene.lock` beside
 * `convene.db`: a write transaction begun (BEGIN IMMEDIATE, a RESERVED lock) and
 * never committed. Another process's BEGIN IMMEDIATE fails at once with
 * SQLITE_BUSY, while it can still read the holder's pid, written (and committed)
 * just before. The operating system drops the lock with the process however it
 * ends (kill -9 included), so a stale file never blocks a restart; nothing is
 * ever written inside the held transaction, so there is no journal to roll back.
 * `convene.db` itself stays in normal locking mode: the checkpointer's worker
 * has its own connection to it (./storage/checkpointer.ts).
 *
 * Within one process a second opening of the same directory shares the hold
 * (counted, released with the last): tests stand a second in-process server on
 * one file in for a shared database. SQLite's locks are per process, so only
 * processes are told apart; that is what the lock is for.
 */
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { openDb, type Db } from './db.ts';

/** The refusal: another process holds the data directory. Its message is the sentence to print. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; host: string } | null,
  ) {
    const who = holder ? ` (pid ${holder.pid} on ${holder.host})` : '';
    super(
      `The data directory ${dataDir} is held by another Convene process${who}: one data directory serves one process, ` +
        `so this one does not start. Stop the other process first, or give this one another DATA_DIR; ` +
        `to run several processes on the same data, set DATABASE_URL and REDIS_URL (docs/deploy.md).`,
    );
    this.name = 'DataDirInUseError';
  }
}

/** The lock file could not be used at all (not a database, or not writable): startup stops with this sentence. */
export class DataDirLockError extends Error {
  constructor(file: string, cause: unknown) {
    super(
      `The lock file ${file} could not be used (${cause instanceof Error ? cause.message : String(cause)}): ` +
        `check that the data directory and this file belong to the user that runs Convene and are writable, ` +
        `or delete the file while no Convene process runs on this directory.`,
      { cause },
    );
    this.name = 'DataDirLockError';
  }
}

export interface DataDirLock {
  /** Lets the directory go (the last release of this process's hold closes the lock database). */
  release(): void;
}

interface Hold {
  db: Database.Database;
  count: number;
}

/** This process's holds, by absolute directory. */
const holds = new Map<string, Hold>();

/** Takes `dataDir` (which must exist) for this process, or throws DataDirInUseError when another process holds it. */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  let hold = holds.get(dir);
  if (!hold) {
    hold = { db: acquire(dir), count: 0 };
    holds.set(dir, hold);
  }
  hold.count++;
  const held = hold;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      if (--held.count > 0) return;
      holds.delete(dir);
      held.db.close();
    },
  };
}

/**
 * Takes `dataDir` for this process (throws DataDirInUseError when another process
 * holds it), then opens and migrates its `convene.db` (`now`: as `openDb`'s);
 * `release` closes the database and lets the directory go, even when the close
 * fails. Nothing is held when this throws.
 */
export function openHeldDb(dataDir: string, now?: number): { db: Db; release(): void } {
  const lock = lockDataDir(dataDir);
  let db: Db;
  try {
    db = openDb(dataDir, now);
  } catch (error) {
    lock.release();
    throw error;
  }
  return {
    db,
    release() {
      try {
        db.close();
      } finally {
        lock.release();
      }
    },
  };
}

function acquire(dir: string): Database.Database {
  // No busy wait: a holder keeps the lock for its whole life, so waiting would only delay the refusal.
  const file = join(dir, 'convene.lock');
  let db: Database.Database;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw new DataDirLockError(file, error);
  }
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    const holder = busy(error) ? readHolder(db) : undefined;
    db.close();
    if (holder === undefined) throw new DataDirLockError(file, error);
    throw new DataDirInUseError(dir, holder);
  }
  try {
    // Its COMMIT waits out a refused process reading the holder at that moment (a read takes microseconds).
    db.pragma('busy_timeout = 2000');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER NOT NULL, host TEXT NOT NULL, since TEXT NOT NULL)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder (pid, host, since) VALUES (?, ?, ?)').run(process.pid, hostname(), new Date().toISOString());
    db.exec('COMMIT');
    db.pragma('busy_timeout = 0');
    // Held from here on. Between the COMMIT and this BEGIN another process may take it: then it is the owner and this one is refused.
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    const holder = busy(error) ? readHolder(db) : undefined;
    if (db.inTransaction) db.exec('ROLLBACK');
    db.close();
    if (holder === undefined) throw new DataDirLockError(file, error);
    throw new DataDirInUseError(dir, holder);
  }
  return db;
}

function busy(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'SQLITE_BUSY';
}

/** The holder's pid and host as it wrote them, or null when they cannot be read (an older lock file, a holder writing them right now). */
function readHolder(db: Database.Database): { pid: number; host: string } | null {
  try {
    const holder = db.prepare<[], { pid: number; host: string }>('SELECT pid, host FROM holder').get() ?? null;
    // Read in the moment between its own COMMIT and BEGIN: this process's own row, which names no one else.
    return holder && holder.pid === process.pid && holder.host === hostname() ? null : holder;
  } catch {
    return null;
  }
}
