/** Keeps loaded rooms; loads on first use, unloads a while after the last peer leaves. */
import type { DocStorage } from '../docStorage.ts';
import { Room } from './room.ts';

export class Rooms {
  private readonly loaded = new Map<string, Room>();
  private readonly unloadTimers = new Map<string, NodeJS.Timeout>();
  private readonly listeners = new Set<(room: Room) => void>();

  constructor(
    private readonly storage: DocStorage,
    private readonly unloadDelayMs = 30_000,
  ) {}

  /** The room `name`, loading its stored document first when it is not loaded. */
  open(name: string): Room {
    this.cancelUnload(name);
    let room = this.loaded.get(name);
    if (!room) {
      room = new Room(name, this.storage);
      this.loaded.set(name, room);
      for (const listener of this.listeners) listener(room);
    }
    return room;
  }

  /** Calls `listener` with every room loaded from now on. */
  onLoad(listener: (room: Room) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  isLoaded(name: string): boolean {
    return this.loaded.has(name);
  }

  /** Call when a peer has left `room`; unloads it after the delay if nobody came back. */
  release(room: Room): void {
    if (room.size > 0 || this.loaded.get(room.name) !== room) return;
    this.cancelUnload(room.name);
    const unload = () => {
      this.unloadTimers.delete(room.name);
      if (room.size === 0 && this.loaded.get(room.name) === room) {
        this.loaded.delete(room.name);
        room.destroy();
      }
    };
    if (this.unloadDelayMs <= 0) unload();
    else this.unloadTimers.set(room.name, setTimeout(unload, this.unloadDelayMs).unref());
  }

  private cancelUnload(name: string): void {
    const timer = this.unloadTimers.get(name);
    if (timer) clearTimeout(timer);
    this.unloadTimers.delete(name);
  }

  closeAll(): void {
    for (const timer of this.unloadTimers.values()) clearTimeout(timer);
    this.unloadTimers.clear();
    for (const room of this.loaded.values()) room.destroy();
    this.loaded.clear();
  }
}
