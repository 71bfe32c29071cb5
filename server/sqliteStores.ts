/**
 * Every store of one server in the one SQLite file `convene.db` of the data
 * directory (the default; `Stores` of server/stores.ts): opened (and migrated)
 * together, with the worker that takes WAL checkpoints off the event loop, and
 * closed together.
 */
import { mkdirSync } from 'node:fs';
import { openHeldDb } from './dataDirLock.ts';
import { SqliteInitiativeStore } from './store.ts';
import { SqlitePeopleStore } from './people/sqlite.ts';
import { SqliteDocStorage } from './storage/sqlite.ts';
import { BackgroundCheckpointer } from './storage/checkpointer.ts';
import { endOfTurn } from './storage/groupCommit.ts';
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
): Stores {
  mkdirSync(dataDir, { recursive: true });
  const held = openHeldDb(dataDir, clock());
  const { db } = held;
  // WAL checkpoints (and their fsync) happen in a worker, never inside an append.
  const checkpointer = new BackgroundCheckpointer(db, 1000, onCheckpointError);
  let closed: Promise<void> | undefined;
  return {
    initiatives: new SqliteInitiativeStore(db, clock),
    people: new SqlitePeopleStore(db, clock),
    // The updates of one event-loop turn in one transaction, relayed once it committed.
    docs: new SqliteDocStorage(db, { groupCommit: endOfTurn }),
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
      // The directory is let go even when the checkpointer or the close failed.
      (closed ??= checkpointer.stop().finally(() => held.release())),
  };
}
