/**
 * Where shared documents live: an append-only log of Yjs updates per room.
 * `append` is synchronous and durable when it returns, so the room can store an
 * update before relaying it to anyone.
 */
import * as Y from 'yjs';
import type { Db } from './db.ts';

export interface DocStorage {
  /** Every stored update of `room`, merged into one, or null when there is none. */
  load(room: string): Uint8Array | null;
  append(room: string, update: Uint8Array): void;
}

/** Past this many log entries, loading a room rewrites its log as one merged update. */
export const COMPACT_AFTER = 500;

export class SqliteDocStorage implements DocStorage {
  constructor(
    private readonly db: Db,
    private readonly compactAfter = COMPACT_AFTER,
  ) {}

  load(room: string): Uint8Array | null {
    const rows = this.db.prepare('SELECT seq, data FROM doc_updates WHERE room = ? ORDER BY seq').all(room) as {
      seq: number;
      data: Buffer;
    }[];
    if (rows.length === 0) return null;
    const merged = rows.length === 1 ? new Uint8Array(rows[0].data) : Y.mergeUpdates(rows.map((r) => new Uint8Array(r.data)));
    if (rows.length > this.compactAfter) {
      const last = rows[rows.length - 1].seq;
      this.db.transaction(() => {
        this.db.prepare('DELETE FROM doc_updates WHERE room = ? AND seq <= ?').run(room, last);
        this.db.prepare('INSERT INTO doc_updates (room, data) VALUES (?, ?)').run(room, Buffer.from(merged));
      })();
    }
    return merged;
  }

  append(room: string, update: Uint8Array): void {
    this.db.prepare('INSERT INTO doc_updates (room, data) VALUES (?, ?)').run(room, Buffer.from(update));
  }
}

export class MemoryDocStorage implements DocStorage {
  private readonly logs = new Map<string, Uint8Array[]>();

  load(room: string): Uint8Array | null {
    const log = this.logs.get(room);
    return log && log.length ? Y.mergeUpdates(log) : null;
  }

  append(room: string, update: Uint8Array): void {
    const log = this.logs.get(room) ?? [];
    log.push(update.slice());
    this.logs.set(room, log);
  }
}
