/**
 * The durable append queue on its own, on real storages (a SQLite file, memory,
 * and the promise-answering wrapper): nothing is handed on before it is durable,
 * order holds across synchronous and asynchronous answers, compaction keeps
 * what was appended meanwhile, and a failure stops everything after it; and
 * batches (what waits behind an append in flight goes in one `appendMany`).
 * Over 400 lines: the batch cases share this file's editor and queue helpers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { openDb, type Db } from '../../server/db.ts';
import { AppendQueue, MAX_BATCH, MAX_BATCH_BYTES, type AppendQueueHooks, type AppendQueueOptions } from '../../server/storage/appendQueue.ts';
import { MemoryDocStorage } from '../../server/storage/memory.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import type { DocStorage } from '../../server/storage/types.ts';
import { AsyncDocStorage } from './sync-helpers.ts';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const fn of cleanup.splice(0)) fn();
});

function sqliteFile(): { db: Db; storage: SqliteDocStorage } {
  const dir = mkdtempSync(join(tmpdir(), 'convene-queue-'));
  const db = openDb(dir);
  cleanup.push(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { db, storage: new SqliteDocStorage(db) };
}

/** A document edited one entry at a time; `updates` are its edits, in order. */
function editor(): { doc: Y.Doc; updates: Uint8Array[]; edit(n: number): Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  let next = 0;
  return {
    doc,
    updates,
    edit: (n) => {
      const from = updates.length;
      for (let i = 0; i < n; i++) doc.getArray<number>('list').push([next++]);
      return updates.slice(from);
    },
  };
}

/** A queue compacting into `doc` (always ready unless `ready` says otherwise), recording its hooks. */
function queueOn(
  storage: DocStorage,
  doc: Y.Doc,
  options: Partial<AppendQueueOptions> & { ready?: () => boolean } = {},
) {
  const events: string[] = [];
  const hooks: AppendQueueHooks = {
    storageWrite: (seconds) => expect(seconds).toBeGreaterThanOrEqual(0),
    compacted: (room, before) => events.push(`compacted ${room} ${before}`),
    compactionFailed: (room, error) => events.push(`compaction failed ${room}: ${(error as Error).message}`),
    failed: (room, error) => events.push(`failed ${room}: ${(error as Error).message}`),
  };
  const queue = new AppendQueue('r', storage, null, {
    compactAfterEntries: 1000,
    compactAfterBytes: 1 << 30,
    source: { ready: options.ready ?? (() => true), snapshot: () => Y.encodeStateAsUpdate(doc) },
    onFailure: (error) => events.push(`onFailure: ${(error as Error).message}`),
    hooks,
    ...options,
  });
  return { queue, events };
}

const list = (update: Uint8Array | undefined) => {
  const doc = new Y.Doc();
  if (update) Y.applyUpdate(doc, update);
  return doc.getArray<number>('list').toArray();
};

describe('append queue', () => {
  it('on a synchronous storage (SQLite file), hands each update on at once, after it is stored', () => {
    const { storage } = sqliteFile();
    const { doc, edit } = editor();
    const { queue } = queueOn(storage, doc);
    const seen: number[][] = [];
    for (const update of edit(3)) {
      // At the moment the update is handed on, the storage holds it.
      queue.append(update, () => seen.push(list(storage.load('r')?.update)));
    }
    // Synchronously: no promise, no waiting.
    expect(seen).toEqual([[0], [0, 1], [0, 1, 2]]);
    expect(queue.log).toEqual({ entries: 3, bytes: storage.load('r')!.bytes, seq: storage.load('r')!.seq });
    let ran = false;
    queue.whenDurable(() => (ran = true));
    expect(ran).toBe(true);
  });

  it('on an asynchronous storage, hands on nothing before it is durable, then everything in order; whenDurable waits behind', async () => {
    const inner = new MemoryDocStorage();
    const storage = new AsyncDocStorage(inner);
    const { doc, edit } = editor();
    const { queue } = queueOn(storage, doc);
    storage.appendGate.close();
    const order: string[] = [];
    const updates = edit(4);
    queue.append(updates[0], () => order.push('relay 0'));
    queue.append(updates[1], () => order.push('relay 1'));
    queue.whenDurable(() => order.push(`reply, stored ${list(inner.load('r')?.update).length}`));
    queue.append(updates[2], () => order.push('relay 2'));
    queue.append(updates[3], () => order.push('relay 3'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    expect(storage.appends).toBe(0);

    storage.appendGate.open();
    await queue.idle();
    expect(order).toEqual(['relay 0', 'relay 1', 'reply, stored 2', 'relay 2', 'relay 3']);
    expect(list((await storage.load('r'))!.update)).toEqual([0, 1, 2, 3]);
    expect(queue.log.entries).toBe(4);
  });

  it('counts the log from what was stored, and compacts past the threshold keeping appends made meanwhile', async () => {
    for (const storage of [sqliteFile().storage, new AsyncDocStorage()]) {
      const { doc, edit } = editor();
      for (const update of edit(6)) await storage.append('r', update);
      const stored = (await storage.load('r'))!;
      const events: string[] = [];
      const queue = new AppendQueue('r', storage, stored, {
        compactAfterEntries: 8,
        compactAfterBytes: 1 << 30,
        source: { ready: () => true, snapshot: () => Y.encodeStateAsUpdate(doc) },
        hooks: { compacted: (room, before) => events.push(`compacted ${room} ${before}`) },
      });
      expect(queue.log).toEqual({ entries: 6, bytes: stored.bytes, seq: stored.seq });
      // Entries 7 and 8 stay under the threshold; the 9th crosses it.
      for (const update of edit(3)) queue.append(update, () => {});
      // More edits arrive before the compaction has run: they are appended behind it and kept.
      for (const update of edit(2)) queue.append(update, () => {});
      await queue.idle();
      expect(events).toEqual([expect.stringMatching(/^compacted r (9|10|11)$/)]);
      const after = (await storage.load('r'))!;
      expect(list(after.update)).toEqual([...Array(11).keys()]);
      expect(after.entries).toBeLessThan(11);
      expect(queue.log.entries).toBe(after.entries);
      expect(queue.log.bytes).toBe(after.bytes);
    }
  });

  it('appends queued behind a running compaction stay entries of their own after the snapshot', async () => {
    const inner = new MemoryDocStorage();
    const storage = new AsyncDocStorage(inner);
    const { doc, edit } = editor();
    const { queue, events } = queueOn(storage, doc, { compactAfterEntries: 3 });
    storage.compactGate.close();
    for (const update of edit(4)) queue.append(update, () => {});
    await vi.waitFor(() => expect(storage.compactions).toBe(1));
    const relayed: number[] = [];
    edit(2).forEach((update, i) => queue.append(update, () => relayed.push(i)));
    await new Promise((resolve) => setImmediate(resolve));
    // Behind the compaction: not handed on yet.
    expect(relayed).toEqual([]);
    storage.compactGate.open();
    await queue.idle();
    expect(events).toEqual(['compacted r 4']);
    expect(relayed).toEqual([0, 1]);
    // The snapshot, then the two appended behind it.
    expect(inner.load('r')!.entries).toBe(3);
    expect(queue.log.entries).toBe(3);
    expect(list(inner.load('r')!.update)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('waits to compact until the document holds the stored log, and a stopped queue does not compact', async () => {
    const storage = new MemoryDocStorage();
    const { doc, edit } = editor();
    let ready = false;
    const { queue, events } = queueOn(storage, doc, { compactAfterEntries: 2, ready: () => ready });
    for (const update of edit(5)) queue.append(update, () => {});
    await queue.idle();
    expect(events).toEqual([]);
    expect(storage.load('r')!.entries).toBe(5);
    ready = true;
    queue.maybeCompact();
    await queue.idle();
    expect(events).toEqual(['compacted r 5']);
    expect(storage.load('r')!.entries).toBe(1);

    for (const update of edit(3)) queue.append(update, () => {});
    queue.stop();
    await queue.idle();
    expect(events).toEqual(['compacted r 5']);
    expect(storage.load('r')!.entries).toBe(4);
  });

  it('a storage that throws (a closed SQLite file) fails the queue once: nothing after it is written or handed on', () => {
    const { db, storage } = sqliteFile();
    const { doc, edit } = editor();
    const { queue, events } = queueOn(storage, doc);
    const relayed: number[] = [];
    const [first, second, third] = edit(3);
    queue.append(first, () => relayed.push(0));
    db.close();
    queue.append(second, () => relayed.push(1));
    queue.append(third, () => relayed.push(2));
    let replied = false;
    queue.whenDurable(() => (replied = true));
    expect(relayed).toEqual([0]);
    expect(queue.failed).toBe(true);
    expect(events).toEqual([
      'failed r: The database connection is not open',
      'onFailure: The database connection is not open',
    ]);
    // whenDurable runs at once when nothing is pending: the caller checks `failed` itself.
    expect(replied).toBe(true);
  });

  it('an asynchronous append that rejects fails the queue; the work queued behind it never runs', async () => {
    const storage = new AsyncDocStorage();
    const { doc, edit } = editor();
    const { queue, events } = queueOn(storage, doc);
    storage.appendGate.close();
    const ran: string[] = [];
    const [first, second] = edit(2);
    queue.append(first, () => ran.push('relay 0'));
    queue.whenDurable(() => ran.push('reply'));
    queue.append(second, () => ran.push('relay 1'));
    storage.failAppends = true;
    storage.appendGate.open();
    await queue.idle();
    expect(ran).toEqual([]);
    expect(queue.failed).toBe(true);
    expect(events).toEqual(['failed r: disk on fire', 'onFailure: disk on fire']);
    expect(storage.inner.load('r')).toBeNull();
  });

  it('a failure while a compaction waits its turn leaves nothing pending: idle() answers', async () => {
    const { doc, edit } = editor();
    const { queue } = queueOn(new MemoryDocStorage(), doc);
    for (const update of edit(2)) queue.append(update, () => {});
    queue.compactSoon();
    queue.fail(new Error('the database cannot be reached'));
    // The scheduled compaction never runs once failed: idle() must not wait for it (it did, forever).
    await queue.idle();
    expect(queue.failed).toBe(true);
  });

  it('a failed compaction is reported and changes nothing: appends go on and a later compaction succeeds', async () => {
    class CompactOnceFails extends MemoryDocStorage {
      refused = 0;
      override compact(room: string, snapshot: Uint8Array, uptoSeq: number): void {
        if (this.refused++ === 0) throw new Error('no space left on device');
        super.compact(room, snapshot, uptoSeq);
      }
    }
    const storage = new CompactOnceFails();
    const { doc, edit } = editor();
    const { queue, events } = queueOn(storage, doc, { compactAfterEntries: 3 });
    for (const update of edit(4)) queue.append(update, () => {});
    await queue.idle();
    expect(events).toEqual(['compaction failed r: no space left on device']);
    expect(queue.failed).toBe(false);
    expect(storage.load('r')!.entries).toBe(4);
    const relayed = vi.fn();
    queue.append(edit(1)[0], relayed);
    expect(relayed).toHaveBeenCalledOnce();
    await queue.idle();
    expect(events).toEqual(['compaction failed r: no space left on device', 'compacted r 5']);
    expect(list(storage.load('r')!.update)).toEqual([0, 1, 2, 3, 4]);
    expect(storage.load('r')!.entries).toBe(1);
  });

  describe('batches: what waits behind an append in flight is written with one call', () => {
    /** The asynchronous storage with `appendMany`, recording how many updates each call wrote. */
    class BatchingStorage extends AsyncDocStorage {
      readonly calls: string[] = [];
      failBatches = false;
      override async append(room: string, update: Uint8Array): Promise<number> {
        this.calls.push('append 1');
        return super.append(room, update);
      }
      async appendMany(room: string, updates: readonly Uint8Array[]): Promise<number[]> {
        this.calls.push(`appendMany ${updates.length}`);
        await this.appendGate.wait();
        await Promise.resolve();
        if (this.failBatches) throw new Error('connection terminated');
        const seqs: number[] = [];
        for (const u of updates) seqs.push(await this.inner.append(room, u));
        return seqs;
      }
    }

    it('writes the appends that queued behind the first in one call, and hands each on in order with its own number, only once durable', async () => {
      const inner = new MemoryDocStorage();
      const storage = new BatchingStorage(inner);
      const { doc, edit } = editor();
      const writes: number[] = [];
      const { queue } = queueOn(storage, doc, { hooks: { storageWrite: (s) => writes.push(s) } });
      storage.appendGate.close();
      const handed: string[] = [];
      edit(6).forEach((update, i) =>
        queue.append(update, (seq) => handed.push(`${i}: seq ${seq}, stored ${list(inner.load('r')?.update).length}`)),
      );
      await new Promise((resolve) => setImmediate(resolve));
      // The first is in flight; the five others wait for it.
      expect(storage.calls).toEqual(['append 1']);
      expect(handed).toEqual([]);
      storage.appendGate.open();
      await queue.idle();
      expect(storage.calls).toEqual(['append 1', 'appendMany 5']);
      // Each handed on after its commit, in order, numbered 1…6.
      expect(handed).toEqual([
        '0: seq 1, stored 1',
        '1: seq 2, stored 6',
        '2: seq 3, stored 6',
        '3: seq 4, stored 6',
        '4: seq 5, stored 6',
        '5: seq 6, stored 6',
      ]);
      expect(writes).toHaveLength(6);
      expect(queue.log).toEqual({ entries: 6, bytes: inner.load('r')!.bytes, seq: 6 });
      expect(list(inner.load('r')!.update)).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('appends arriving while a batch is handed on form the next batch; whenDurable closes a batch, so it still runs after exactly the appends before it', async () => {
      const inner = new MemoryDocStorage();
      const storage = new BatchingStorage(inner);
      const { doc, edit } = editor();
      const { queue } = queueOn(storage, doc);
      storage.appendGate.close();
      const order: string[] = [];
      const updates = edit(7);
      const append = (i: number) =>
        queue.append(updates[i], (seq) => {
          order.push(`relay ${i} (${seq})`);
          // Two more arrive while the batch of 3 and 4 is still being handed on: the next batch.
          if (i === 3) {
            append(5);
            append(6);
          }
        });
      append(0);
      append(1);
      append(2);
      queue.whenDurable(() => order.push(`reply, stored ${list(inner.load('r')?.update).length}`));
      append(3);
      append(4);
      await new Promise((resolve) => setImmediate(resolve));
      expect(storage.calls).toEqual(['append 1']);
      storage.appendGate.open();
      await queue.idle();
      expect(storage.calls).toEqual(['append 1', 'appendMany 2', 'appendMany 2', 'appendMany 2']);
      expect(order).toEqual(['relay 0 (1)', 'relay 1 (2)', 'relay 2 (3)', 'reply, stored 3', 'relay 3 (4)', 'relay 4 (5)', 'relay 5 (6)', 'relay 6 (7)']);
    });

    it(`a batch holds at most ${MAX_BATCH} appends; the rest go in the next`, async () => {
      const storage = new BatchingStorage();
      const { doc, edit } = editor();
      const { queue } = queueOn(storage, doc);
      storage.appendGate.close();
      const seqs: number[] = [];
      for (const update of edit(MAX_BATCH + 11)) queue.append(update, (seq) => seqs.push(seq));
      storage.appendGate.open();
      await queue.idle();
      expect(storage.calls).toEqual(['append 1', `appendMany ${MAX_BATCH}`, 'appendMany 10']);
      expect(seqs).toEqual(Array.from({ length: MAX_BATCH + 11 }, (_, i) => i + 1));
    });

    it(`a batch holds at most ${MAX_BATCH_BYTES / 1024 / 1024} MB of updates (unless one alone is larger); the rest go in the next`, async () => {
      const storage = new BatchingStorage();
      const doc = new Y.Doc();
      const updates: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => updates.push(u));
      const large = Math.floor(MAX_BATCH_BYTES / 2.5);
      for (let i = 0; i < 6; i++) doc.getText('t').insert(0, String(i).repeat(large));
      // One alone past the limit still goes, by itself.
      doc.getText('t').insert(0, 'y'.repeat(MAX_BATCH_BYTES + 1));
      doc.getText('t').insert(0, 'z');
      const { queue } = queueOn(storage, doc);
      storage.appendGate.close();
      const seqs: number[] = [];
      for (const update of updates) queue.append(update, (seq) => seqs.push(seq));
      storage.appendGate.open();
      await queue.idle();
      // The first goes alone (nothing in flight); then two large ones per batch; the huge one, and the small one after it.
      expect(storage.calls).toEqual(['append 1', 'appendMany 2', 'appendMany 2', 'append 1', 'append 1', 'append 1']);
      expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('a failed batch hands none of its appends on and fails the queue once; nothing after it is written', async () => {
      const inner = new MemoryDocStorage();
      const storage = new BatchingStorage(inner);
      const { doc, edit } = editor();
      const { queue, events } = queueOn(storage, doc);
      storage.appendGate.close();
      const handed: number[] = [];
      const updates = edit(5);
      updates.slice(0, 4).forEach((update, i) => queue.append(update, () => handed.push(i)));
      storage.failBatches = true;
      storage.appendGate.open();
      await queue.idle();
      expect(handed).toEqual([0]);
      expect(events).toEqual(['failed r: connection terminated', 'onFailure: connection terminated']);
      queue.append(updates[4], () => handed.push(4));
      await queue.idle();
      expect(handed).toEqual([0]);
      expect(storage.calls).toEqual(['append 1', 'appendMany 3']);
      expect(inner.load('r')!.entries).toBe(1);
    });

    it('on a storage that gathers turns, the appends of one turn go in one call, the first included; the next turn makes the next batch', async () => {
      class GatheringStorage extends BatchingStorage {
        readonly gatherTurn = true;
      }
      const inner = new MemoryDocStorage();
      const storage = new GatheringStorage(inner);
      const { doc, edit } = editor();
      const { queue } = queueOn(storage, doc);
      const handed: string[] = [];
      const updates = edit(5);
      updates.slice(0, 3).forEach((update, i) => queue.append(update, (seq) => handed.push(`${i}: seq ${seq}, stored ${inner.load('r')?.entries ?? 0}`)));
      // Nothing is written within the turn.
      expect(storage.calls).toEqual([]);
      await new Promise((resolve) => setImmediate(resolve));
      await vi.waitFor(() => expect(handed).toHaveLength(3));
      expect(storage.calls).toEqual(['appendMany 3']);
      expect(handed).toEqual(['0: seq 1, stored 3', '1: seq 2, stored 3', '2: seq 3, stored 3']);
      // A later turn: its two appends, one call.
      updates.slice(3).forEach((update, i) => queue.append(update, (seq) => handed.push(`${i + 3}: seq ${seq}`)));
      await queue.idle();
      expect(storage.calls).toEqual(['appendMany 3', 'appendMany 2']);
      expect(handed.slice(3)).toEqual(['3: seq 4', '4: seq 5']);
    });

    it('a storage without appendMany gets the waiting appends one by one, in order', async () => {
      const storage = new AsyncDocStorage();
      const { doc, edit } = editor();
      const { queue } = queueOn(storage, doc);
      storage.appendGate.close();
      const seqs: number[] = [];
      for (const update of edit(4)) queue.append(update, (seq) => seqs.push(seq));
      storage.appendGate.open();
      await queue.idle();
      expect(storage.appends).toBe(4);
      expect(seqs).toEqual([1, 2, 3, 4]);
    });
  });
});
