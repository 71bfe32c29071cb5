/**
 * A DocStorage on the server's SQLite database (WAL mode, see ../db.ts): one row
 * per update in `doc_updates`, keyed (room, seq) WITHOUT ROWID, so an append
 * writes one B-tree (docs/performance.md, session 22). WAL with synchronous=NORMAL survives `kill -9`
 * once a transaction has committed (only a power loss can drop the last ones).
 *
 * Two ways to append:
 * - plain (`new SqliteDocStorage(db)`): `append` is one INSERT, its own
 *   transaction, durable when it returns;
 * - group commit (`{ groupCommit: endOfTurn }`, what the server runs): `append`
 *   numbers the update and keeps it; every update of the event-loop turn is
 *   written in one transaction at the end of the turn, before any byte the sync
 *   endpoint sent in that turn leaves the process (./groupCommit.ts). Whoever
 *   reads or compacts the log first commits what is kept, so every read sees
 *   every append. A failed commit loses only that turn's updates, which no
 *   client received (their sockets are destroyed); the storage then answers
 *   the error to every call, so the rooms close with "Storage failure".
 *
 * Each room numbers its entries on from its largest number: 1, 2, 3… in a new
 * room. A log written before the (room, seq) table kept numbers shared by all
 * rooms, so an old room's numbers have gaps up to its last old entry (with a
 * fanout on SQLite a gap costs one `loadSince`, which still converges,
 * docs/sync.md). A number is never used twice in a room: the only deletion,
 * compaction, keeps the number of the last entry it replaces on its snapshot, so
 * a room's largest number never goes down. With group commit this storage
 * numbers the updates itself (from each room's largest number, read at its
 * first append, and again after the room was unloaded: `forget`), so one process
 * alone may append to the file (../dataDirLock.ts refuses a second); several
 * processes share PostgreSQL.
 */
import type { Statement, Transaction } from 'better-sqlite3';
import type { Db } from '../db.ts';
import type { TurnEnd } from './groupCommit.ts';
import { storedDoc, type DocStorage, type StoredDoc } from './types.ts';

export interface SqliteDocStorageOptions {
  /** Append by group commit at the end of each turn of this TurnEnd. */
  groupCommit?: TurnEnd;
}

export class SqliteDocStorage implements DocStorage {
  private readonly selectLog: Statement<[string], { seq: number; data: Buffer }>;
  private readonly selectSince: Statement<[string, number], { seq: number; data: Buffer }>;
  private readonly insert: Statement<[string, Buffer, string], { seq: number }>;
  private readonly lastSeq: Statement<[string], { seq: number | null }>;
  private readonly deleteUpTo: Statement<[string, number]>;
  private readonly insertAt: Statement<[number, string, Buffer]>;
  private readonly writeKept: Transaction<(kept: Kept[]) => void>;
  /** Updates appended by group commit and not yet written, in order; null when none. */
  private kept: Kept[] | null = null;
  /**
   * The number each room's next kept update gets (group commit only), from the
   * room's first append until it is unloaded (`forget`). A room without one has
   * no kept update either, so the log's largest number is its last.
   */
  private readonly nextSeq = new Map<string, number>();
  /** A group commit failed: every call answers this. */
  private broken: { error: unknown } | null = null;
  private readonly brokenListeners: ((error: unknown) => void)[] = [];

  constructor(
    private readonly db: Db,
    private readonly options: SqliteDocStorageOptions = {},
  ) {
    this.selectLog = db.prepare('SELECT seq, data FROM doc_updates WHERE room = ? ORDER BY seq');
    this.selectSince = db.prepare('SELECT seq, data FROM doc_updates WHERE room = ? AND seq > ? ORDER BY seq');
    this.insert = db.prepare(
      'INSERT INTO doc_updates (room, seq, data) SELECT ?, coalesce(max(seq), 0) + 1, ? FROM doc_updates WHERE room = ? RETURNING seq',
    );
    this.lastSeq = db.prepare('SELECT max(seq) AS seq FROM doc_updates WHERE room = ?');
    this.deleteUpTo = db.prepare('DELETE FROM doc_updates WHERE room = ? AND seq <= ?');
    this.insertAt = db.prepare('INSERT INTO doc_updates (seq, room, data) VALUES (?, ?, ?)');
    this.writeKept = db.transaction((kept: Kept[]) => {
      for (const k of kept) this.insertAt.run(k.seq, k.room, k.data);
    });
  }

  load(room: string): StoredDoc | null {
    this.commitKept();
    return storedDoc(this.selectLog.all(room));
  }

  loadSince(room: string, seq: number): StoredDoc | null {
    this.commitKept();
    return storedDoc(this.selectSince.all(room, seq));
  }

  append(room: string, update: Uint8Array): number {
    const data = Buffer.from(update.buffer, update.byteOffset, update.byteLength);
    const turn = this.options.groupCommit;
    if (!turn) return this.insert.get(room, data, room)!.seq;
    if (this.broken) throw this.broken.error;
    const seq = this.nextSeq.get(room) ?? (this.lastSeq.get(room)!.seq ?? 0) + 1;
    this.nextSeq.set(room, seq + 1);
    if (this.kept === null) {
      this.kept = [];
      turn.commit(() => this.commitKept());
    }
    this.kept.push({ seq, room, data });
    return seq;
  }

  compact(room: string, snapshot: Uint8Array, uptoSeq: number): void {
    this.commitKept();
    // The snapshot takes the number of the last entry it replaces, so entries
    // appended meanwhile keep sorting after it and a later compaction covers it.
    this.db.transaction(() => {
      this.deleteUpTo.run(room, uptoSeq);
      this.insertAt.run(uptoSeq, room, Buffer.from(snapshot));
    })();
  }

  forget(room: string): void {
    if (!this.nextSeq.has(room)) return;
    // Its kept updates have numbers the table does not show yet: written first, so its next append reads past them.
    if (!this.broken && this.kept?.some((k) => k.room === room)) {
      try {
        this.commitKept();
      } catch {
        // The storage is broken now (its listeners were told) and refuses every append: nothing can reuse the number.
      }
    }
    this.nextSeq.delete(room);
  }

  /** How many rooms' next numbers this storage keeps in memory (rooms that appended and were not unloaded since). */
  get numberedRooms(): number {
    return this.nextSeq.size;
  }

  onBroken(listener: (error: unknown) => void): void {
    if (this.broken) listener(this.broken.error);
    else this.brokenListeners.push(listener);
  }

  flush(): void {
    // After a failed commit nothing is kept (that turn's updates reached no one, later appends were refused): closing goes on.
    if (!this.broken) this.commitKept();
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** Writes the kept updates in one transaction (nothing when none); a failure breaks the storage and is thrown. */
  private commitKept(): void {
    if (this.broken) throw this.broken.error;
    const kept = this.kept;
    if (kept === null) return;
    this.kept = null;
    try {
      // One update (a turn of a single writer): its INSERT is its own transaction, without BEGIN and COMMIT.
      if (kept.length === 1) this.insertAt.run(kept[0].seq, kept[0].room, kept[0].data);
      else this.writeKept(kept);
    } catch (error) {
      this.broken = { error };
      for (const listener of this.brokenListeners) listener(error);
      throw error;
    }
  }
}

interface Kept {
  seq: number;
  room: string;
  data: Buffer;
}
