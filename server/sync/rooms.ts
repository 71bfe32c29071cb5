/**
 * Keeps loaded rooms: loads on first use (once, however many connections ask at
 * the same time), unloads a while after the last peer leaves, once its storage
 * work is done. Code that is not a sync connection borrows a room's document
 * with `withDoc`, and hears of its changes with `watch`.
 */
import type * as Y from 'yjs';
import { HttpError } from '../http/http.ts';
import { DATABASE_UNREACHABLE, isDatabaseUnreachable } from '../storage/outage.ts';
import { endOfTurn } from '../storage/groupCommit.ts';
import type { DocStorage } from '../storage/types.ts';
import { fromAnotherProcess, Room, type RoomOptions } from './room.ts';

/** How long an empty room stays loaded, by default (ms). */
export const DEFAULT_UNLOAD_DELAY_MS = 30_000;

interface Entry {
  loading: Promise<Room>;
  room?: Room;
  /** Connections that asked for the room and have not joined (or given up) yet. */
  claims: number;
  timer?: NodeJS.Timeout;
  /** Stops telling the room's watchers of its document changes. */
  unwatch?: () => void;
}

/**
 * Work on a room just loaded, before anyone is answered from it: no connection
 * joins and no `withDoc` runs until it is done (the migration of old
 * documents' values, server/measures/migrate.ts). When it fails, the room is
 * not loaded and the next `open` tries again.
 */
export type OnRoomLoad = (name: string, room: Room) => Promise<void>;

/**
 * A change of a loaded room's document as `onAnyChange` tells it (with other
 * processes; without, `seq` is null and `elsewhere` false).
 */
export interface DocChange {
  /** Another process's entry (or what it released of a client's update held back here). */
  elsewhere: boolean;
  /**
   * Another process's: the number up to which this process then holds the log
   * in order, that entry included once no gap precedes it. Ours: one past the
   * number held when it was made, which its entry's number is at least (the
   * storage numbers it later).
   */
  seq: number | null;
}

/** What the routes and the workflow runner need of the rooms (tests may pass their own). */
export interface RoomDocs {
  withDoc<T>(name: string, use: (doc: Y.Doc) => T | Promise<T>): Promise<T>;
  watch(name: string, onChange: () => void): () => void;
}

export class Rooms implements RoomDocs {
  private readonly entries = new Map<string, Entry>();
  private readonly watchers = new Map<string, Set<() => void>>();
  /** Told of every loaded room's document changes, by room name (the portfolio's figures). */
  private readonly anyWatchers = new Set<(name: string, change: DocChange) => void>();

  constructor(
    private readonly storage: DocStorage,
    private readonly unloadDelayMs = DEFAULT_UNLOAD_DELAY_MS,
    private readonly roomOptions: RoomOptions = {},
    private readonly onLoad?: OnRoomLoad,
  ) {
    // Appends already answered were lost: no loaded room may serve its document any more.
    storage.onBroken?.((error) => {
      for (const entry of this.entries.values()) entry.room?.storageLost(error);
    });
  }

  private async load(name: string): Promise<Room> {
    const room = await Room.load(name, this.storage, this.roomOptions);
    if (!this.onLoad) return room;
    try {
      await this.onLoad(name, room);
    } catch (error) {
      // Wait for what the hook wrote to be durable before letting the room go.
      await room.idle().catch(() => undefined);
      room.destroy();
      throw error;
    }
    return room;
  }

  /**
   * The room `name`, loading its stored document first when it is not loaded.
   * The caller then either joins it or calls `abandon`; until then it stays loaded.
   */
  open(name: string): Promise<Room> {
    let entry = this.entries.get(name);
    if (entry?.room?.failed) {
      this.drop(name, entry);
      entry = undefined;
    }
    if (!entry) {
      const created: Entry = { claims: 0, loading: this.load(name) };
      created.loading.then(
        (room) => {
          created.room = room;
          // A room whose storage failed holds updates that never became durable: the next open loads it again.
          room.onFailed(() => this.entries.get(name) === created && this.drop(name, created));
          if (this.watchers.has(name)) this.observe(created);
          else if (this.anyWatchers.size > 0) this.observeSoon(created);
        },
        () => this.entries.get(name) === created && this.entries.delete(name),
      );
      this.entries.set(name, created);
      entry = created;
    }
    clearTimeout(entry.timer);
    entry.claims++;
    return entry.loading;
  }

  /** Call after joining a room got from `open`. */
  joined(room: Room): void {
    const entry = this.entries.get(room.name);
    if (entry?.room === room) entry.claims--;
  }

  /** Call instead of joining when the connection went away meanwhile. */
  abandon(room: Room): void {
    this.joined(room);
    this.release(room);
  }

  /**
   * Runs `use` on the live document of room `name`, loading the room first when
   * nobody is connected (it unloads again after its delay; with other processes,
   * bringing it up to date from storage first), and answers once the
   * room's storage writes, `use`'s included, are durable. A room whose storage
   * failed answers 503: the caller may try again once it reloads.
   */
  async withDoc<T>(name: string, use: (doc: Y.Doc) => T | Promise<T>): Promise<T> {
    const room = await this.open(name);
    try {
      if (room.failed) throw unavailable(room);
      // With other processes: what they appended and Redis has not brought yet, before anyone reads.
      await room.catchUp().catch((error: unknown) => {
        throw isDatabaseUnreachable(error) ? new HttpError(503, DATABASE_UNREACHABLE) : unavailable(room);
      });
      const result = await use(room.doc);
      await room.idle();
      // A group-committed log (SQLite) writes at the end of the turn: the answer waits for it.
      const committed = await new Promise<boolean>((resolve) => endOfTurn.hold(resolve));
      if (room.failed || !committed) throw unavailable(room);
      return result;
    } finally {
      this.abandon(room);
    }
  }

  /**
   * Calls `onChange` after every change of room `name`'s document, whoever made
   * it (a sync connection, an import), for as long as the room is loaded or
   * loads again. Answers the function that stops it. Watching builds the
   * document of a loaded room (which a large stored one otherwise defers).
   */
  watch(name: string, onChange: () => void): () => void {
    let set = this.watchers.get(name);
    if (!set) this.watchers.set(name, (set = new Set()));
    set.add(onChange);
    const entry = this.entries.get(name);
    if (entry?.room) this.observe(entry);
    return () => {
      set.delete(onChange);
      if (set.size > 0 || this.watchers.get(name) !== set) return;
      this.watchers.delete(name);
      const current = this.entries.get(name);
      if (this.anyWatchers.size > 0) return;
      current?.unwatch?.();
      if (current) current.unwatch = undefined;
    };
  }

  /**
   * Calls `onChange` with the room's name after every change of any loaded
   * room's document, whoever made it (the portfolio's figures). With other
   * processes, also with the log number the change lies past (`DocChange`);
   * without, every change is this process's and carries none. A large stored
   * document is not built for it before its room would build it anyway
   * (`hydrateAfterMs`).
   */
  onAnyChange(onChange: (name: string, change: DocChange) => void): () => void {
    this.anyWatchers.add(onChange);
    for (const entry of this.entries.values()) this.observeSoon(entry);
    return () => void this.anyWatchers.delete(onChange);
  }

  /**
   * Runs `read` while room `name` stays loaded, with the log number up to which
   * every entry is in its document before `read` reads it (a lower bound of
   * what it reads). Without other processes, `read` runs as it is, with null.
   */
  async readingFrom<T>(name: string, read: (seq: number | null) => Promise<T>): Promise<T> {
    if (!this.roomOptions.link) return read(null);
    const room = await this.open(name);
    try {
      return await read(room.seq);
    } finally {
      this.abandon(room);
    }
  }

  /**
   * Once the appends the room `name` made here so far are durable: the highest log number among them and
   * the entries its document holds. Null when the room is not loaded here (it appended nothing since).
   */
  async appendedThrough(name: string): Promise<number | null> {
    const room = this.entries.get(name)?.room;
    if (!room) return null;
    await room.idle();
    return Math.max(room.seq, room.log.seq);
  }

  private observeSoon(entry: Entry): void {
    if (!entry.room || entry.room.hydrated) return this.observe(entry);
    setTimeout(() => this.entries.get(entry.room!.name) === entry && this.observe(entry), this.roomOptions.hydrateAfterMs ?? 250).unref();
  }

  private observe(entry: Entry): void {
    const room = entry.room;
    if (!room || entry.unwatch || room.failed) return;
    const doc = room.doc;
    const linked = !!this.roomOptions.link;
    let told = false;
    const tell = (change: DocChange) => {
      for (const onChange of [...this.anyWatchers]) onChange(room.name, change);
    };
    const changed = (_update: Uint8Array, origin: unknown) => {
      for (const onChange of [...(this.watchers.get(room.name) ?? [])]) onChange();
      if (this.anyWatchers.size === 0) return;
      if (!linked) return tell({ elsewhere: false, seq: null });
      // Ours: its entry gets a number past every one the document holds now.
      if (!fromAnotherProcess(origin)) return tell({ elsewhere: false, seq: room.seq + 1 });
      // Another process's entry (or what it released here): its number once the link has taken it, just after
      // (once for the entries taken in one go).
      if (told) return;
      told = true;
      queueMicrotask(() => {
        told = false;
        tell({ elsewhere: true, seq: room.seq });
      });
    };
    doc.on('update', changed);
    entry.unwatch = () => doc.off('update', changed);
  }

  get size(): number {
    return this.entries.size;
  }

  isLoaded(name: string): boolean {
    return this.entries.get(name)?.room !== undefined;
  }

  /** Call when a peer has left `room`; unloads it after the delay if nobody came back. */
  release(room: Room): void {
    const entry = this.entries.get(room.name);
    if (!entry || entry.room !== room || room.size > 0 || entry.claims > 0) return;
    clearTimeout(entry.timer);
    const unload = async () => {
      entry.timer = undefined;
      await room.idle();
      if (this.entries.get(room.name) === entry && room.size === 0 && entry.claims === 0 && !entry.timer) {
        this.drop(room.name, entry);
      }
    };
    if (this.unloadDelayMs <= 0) void unload();
    else entry.timer = setTimeout(() => void unload(), this.unloadDelayMs).unref();
  }

  private drop(name: string, entry: Entry): void {
    clearTimeout(entry.timer);
    entry.unwatch?.();
    this.entries.delete(name);
    entry.room?.destroy();
  }

  /** Waits for every room's storage work, then unloads them all. */
  async closeAll(): Promise<void> {
    const entries = [...this.entries.entries()];
    await Promise.all(entries.map(([, e]) => e.loading.then((room) => room.idle()).catch(() => undefined)));
    for (const [name, entry] of entries) this.drop(name, entry);
    await this.storage.flush();
  }
}

const unavailable = (room: Room) =>
  new HttpError(503, room.outage ? DATABASE_UNREACHABLE : 'The initiative’s storage failed; try again in a moment.');
