/**
 * The probe of the sync benchmarks: every edit carries its send time, and every
 * other client of the room notes its delay when the edit arrives; the edits are
 * made as a workload says (one writer at a time, or waves in which all write).
 * bench/syncWorkloads.ts and bench/clusterWorkloads.ts measure with it.
 */
import type * as Y from 'yjs';

/** What of a workload (bench/syncWorkloads.ts: `Scenario`, `Load`) the edits follow. */
type EditPlan = { mode: 'one-writer' | 'all-writing' };
type EditLoad = { editsOneWriter: number; waves: number };

export interface Probe<C> {
  /** `client` writes `key`; resolves once every other client of its room has it. */
  edit(client: C, key: string): Promise<void>;
  /** Stops observing the clients. */
  stop(): void;
}

/** Observes `clients` (rooms of `perRoom`); `delivered` hears each arrival with its delay and who sent it. */
export function editProbe<C extends { doc: Y.Doc }>(clients: C[], perRoom: number, delivered: (ms: number, sender: C, receiver: C) => void): Probe<C> {
  const pending = new Map<string, { remaining: number; sender: C; done: () => void }>();
  const unobserve: (() => void)[] = [];
  for (const client of clients) {
    const map = client.doc.getMap<number>('bench');
    const observer = (event: Y.YMapEvent<number>) => {
      if (event.transaction.local) return;
      const now = performance.now();
      for (const key of event.keysChanged) {
        const entry = pending.get(key);
        if (!entry) continue;
        delivered(now - (map.get(key) as number), entry.sender, client);
        if (--entry.remaining === 0) {
          pending.delete(key);
          entry.done();
        }
      }
    };
    map.observe(observer);
    unobserve.push(() => map.unobserve(observer));
  }
  return {
    edit(client, key) {
      const arrived = new Promise<void>((done) => pending.set(key, { remaining: perRoom - 1, sender: client, done }));
      client.doc.getMap<number>('bench').set(key, performance.now());
      return arrived;
    },
    stop() {
      for (const off of unobserve) off();
    },
  };
}

/** Makes round `rep`'s edits as the scenario says, each waiting for its arrivals; answers how many. */
export async function driveEdits<C>(probe: Probe<C>, clients: C[], scenario: EditPlan, load: EditLoad, rep: number): Promise<number> {
  let edits = 0;
  if (scenario.mode === 'one-writer') {
    for (let i = 0; i < load.editsOneWriter; i++, edits++) await probe.edit(clients[i % clients.length], `r${rep}-e${i}`);
  } else {
    for (let wave = 0; wave < load.waves; wave++) {
      await Promise.all(clients.map((c, i) => probe.edit(c, `r${rep}-${wave}-${i}`)));
      edits += clients.length;
    }
  }
  return edits;
}
