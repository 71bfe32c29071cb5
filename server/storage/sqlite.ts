/**
 * A DocStorage on the server's SQLite database (WAL mode, see ../db.ts): one row
 * per update in `doc_updates`. `append` is a synchronous INSERT, durable against
 * a process crash when it returns (WAL with synchronous=NORMAL survives `kill -9`;
 * only a power loss can drop the last transactions).
 *
 * Sequence numbers are the table's one AUTOINCREMENT: they increase in each
 * room but are shared by all rooms, so a room's numbers have gaps (1, 2, 5…).
 * Several processes need numbers without gaps per room (a gap is how a
 * process learns it missed an update): that is PostgreSQL's storage. With a
 * fanout on SQLite every gap is taken for a missed update and costs one
 * `loadSince`, which still converges (docs/sync.md).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db.ts';
import { storedDoc, type DocStorage, type StoredDoc } from './types.ts';

export class SqliteDocStorage implements DocStorage {
  private readonly selectLog: Statement<[string], { seq: number; data: Buffer }>;
  private readonly selectSince: Statement<[string, number], { seq: number; data: Buffer }>;
  private readonly insert: Statement<[string, Buffer]>;
  private readonly deleteUpTo: Statement<[string, number]>;
  private readonly insertAt: Statement<[number, string, Buffer]>;

  constructor(private readonly db: Db) {
    this.selectLog = db.prepare('SELECT seq, data FROM doc_updates WHERE room = ? ORDER BY seq');
    this.selectSince = db.prepare('SELECT seq, data FROM doc_updates WHERE room = ? AND seq > ? ORDER BY seq');
    this.insert = db.prepare('INSERT INTO doc_updates (room, data) VALUES (?, ?)');
    this.deleteUpTo = db.prepare('DELETE FROM doc_updates WHERE room = ? AND seq <= ?');
    this.insertAt = db.prepare('INSERT INTO doc_updates (seq, room, data) VALUES (?, ?, ?)');
  }

  load(room: string): StoredDoc | null {
    return storedDoc(this.selectLog.all(room));
  }

  loadSince(room: string, seq: number): StoredDoc | null {
    return storedDoc(this.selectSince.all(room, seq));
  }

  append(room: string, update: Uint8Array): number {
    return Number(this.insert.run(room, Buffer.from(update.buffer, update.byteOffset, update.byteLength)).lastInsertRowid);
  }

  compact(room: string, snapshot: Uint8Array, uptoSeq: number): void {
    // The snapshot takes the number of the last entry it replaces, so entries
    // appended meanwhile keep sorting after it and a later compaction covers it.
    this.db.transaction(() => {
      this.deleteUpTo.run(room, uptoSeq);
      this.insertAt.run(uptoSeq, room, Buffer.from(snapshot));
    })();
  }

  flush(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }
}
