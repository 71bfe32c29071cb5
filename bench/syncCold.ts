/**
 * Convene only, in `bench:sync`: the cold load of a room holding 5,000 entities,
 * and resident memory across 1,000 room join/leave cycles.
 */
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { createEntity, createInitiativeDoc } from '../src/schema/index.ts';
import { api, procStats, type ConveneUnderTest } from './servers.ts';
import { median, round } from './stats.ts';

/**
 * For a room not in memory, from opening a socket: the time to the sync step 2
 * that answers our step 1 (the first sync reply, the figure with a target), and
 * the time to the server's own step 1, which it sends once it has built the
 * document in memory.
 */
async function coldLoad(server: ConveneUnderTest, room: string): Promise<{ replyMs: number; builtMs: number }> {
  const started = performance.now();
  const ws = new WebSocket(`${server.url.replace('http', 'ws')}/collab/${room}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
  const step1 = encoding.createEncoder();
  encoding.writeVarUint(step1, 0);
  syncProtocol.writeSyncStep1(step1, new Y.Doc());
  ws.on('open', () => ws.send(encoding.toUint8Array(step1)));
  let replyMs = 0;
  let builtMs = 0;
  await new Promise<void>((resolvePromise, reject) => {
    ws.on('message', (data: Buffer) => {
      if (data[0] !== 0) return;
      if (data[1] === 1 && !replyMs) replyMs = performance.now() - started;
      if (data[1] === 0 && !builtMs) builtMs = performance.now() - started;
      if (replyMs && builtMs) resolvePromise();
    });
    ws.on('error', reject);
  });
  ws.close();
  await new Promise((r) => ws.once('close', r));
  return { replyMs, builtMs };
}

async function roomsLoaded(server: ConveneUnderTest): Promise<number> {
  const text = (await api(server.url, 'GET', '/metrics', server.adminToken)) as string;
  return Number(/^convene_rooms_loaded (\d+)/m.exec(text)?.[1]);
}

async function untilUnloaded(server: ConveneUnderTest): Promise<void> {
  for (let i = 0; i < 500 && (await roomsLoaded(server)) > 0; i++) await new Promise((r) => setTimeout(r, 10));
}

export async function coldLoadFigures(
  server: ConveneUnderTest,
): Promise<{ entities: number; storedBytes: number; medianMs: number; runsMs: number[]; builtMedianMs: number; builtRunsMs: number[] }> {
  const { id } = await api(server.url, 'POST', '/api/initiatives', server.adminToken, { name: 'Big coalition', issue: 'Scale' });
  const doc = createInitiativeDoc();
  for (let i = 0; i < 5000; i++) {
    createEntity(doc, 'stakeholder', { name: `Organisation ${i}`, sector: 'nonprofit', role: 'partner' }, [{ board: 'stakeholders', position: { x: (i % 100) * 200, y: Math.floor(i / 100) * 150 } }]);
  }
  const provider = new WebsocketProvider(`${server.url.replace('http', 'ws')}/collab`, id, doc, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: server.adminToken },
  });
  await new Promise<void>((r) => provider.once('sync', () => r()));
  // Synced means the server answered our step 1; make sure it also has our step 2 by reading it back.
  const check = new Y.Doc();
  const reader = new WebsocketProvider(`${server.url.replace('http', 'ws')}/collab`, id, check, {
    WebSocketPolyfill: WebSocket as never,
    disableBc: true,
    params: { token: server.adminToken },
  });
  // Bounded: give up after 30 s.
  const target = Buffer.from(Y.encodeStateVector(doc)).toString('hex');
  for (let i = 0; i < 1500 && Buffer.from(Y.encodeStateVector(check)).toString('hex') !== target; i++) {
    await new Promise((r) => setTimeout(r, 20));
  }
  if (Buffer.from(Y.encodeStateVector(check)).toString('hex') !== target) throw new Error('the 5,000-entity document never arrived');
  const storedBytes = Y.encodeStateAsUpdate(check).byteLength;
  const entities = 5000;
  reader.destroy();
  provider.destroy();
  doc.destroy();
  check.destroy();
  const runsMs: number[] = [];
  const builtRunsMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    await untilUnloaded(server);
    const { replyMs, builtMs } = await coldLoad(server, id);
    runsMs.push(round(replyMs, 2));
    builtRunsMs.push(round(builtMs, 2));
  }
  return { entities, storedBytes, medianMs: round(median(runsMs), 2), runsMs, builtMedianMs: round(median(builtRunsMs), 2), builtRunsMs };
}

export async function memoryCycles(server: ConveneUnderTest): Promise<{ cycles: number; rssBeforeMb: number; rssAfterMb: number; growthMb: number }> {
  const rooms: string[] = [];
  for (let i = 0; i < 10; i++) rooms.push((await api(server.url, 'POST', '/api/initiatives', server.adminToken, { name: `Churn ${i}`, issue: 'Memory' })).id);
  const cycle = async (i: number) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/collab/${rooms[i % rooms.length]}`, { headers: { authorization: `Bearer ${server.adminToken}` } });
    await new Promise<void>((r, reject) => {
      ws.once('message', () => r());
      ws.once('error', reject);
    });
    ws.close();
    await new Promise((r) => ws.once('close', r));
  };
  for (let i = 0; i < 200; i++) await cycle(i);
  await untilUnloaded(server);
  const before = procStats(server.child.pid!).rssBytes;
  for (let i = 0; i < 1000; i++) await cycle(i);
  await untilUnloaded(server);
  const after = procStats(server.child.pid!).rssBytes;
  const mb = (b: number) => round(b / 1024 / 1024, 1);
  return { cycles: 1000, rssBeforeMb: mb(before), rssAfterMb: mb(after), growthMb: mb(after - before) };
}
