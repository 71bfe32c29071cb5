import { describe, expect, it } from 'vitest';
import { busyByCategory, type CpuProfile } from '../../bench/cpuProfile.ts';

const frame = (functionName: string, url = '') => ({ functionName, url });

/**
 * root ─┬─ (idle)
 *       ├─ handler (server/api) ── setup before the edits
 *       └─ applyUpdate (yjs) ─┬─ append (server/storage/appendQueue.ts) ── append (server/storage/sqlite.ts)
 *                             └─ writev (native, under the relay)
 */
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('handler', 'file:///x/server/api/people.ts') },
    { id: 4, callFrame: frame('applyUpdate', 'file:///x/node_modules/yjs/dist/yjs.mjs'), children: [5, 7] },
    { id: 5, callFrame: frame('append', 'file:///x/server/storage/appendQueue.ts'), children: [6] },
    { id: 6, callFrame: frame('append', 'file:///x/server/storage/sqlite.ts') },
    { id: 7, callFrame: frame('writev') },
  ],
  // Each sample's time is the delta to the next one (µs).
  samples: [3, 3, 4, 6, 7, 7, 2, 4],
  timeDeltas: [0, 1000, 1000, 2000, 3000, 4000, 5000, 6000],
};

describe('where the CPU goes, from a profile', () => {
  it('counts from the first sample under the marker, each sample in its innermost category', () => {
    const busy = busyByCategory(profile, /^append server\/storage\/appendQueue\.ts/);
    // The HTTP setup and the Yjs sample before the first append are left out.
    expect(busy.get('auth, people, HTTP')).toBeUndefined();
    expect(busy.get('SQLite append')).toBe(3);
    // writev under Y.applyUpdate is the relay, not Yjs.
    expect(busy.get('relay: ws send + writev')).toBe(4 + 5);
    expect(busy.get('idle')).toBe(6);
    // The last sample has no next one: no time.
    expect(busy.get('Yjs and the room (apply, update event, encode)')).toBe(0);
  });

  it('without a marker in the profile, nothing is counted', () => {
    expect(busyByCategory(profile, /^nothing like this/).size).toBe(0);
  });
});
