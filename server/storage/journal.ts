/**
 * The SQLite log's journal: an append-only file in which each turn's updates
 * become durable with one `write` (./sqlite.ts). With one writer at a time every
 * update is its own turn, and a SQLite commit per update cost about 90 µs of the
 * event loop (five `pwrite`s, six `fcntl`s and the B-tree, with caches cold from
 * the socket writes around it; docs/performance.md, session 24); a `write` to
 * this file costs a fraction of that. The storage moves what the journal holds
 * into `doc_updates` a moment later, many updates in one transaction, and then
 * empties the file.
 *
 * Durability is the same as the log's: SQLite runs WAL with synchronous=NORMAL,
 * which survives `kill -9` once a commit returned, not a power loss; a `write`
 * that returned is in the operating system's page cache and survives `kill -9`
 * the same way. At start, before anything reads the log, whatever a journal
 * still holds (the process died before moving it) is written into the log:
 * `replayJournals`. A record cut short or damaged (a power loss in the middle of
 * a write) ends what is read of its file: every record has its length and a
 * CRC-32.
 *
 * Record: u32 body length, u32 CRC-32 of the body, then the body: f64 sequence
 * number, u16 room length, the room (UTF-8), the update. Little-endian.
 *
 * Each storage of a process writes its own file in `<dataDir>/journal/`
 * (tests run two in-process servers on one directory), and only the first
 * opening of the directory in a process replays (../dataDirLock.ts: one process
 * per directory).
 */
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Db } from '../db.ts';

export interface JournalEntry {
  room: string;
  seq: number;
  data: Uint8Array;
}

const HEADER = 8;
const FIXED = 10;

/** The records of `entries`, in order, in one buffer (one `write`). */
export function encodeEntries(entries: readonly JournalEntry[]): Buffer {
  const rooms = entries.map((e) => Buffer.from(e.room, 'utf8'));
  let size = 0;
  for (let i = 0; i < entries.length; i++) {
    if (rooms[i].length > 0xffff) throw new Error(`A room id of ${rooms[i].length} bytes does not fit the journal.`);
    size += HEADER + FIXED + rooms[i].length + entries[i].data.byteLength;
  }
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  for (let i = 0; i < entries.length; i++) {
    const room = rooms[i];
    const body = at + HEADER;
    const length = FIXED + room.length + entries[i].data.byteLength;
    buf.writeDoubleLE(entries[i].seq, body);
    buf.writeUInt16LE(room.length, body + 8);
    room.copy(buf, body + FIXED);
    buf.set(entries[i].data, body + FIXED + room.length);
    buf.writeUInt32LE(length, at);
    buf.writeUInt32LE(crc32(buf.subarray(body, body + length)), at + 4);
    at = body + length;
  }
  return buf;
}

/** The whole records of `buf`, in order, up to the first one cut short or damaged (`torn` then says how many bytes are left unread). */
export function decodeEntries(buf: Buffer): { entries: JournalEntry[]; torn: number } {
  const entries: JournalEntry[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < HEADER) break;
    const length = buf.readUInt32LE(at);
    const body = at + HEADER;
    if (length < FIXED || body + length > buf.length) break;
    const record = buf.subarray(body, body + length);
    if (crc32(record) !== buf.readUInt32LE(at + 4)) break;
    const roomLength = record.readUInt16LE(8);
    if (FIXED + roomLength > length) break;
    entries.push({
      seq: record.readDoubleLE(0),
      room: record.toString('utf8', FIXED, FIXED + roomLength),
      data: record.subarray(FIXED + roomLength),
    });
    at = body + length;
  }
  return { entries, torn: buf.length - at };
}

/** One storage's journal file, opened for appending (created when missing). */
export class Journal {
  private fd: number | null;

  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /** Writes the records of `entries` with one `write` (more only if the system writes less); durable against `kill -9` once it returns. */
  write(entries: readonly JournalEntry[]): void {
    const buf = encodeEntries(entries);
    const fd = this.open();
    let done = 0;
    while (done < buf.length) done += writeSync(fd, buf, done);
  }

  /** Empties the file: everything it held is in the log now. Appends go on from its start. */
  clear(): void {
    ftruncateSync(this.open(), 0);
  }

  /** Closes the file, and deletes it when `remove` (everything it held is in the log). */
  close(remove: boolean): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
    if (remove) unlinkSync(this.path);
  }

  private open(): number {
    if (this.fd === null) throw new Error(`The journal ${this.path} is closed.`);
    return this.fd;
  }
}

/** The folder of a data directory's journals. */
export function journalDir(dataDir: string): string {
  return join(dataDir, 'journal');
}

let opened = 0;

/** A new journal file for one storage of this process in `dataDir`'s journal folder. */
export function openJournal(dataDir: string): Journal {
  const dir = journalDir(dataDir);
  mkdirSync(dir, { recursive: true });
  return new Journal(join(dir, `${process.pid}-${++opened}-${Date.now()}.log`));
}

export interface Replayed {
  /** Entries written into the log (those already there are left as they are). */
  entries: number;
  /** Files whose end was cut short or damaged, with the bytes left unread. */
  torn: { file: string; bytes: number }[];
}

/**
 * Writes every entry that the journals of `dataDir` hold into `db`'s log (one
 * transaction; an entry whose number the log already has is left out: it was
 * moved before the process died), then deletes the files. Run by whoever holds
 * the directory first, before anything reads the log.
 */
export function replayJournals(db: Db, dataDir: string): Replayed {
  const dir = journalDir(dataDir);
  if (!existsSync(dir)) return { entries: 0, torn: [] };
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.log'))
    .sort()
    .map((name) => join(dir, name));
  const insert = db.prepare<[string, number, Buffer]>('INSERT OR IGNORE INTO doc_updates (room, seq, data) VALUES (?, ?, ?)');
  const torn: Replayed['torn'] = [];
  let entries = 0;
  db.transaction(() => {
    for (const file of files) {
      const read = decodeEntries(readFileSync(file));
      if (read.torn > 0) torn.push({ file, bytes: read.torn });
      for (const e of read.entries) entries += insert.run(e.room, e.seq, Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength)).changes;
    }
  })();
  for (const file of files) unlinkSync(file);
  return { entries, torn };
}
