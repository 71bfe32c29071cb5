/** A DocStorage in memory, for tests and as the reference for the contract suite. */
import { storedDoc, type DocStorage, type StoredDoc } from './types.ts';

interface Entry {
  seq: number;
  data: Uint8Array;
}

export class MemoryDocStorage implements DocStorage {
  private readonly logs = new Map<string, Entry[]>();
  private seq = 0;

  load(room: string): StoredDoc | null {
    return storedDoc(this.logs.get(room) ?? []);
  }

  loadSince(room: string, seq: number): StoredDoc | null {
    return storedDoc((this.logs.get(room) ?? []).filter((e) => e.seq > seq));
  }

  append(room: string, update: Uint8Array): number {
    const log = this.logs.get(room) ?? [];
    const seq = ++this.seq;
    log.push({ seq, data: update.slice() });
    this.logs.set(room, log);
    return seq;
  }

  /** Several at once, numbered in order (the contract's reference for PostgreSQL's one-statement batch). */
  appendMany(room: string, updates: readonly Uint8Array[]): number[] {
    return updates.map((update) => this.append(room, update));
  }

  compact(room: string, snapshot: Uint8Array, uptoSeq: number): void {
    const log = this.logs.get(room) ?? [];
    const kept = log.filter((e) => e.seq > uptoSeq);
    this.logs.set(room, [{ seq: uptoSeq, data: snapshot.slice() }, ...kept]);
  }

  flush(): void {}
}
