/**
 * Keeps loaded rooms: loads on first use (once, however many connections ask at
 * the same time), unloads a while after the last peer leaves, once its storage
 * work is done.
 */
import type { DocStorage } from '../storage/types.ts';
import { Room, type RoomOptions } from './room.ts';

/** How long an empty room stays loaded, by default (ms). */
export const DEFAULT_UNLOAD_DELAY_MS = 30_000;

interface Entry {
  loading: Promise<Room>;
  room?: Room;
  /** Connections that asked for the room and have not joined (or given up) yet. */
  claims: number;
  timer?: NodeJS.Timeout;
}

export class Rooms {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly storage: DocStorage,
    private readonly unloadDelayMs = DEFAULT_UNLOAD_DELAY_MS,
    private readonly roomOptions: RoomOptions = {},
  ) {}

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
      const created: Entry = { claims: 0, loading: Room.load(name, this.storage, this.roomOptions) };
      created.loading.then(
        (room) => (created.room = room),
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
