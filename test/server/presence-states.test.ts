/**
 * The room's presence codec (server/sync/presence.ts, `PresenceStates`):
 * applies decoded entries under the rules of y-protocols' applyAwarenessUpdate
 * and encodes batches from each state's bytes kept since it arrived. Checked
 * against y-protocols itself on a seeded random sequence, and for the cases
 * where a kept encoding would go stale.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as prng from 'lib0/prng';
import * as awarenessProtocol from 'y-protocols/awareness';
import { encodePresence, PresenceStates, type PresenceEntry } from '../../server/sync/presence.ts';

type Change = { added: number[]; updated: number[]; removed: number[] };

function awarenessWithEvents() {
  const awareness = new awarenessProtocol.Awareness(new Y.Doc());
  awareness.setLocalState(null);
  const events: [string, Change][] = [];
  awareness.on('change', (change: Change) => events.push(['change', change]));
  awareness.on('update', (change: Change) => events.push(['update', change]));
  return { awareness, events };
}

/** States and clocks, as a client decoding the batch would hold them. */
function decoded(update: Uint8Array) {
  const { awareness } = awarenessWithEvents();
  awarenessProtocol.applyAwarenessUpdate(awareness, update, 'server');
  const held = [...awareness.getStates()].filter(([id]) => id !== awareness.clientID);
  const clocks = held.map(([id]) => [id, awareness.meta.get(id)!.clock]);
  awareness.destroy();
  return { states: Object.fromEntries(held), clocks: Object.fromEntries(clocks) };
}

describe('PresenceStates', () => {
  it('applies entries exactly as applyAwarenessUpdate does, and its batches decode to the same states (seeded)', () => {
    const random = prng.create(11);
    const ours = awarenessWithEvents();
    const theirs = awarenessWithEvents();
    const states = new PresenceStates(ours.awareness);
    const ids = [101, 102, 103, 104, 105];
    const clocks = new Map<number, number>();
    for (let step = 0; step < 400; step++) {
      const entries: PresenceEntry[] = [];
      for (const id of ids) {
        if (!prng.bool(random)) continue;
        // Mostly newer clocks; sometimes the same or an older one, which must be ignored; sometimes a removal.
        const clock = Math.max(0, (clocks.get(id) ?? 0) + prng.int32(random, -1, 2));
        clocks.set(id, Math.max(clocks.get(id) ?? 0, clock));
        const roll = prng.int32(random, 0, 9);
        const state = roll === 0 ? null : roll < 3 ? { board: 'stakeholders' } : { board: 'stakeholders', cursor: { x: prng.int32(random, 0, 3), y: 1 } };
        entries.push({ clientID: id, clock, state });
      }
      if (entries.length === 0) continue;
      states.apply(entries, 'peer');
      awarenessProtocol.applyAwarenessUpdate(theirs.awareness, encodePresence(entries), 'peer');
    }
    expect(ours.events.length).toBeGreaterThan(300);
    expect(ours.events).toEqual(theirs.events);
    expect([...ours.awareness.getStates()]).toEqual([...theirs.awareness.getStates()]);
    for (const id of ids) expect(ours.awareness.meta.get(id)?.clock).toBe(theirs.awareness.meta.get(id)?.clock);
    // A batch of everyone (removed ones included) reads back as what the room holds.
    expect(decoded(states.encode(ids))).toEqual(decoded(awarenessProtocol.encodeAwarenessUpdate(theirs.awareness, ids)));
    ours.awareness.destroy();
    theirs.awareness.destroy();
  });

  it('never sends kept bytes of a state that changed another way (a role rewritten, a removal)', () => {
    const { awareness } = awarenessWithEvents();
    const states = new PresenceStates(awareness);
    states.apply([{ clientID: 7, clock: 1, state: { user: { name: 'Ana', role: 'participant' }, cursor: { x: 1, y: 1 } } }], 'peer');
    expect(decoded(states.encode([7])).states[7]).toEqual({ user: { name: 'Ana', role: 'participant' }, cursor: { x: 1, y: 1 } });
    // Changed through y-protocols directly, at the same clock: the batch must carry the new state.
    awareness.states.set(7, { user: { name: 'Ana', role: 'observer' }, cursor: { x: 1, y: 1 } });
    expect(decoded(states.encode([7])).states[7]).toEqual({ user: { name: 'Ana', role: 'observer' }, cursor: { x: 1, y: 1 } });
    awarenessProtocol.removeAwarenessStates(awareness, [7], null);
    const gone = decoded(states.encode([7]));
    expect(gone.states[7]).toBeUndefined();
    expect(gone.clocks[7]).toBeUndefined();
    awareness.destroy();
  });

  it('reports a renewal (a newer clock, the same state) as an update but not as a change', () => {
    const { awareness, events } = awarenessWithEvents();
    const states = new PresenceStates(awareness);
    states.apply([{ clientID: 9, clock: 1, state: { board: 'stakeholders' } }], 'peer');
    states.apply([{ clientID: 9, clock: 2, state: { board: 'stakeholders' } }], 'peer');
    states.apply([{ clientID: 9, clock: 3, state: { board: 'framework' } }], 'peer');
    expect(events.map(([kind, change]) => [kind, change.added, change.updated])).toEqual([
      ['change', [9], []],
      ['update', [9], []],
      ['update', [], [9]],
      ['change', [], [9]],
      ['update', [], [9]],
    ]);
    awareness.destroy();
  });
});
