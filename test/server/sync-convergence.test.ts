/**
 * Convergence: six real y-websocket clients make seeded random Y.Map, Y.Array
 * and Y.Text edits through the server, with random disconnects and reconnects,
 * and end with identical documents, equal to the stored one after a restart.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { startHarness, syncClient, type Harness, type SyncClient } from './harness.ts';
import { int, prng } from './sync-helpers.ts';

let h: Harness;
const clients: SyncClient[] = [];
beforeAll(async () => {
  h = await startHarness();
});
afterEach(() => {
  for (const client of clients.splice(0)) client.destroy();
});
afterAll(async () => {
  await h.stop();
});

const snapshot = (doc: Y.Doc) =>
  JSON.stringify({
    map: Object.entries(doc.getMap('map').toJSON()).sort(([a], [b]) => a.localeCompare(b)),
    array: doc.getArray('array').toJSON(),
    text: doc.getText('text').toString(),
  });

function randomEdit(random: () => number, doc: Y.Doc, n: number): void {
  const map = doc.getMap<number | string>('map');
  const array = doc.getArray<string>('array');
  const text = doc.getText('text');
  switch (int(random, 6)) {
    case 0:
      map.set(`k${int(random, 20)}`, n);
      break;
    case 1:
      if (map.size > 0) map.delete([...map.keys()][int(random, map.size)]);
      break;
    case 2:
      array.insert(int(random, array.length + 1), [`a${n}`]);
      break;
    case 3:
      if (array.length > 0) array.delete(int(random, array.length), 1);
      break;
    case 4:
      text.insert(int(random, text.length + 1), `t${n} `);
      break;
    default:
      if (text.length > 2) text.delete(int(random, text.length - 1), 1 + int(random, 2));
  }
}

describe('convergence', () => {
  it('six clients with random edits, disconnects and reconnects end identical, and equal to the stored document', async () => {
    const random = prng(0xc0ffee);
    const id = await h.createInitiative();
    for (let i = 0; i < 6; i++) clients.push(syncClient(h.url, id, await h.invite(id, 'participant')));
    await Promise.all(clients.map((c) => c.synced));

    for (let step = 0; step < 400; step++) {
      const client = clients[int(random, clients.length)];
      if (random() < 0.04) {
        if (client.provider.shouldConnect) client.provider.disconnect();
        else client.provider.connect();
      }
      randomEdit(random, client.doc, step);
      // Let the network move between some of the edits.
      if (random() < 0.3) await new Promise((resolve) => setImmediate(resolve));
    }
    for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect();

    await vi.waitFor(
      () => {
        const first = snapshot(clients[0].doc);
        for (const client of clients) expect(snapshot(client.doc)).toBe(first);
      },
      { timeout: 15_000, interval: 50 },
    );
    const converged = snapshot(clients[0].doc);
    expect(JSON.parse(converged).text.length).toBeGreaterThan(0);

    for (const client of clients.splice(0)) client.destroy();
    await h.restart();
    const fresh = syncClient(h.url, id, await h.invite(id, 'observer'));
    clients.push(fresh);
    await fresh.synced;
    expect(snapshot(fresh.doc)).toBe(converged);
  });
});
