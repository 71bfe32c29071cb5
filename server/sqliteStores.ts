/**
 * Every store of one server in the one SQLite file `convene.db` of the data
 * directory (the default; `Stores` of server/stores.ts): opened (and migrated)
 * together, with the worker that takes WAL checkpoints off the event loop, and
 * closed together.
 */
import { mkdirSync } from 'node:fs';
import { openDb, type Db } from './db.ts';
import { lockDataDir } from './dataDirLock.ts';
import { SqliteInitiativeStore } from './store.ts';
import { SqlitePeopleStore } from './people/sqlite.ts';
import { SqliteDocStorage } from './storage/sqlite.ts';
import { BackgroundCheckpointer } from './storage/checkpointer.ts';
import { endOfTurn } from './storage/groupCommit.ts';
import { openJournal, replayJournals, type Replayed } from './storage/journal.ts';
import { SqliteWorkshopStore } from './workshops/sqlite.ts';
import { SqliteMeasureStore } from './measures/sqlite.ts';
import { SqliteVersionStore } from './framework/sqlite.ts';
import { SqliteStatusStore } from './portfolio/sqlite.ts';
import type { Stores } from './stores.ts';

/**
 * Opens `convene.db` in `dataDir` (creating both when needed), once this process
 * holds the directory: another process that holds it makes this throw
 * DataDirInUseError (./dataDirLock.ts); closing lets it go. `clock` (ms) is
 * the time expiries, audit entries and workshop records go by; a failed WAL
 * checkpoint is told to `onCheckpointError` (the data stays safe: the next one retries).
 */
export function openSqliteStores(
  dataDir: string,
  clock: () => number = Date.now,
  onCheckpointError: (message: string) => void = () => {},
  onReplayed: (replayed: Replayed) => void = () => {},
): Stores {
  mkdirSync(dataDir, { recursive: true });
  const dirLock = lockDataDir(dataDir);
  let db: Db | undefined;
  let docs: SqliteDocStorage;
  try {
    db = openDb(dataDir, clock());
    // What a process that died left in its journal goes into the log before anything reads it.
    if (dirLock.first) onReplayed(replayJournals(db, dataDir));
    // The updates of one event-loop turn durable with one write to a journal, relayed once written,
    // and moved into the log many at a time (./storage/journal.ts).
    docs = new SqliteDocStorage(db, { groupCommit: endOfTurn, journal: openJournal(dataDir) });
  } catch (error) {
    db?.close();
    dirLock.release();
    throw error;
  }
  // WAL checkpoints (and their fsync) happen in a worker, never inside an append.
  const checkpointer = new BackgroundCheckpointer(db, 1000, onCheckpointError);
  let closed: Promise<void> | undefined;
  return {
    initiatives: new SqliteInitiativeStore(db, clock),
    people: new SqlitePeopleStore(db, clock),
    docs,
    workshops: new SqliteWorkshopStore(db, clock),
    measures: new SqliteMeasureStore(db),
    versions: new SqliteVersionStore(db),
    statuses: new SqliteStatusStore(db),
    ping: async () => {
      try {
        return db.open && db.prepare('SELECT 1 AS one').get() !== undefined;
      } catch {
        return false;
      }
    },
    close: () =>
      (closed ??= checkpointer.stop().finally(() => {
        // The directory is let go even when the checkpointer or the close failed.
        try {
          try {
            docs.flush();
          } finally {
            // Deleted when everything is in the log; else the next start replays it.
            docs.closeJournal();
          }
        } catch {
          // The journal is left for the next start (the storage's failure was told to its listeners).
        }
        try {
          db.close();
        } finally {
          dirLock.release();
        }
      })),
  };
}
