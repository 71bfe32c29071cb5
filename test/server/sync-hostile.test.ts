/**
 * Hostile input over real sockets: malformed frames, unknown types, truncated
 * varints, oversize frames and floods close only the offending connection, with
 * one log line; a fuzz run of 10,000 random and mutated frames leaves the server
 * up, other clients syncing and the stored document loadable.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { createLogger } from '../../server/log.ts';
import { openDb } from '../../server/db.ts';
import { SqliteDocStorage } from '../../server/storage/sqlite.ts';
import { rawClient, startHarness, syncClient, type Harness, type RawClient, type SyncClient } from './harness.ts';
import { int, prng } from './sync-helpers.ts';

const clients: SyncClient[] = [];
const open = (...args: Parameters<typeof syncClient>) => {
  const client = syncClient(...args);
  clients.push(client);
  return client;
};
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});

function frame(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  write(e);
  return encoding.toUint8Array(e);
}

/** Valid messages of every kind, from seeded random edits. */
function corpus(random: () => number): Uint8Array[] {
  const doc = new Y.Doc();
  const messages: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => messages.push(frame(0, (e) => syncProtocol.writeUpdate(e, u))));
  const awareness = new awarenessProtocol.Awareness(doc);
  for (let i = 0; i < 60; i++) {
    const op = int(random, 5);
    if (op === 0) doc.getMap('stakeholders').set(`s${i}`, { name: `Org ${i}`, x: i });
    else if (op === 1) doc.getArray('links').push([{ from: `s${i}`, to: `s${i - 1}` }]);
    else if (op === 2) doc.getText('notes').insert(int(random, doc.getText('notes').length + 1), `note ${i} `);
    else if (op === 3 && doc.getText('notes').length > 3) doc.getText('notes').delete(0, 2);
    else doc.getMap('stakeholders').delete(`s${i - 1}`);
    if (i % 10 === 0) {
      messages.push(frame(0, (e) => syncProtocol.writeSyncStep1(e, doc)));
      messages.push(frame(0, (e) => syncProtocol.writeSyncStep2(e, doc)));
      awareness.setLocalState({ user: { name: `Claimed ${i}`, color: '#123456' }, cursor: { x: i, y: i } });
      messages.push(frame(1, (e) => encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]))));
    }
  }
  messages.push(new Uint8Array([3]));
  awareness.destroy();
  doc.destroy();
  return messages;
}

/** One random or mutated frame. */
function mutate(random: () => number, valid: Uint8Array[]): Uint8Array {
  const base = valid[int(random, valid.length)];
  const m = base.slice();
  switch (int(random, 8)) {
    case 0: // bit flips
      for (let i = 0, n = 1 + int(random, 4); i < n; i++) m[int(random, m.length)] ^= 1 << int(random, 8);
      return m;
    case 1: // truncation
      return m.slice(0, 1 + int(random, Math.max(1, m.length - 1)));
    case 2: {
      // length-prefix corruption: the varint after the type (and sync kind)
      const at = Math.min(m.length - 1, 1 + int(random, 3));
      m[at] = int(random, 256);
      return m;
    }
    case 3: // random type byte
      m[0] = int(random, 256);
      return m;
    case 4: // random bytes
      return Uint8Array.from({ length: 1 + int(random, 200) }, () => int(random, 256));
    case 5: // truncated varints
      return [new Uint8Array([0x80]), new Uint8Array([0, 0x80, 0x80]), new Uint8Array([1, 0xff, 0xff, 0xff]), new Uint8Array([0, 2, 0x85])][int(random, 4)];
    case 6: // junk appended
      return Uint8Array.from([...m, ...Array.from({ length: 1 + int(random, 20) }, () => int(random, 256))]);
    default: // valid, unchanged
      return m;
  }
}

/** Sends `message` then a ping; resolves 'alive' on the pong (the server handled the frame and kept the socket) or the close code. */
function sendAndConfirm(raw: RawClient, message: Uint8Array): Promise<'alive' | number> {
  return new Promise((resolve) => {
    const onPong = () => done('alive');
    const onClose = (code: number) => done(code);
    const done = (result: 'alive' | number) => {
      raw.ws.off('pong', onPong);
      raw.ws.off('close', onClose);
      resolve(result);
    };
    raw.ws.on('pong', onPong);
    raw.ws.on('close', onClose);
    raw.ws.send(message);
    raw.ws.ping();
  });
}

describe('hostile input', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await startHarness({
      log: createLogger('debug', (line) => lines.push(line)),
      limits: { maxFrameBytes: 64 * 1024, messagesPerSecond: 100, messageBurst: 200, bytesPerSecond: 64 * 1024, byteBurst: 256 * 1024 },
    });
  });
  afterAll(async () => {
    await h.stop();
  });
  const closingLines = (conn?: string) =>
    lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('closing connection') && (!conn || l.conn === conn));

  it('a flood of messages closes only that connection with 4429, logged once', async () => {
    const id = await h.createInitiative();
    const good = open(h.url, id, await h.invite(id, 'participant'));
    await good.synced;
    const token = await h.invite(id, 'participant');
    const flooder = rawClient(h.url, id, token);
    await flooder.opened;
    const before = closingLines().length;
    for (let i = 0; i < 600 && flooder.ws.readyState === flooder.ws.OPEN; i++) flooder.ws.send(new Uint8Array([2]));
    expect((await flooder.closed).code).toBe(4429);
    await vi.waitFor(() => expect(closingLines().length).toBe(before + 1));
    expect(closingLines().at(-1)).toMatchObject({ room: id, code: 4429, level: 'warn' });
    expect(typeof closingLines().at(-1).conn).toBe('string');
    // Nobody's log line carries the token, nor a URL with one.
    expect(lines.some((l) => l.includes(token) || l.includes('token='))).toBe(false);

    good.doc.getMap('m').set('after', 1);
    const other = open(h.url, id, await h.invite(id, 'participant'));
    await vi.waitFor(() => expect(other.doc.getMap('m').get('after')).toBe(1));
  });

  it('a flood of bytes closes with 4429', async () => {
    const id = await h.createInitiative();
    const flooder = rawClient(h.url, id, await h.invite(id, 'participant'));
    await flooder.opened;
    const big = new Uint8Array(60 * 1024).fill(2);
    big[0] = 2; // auth messages are ignored: only the byte budget stops them
    for (let i = 0; i < 20 && flooder.ws.readyState === flooder.ws.OPEN; i++) flooder.ws.send(big);
    expect((await flooder.closed).code).toBe(4429);
  });

  it('an oversize frame closes with 1009, logged once', async () => {
    const id = await h.createInitiative();
    const good = open(h.url, id, await h.invite(id, 'participant'));
    await good.synced;
    const big = rawClient(h.url, id, await h.invite(id, 'participant'));
    await big.opened;
    const before = closingLines().length;
    big.ws.send(new Uint8Array(65 * 1024));
    expect((await big.closed).code).toBe(1009);
    await vi.waitFor(() => expect(closingLines().length).toBe(before + 1));
    good.doc.getMap('m').set('still', true);
    const other = open(h.url, id, await h.invite(id, 'participant'));
    await vi.waitFor(() => expect(other.doc.getMap('m').get('still')).toBe(true));
  });

  it('unknown message types and truncated varints close with 4400', async () => {
    const id = await h.createInitiative();
    for (const bad of [[9], [0, 7], [0x80], [0, 0x80], [1, 0xff, 0xff], [0, 0, 5, 1]]) {
      const raw = rawClient(h.url, id, await h.invite(id, 'participant'));
      await raw.opened;
      raw.ws.send(new Uint8Array(bad));
      expect((await raw.closed).code, JSON.stringify(bad)).toBe(4400);
    }
  });

  it('presence others see carries the name and role of the session, not the claimed ones', async () => {
    const id = await h.createInitiative();
    const named = (role: string, name: string) => h.invite(id, role, name);
    const mallory = open(h.url, id, await named('observer', 'Mallory Jones'));
    const alice = open(h.url, id, await named('facilitator', 'Alice Chen'));
    await Promise.all([mallory.synced, alice.synced]);
    mallory.provider.awareness.setLocalState({ user: { name: 'The Mayor', role: 'lead', color: '#ff0000' } });
    await vi.waitFor(() =>
      expect(alice.provider.awareness.getStates().get(mallory.doc.clientID)).toEqual({
        user: { name: 'Mallory Jones', role: 'observer', color: '#ff0000' },
      }),
    );
  });
});

describe('fuzz', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await startHarness({
      log: createLogger('warn', (line) => lines.push(line)),
      limits: { messagesPerSecond: 1e6, messageBurst: 1e6 },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('10,000 random and mutated frames: the server stays up, others sync, the stored document loads', async () => {
    const FRAMES = 10_000;
    const WORKERS = 4;
    const id = await h.createInitiative();
    const a = open(h.url, id, await h.invite(id, 'participant'));
    const b = open(h.url, id, await h.invite(id, 'participant'));
    await Promise.all([a.synced, b.synced]);
    const token = await h.invite(id, 'participant');
    const random = prng(20_251_122);
    const valid = corpus(random);
    const codes = new Map<number, number>();
    let sent = 0;
    let reconnects = 0;

    const worker = async () => {
      let raw = rawClient(h.url, id, token);
      await raw.opened;
      while (sent < FRAMES) {
        sent++;
        const result = await sendAndConfirm(raw, mutate(random, valid));
        if (result === 'alive') continue;
        codes.set(result, (codes.get(result) ?? 0) + 1);
        reconnects++;
        raw = rawClient(h.url, id, token);
        await raw.opened;
      }
      raw.ws.close();
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));

    expect(sent).toBeGreaterThanOrEqual(FRAMES);
    // Every close was the malformed-message close, never a crash or an internal error.
    expect([...codes.keys()]).toEqual([4400]);
    expect(reconnects).toBeGreaterThan(1000);
    // One log line per closed connection.
    const closing = lines.map((l) => JSON.parse(l)).filter((l) => l.msg.startsWith('closing connection'));
    expect(closing).toHaveLength(reconnects);
    expect((await h.api('GET', '/healthz', undefined, '')).status).toBe(200);

    // The good clients still sync.
    a.doc.getMap('survivors').set('a', 'after the storm');
    await vi.waitFor(() => expect(b.doc.getMap('survivors').get('a')).toBe('after the storm'));
    b.doc.getText('notes').insert(0, 'B was here. ');
    await vi.waitFor(() => expect(a.doc.getText('notes').toString()).toContain('B was here.'));

    // The stored document loads, and holds what the good clients wrote.
    for (const c of clients.splice(0)) c.destroy();
    await h.restart();
    const db = openDb(h.dataDir);
    const stored = new SqliteDocStorage(db).load(id);
    db.close();
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, stored!.update);
    expect(loaded.getMap('survivors').get('a')).toBe('after the storm');
    const fresh = open(h.url, id, await h.invite(id, 'observer'));
    await fresh.synced;
    expect(fresh.doc.getMap('survivors').get('a')).toBe('after the storm');
    expect(fresh.doc.getText('notes').toString()).toContain('B was here.');
  }, 60_000);
});
