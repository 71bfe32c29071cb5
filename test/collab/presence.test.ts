import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LARGE_ROOM, presenceInterval, throttle } from '../../src/collab/throttle.ts';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { createLocalPresence, peerDragPositions, readAll, readPeer, type LocalStateHolder, type PeerState } from '../../src/collab/presence.ts';
import { selectionColors } from '../../src/collab/LiveCursors.tsx';
import { CursorChoice, cursorShown, FACILITATOR_CURSORS_KEY } from '../../src/collab/cursorFilter.ts';

describe('throttle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first value at once, then at most one per interval, always ending with the latest', () => {
    const sent: number[] = [];
    const t = throttle<number>((v) => sent.push(v), 40);
    t.push(1);
    expect(sent).toEqual([1]);
    for (let i = 2; i <= 10; i++) {
      vi.advanceTimersByTime(5);
      t.push(i);
    }
    // 45 ms after the first send: one trailing send happened at 40 ms with the value then latest (8).
    expect(sent).toEqual([1, 8]);
    vi.advanceTimersByTime(40);
    expect(sent).toEqual([1, 8, 10]);
    vi.advanceTimersByTime(200);
    expect(sent).toEqual([1, 8, 10]);
  });

  it('keeps a steady stream of pointer moves to about 25 messages a second', () => {
    const sent: number[] = [];
    const t = throttle<number>((v) => sent.push(v), 40);
    // A pointer reporting every 4 ms (250 Hz) for one second.
    for (let ms = 0; ms < 1000; ms += 4) {
      t.push(ms);
      vi.advanceTimersByTime(4);
    }
    vi.advanceTimersByTime(100);
    expect(sent.length).toBeGreaterThanOrEqual(24);
    expect(sent.length).toBeLessThanOrEqual(27);
    expect(sent.at(-1)).toBe(996);
  });

  it('in a large room a pointer is broadcast at most 10 times a second; the rate follows the room as it grows', () => {
    let present = 2;
    const sent: number[] = [];
    const t = throttle<number>((v) => sent.push(v), () => presenceInterval(present));
    const second = () => {
      const before = sent.length;
      for (let ms = 0; ms < 1000; ms += 4) {
        t.push(ms);
        vi.advanceTimersByTime(4);
      }
      return sent.length - before;
    };
    expect(second()).toBeGreaterThanOrEqual(24);
    present = LARGE_ROOM - 1;
    expect(second()).toBeGreaterThanOrEqual(24);
    present = LARGE_ROOM;
    const large = second();
    expect(large).toBeGreaterThanOrEqual(9);
    expect(large).toBeLessThanOrEqual(11);
    vi.advanceTimersByTime(200);
    expect(sent.at(-1)).toBe(996);
  });

  it('flush sends what waits now; cancel drops it', () => {
    const sent: string[] = [];
    const t = throttle<string>((v) => sent.push(v), 40);
    t.push('a');
    t.push('b');
    t.flush();
    expect(sent).toEqual(['a', 'b']);
    t.push('c');
    t.cancel();
    vi.advanceTimersByTime(100);
    expect(sent).toEqual(['a', 'b']);
    t.flush();
    expect(sent).toEqual(['a', 'b']);
  });
});

/** A stand-in for the awareness object: records every broadcast (setLocalState). */
function holder(initial: Record<string, unknown> = { user: { name: 'Ana', role: 'participant', color: '#2563eb' } }) {
  let state: Record<string, unknown> | null = initial;
  const broadcasts: Record<string, unknown>[] = [];
  const h: LocalStateHolder = {
    getLocalState: () => state,
    setLocalState: (next) => {
      state = next;
      if (next) broadcasts.push(next);
    },
  };
  return { h, broadcasts, state: () => state };
}

describe('local presence', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('folds pointer moves into one broadcast per interval and always sends the final position', () => {
    const { h, broadcasts, state } = holder();
    const presence = createLocalPresence(h, 40);
    for (let i = 0; i < 50; i++) {
      presence.setCursor({ x: i, y: i * 2 });
      vi.advanceTimersByTime(2);
    }
    vi.advanceTimersByTime(40);
    // 100 ms of moves: the first at once, then one every 40 ms, and the last.
    expect(broadcasts.length).toBeLessThanOrEqual(4);
    expect(state()?.cursor).toEqual({ x: 49, y: 98 });
    expect(state()?.user).toEqual({ name: 'Ana', role: 'participant', color: '#2563eb' });
  });

  it('sends a board switch and a selection change at once, and skips an unchanged selection', () => {
    const { h, broadcasts, state } = holder();
    const presence = createLocalPresence(h, 40);
    presence.setBoard('boundaries');
    expect(state()).toMatchObject({ board: 'boundaries', cursor: null, selection: [], dragging: null });
    presence.setSelection(['a', 'b']);
    expect(state()?.selection).toEqual(['a', 'b']);
    const count = broadcasts.length;
    presence.setSelection(['a', 'b']);
    expect(broadcasts.length).toBe(count);
  });

  it('throttles drag positions and sends the end of a drag at once, with the pointer that waited', () => {
    const { h, state } = holder();
    const presence = createLocalPresence(h, 40);
    presence.setDragging([{ id: 'c1', x: 0, y: 0 }]);
    presence.setDragging([{ id: 'c1', x: 5, y: 5 }]);
    presence.setCursor({ x: 7, y: 7 });
    expect(state()?.dragging).toEqual([{ id: 'c1', x: 0, y: 0 }]);
    presence.setDragging(null);
    expect(state()?.dragging).toBeNull();
    expect(state()?.cursor).toEqual({ x: 7, y: 7 });
  });

  it('does nothing once the session has no local state', () => {
    const { h, broadcasts } = holder();
    h.setLocalState(null);
    const presence = createLocalPresence(h, 40);
    presence.setCursor({ x: 1, y: 1 });
    presence.setBoard('governance');
    vi.advanceTimersByTime(100);
    expect(broadcasts).toEqual([]);
  });
});

describe('reading peers', () => {
  it('the list of people keeps its identity while someone moves the pointer or drags, and changes with the board', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    awareness.setLocalState({ user: { name: 'Ana', role: 'participant', color: '#112233' }, board: 'stakeholders' });
    const first = readAll(awareness, true, null);
    expect(first).toEqual([{ clientId: doc.clientID, name: 'Ana', role: 'participant', color: '#112233', board: 'stakeholders', self: true }]);
    awareness.setLocalStateField('cursor', { x: 10, y: 20 });
    awareness.setLocalStateField('dragging', [{ id: 's1', x: 1, y: 2 }]);
    awareness.setLocalStateField('selection', ['s1']);
    expect(readAll(awareness, true, first)).toBe(first);
    awareness.setLocalStateField('board', 'framework');
    const moved = readAll(awareness, true, first);
    expect(moved).not.toBe(first);
    expect(moved[0].board).toBe('framework');
    // The peers list (others, for cursors and drags) does carry pointers.
    const other = new Awareness(new Y.Doc());
    other.setLocalState({ user: { name: 'Ben', role: 'participant' }, cursor: { x: 1, y: 1 } });
    applyAwarenessUpdate(awareness, encodeAwarenessUpdate(other, [other.clientID]), 'remote');
    const peers = readAll(awareness, false, null);
    expect(peers.map((p) => [p.name, p.cursor])).toEqual([['Ben', { x: 1, y: 1 }]]);
    expect(readAll(awareness, true, moved).map((p) => p.name)).toEqual(['Ana', 'Ben']);
    awareness.destroy();
    other.destroy();
    doc.destroy();
  });

  it('keeps well-formed fields only and never trusts a colour that is not #rrggbb', () => {
    const peer = readPeer(7, {
      user: { name: '  Ben  ', role: 'facilitator', color: 'red; background: url(https://evil)' },
      board: 'nowhere',
      cursor: { x: 'a', y: 1 },
      selection: ['s1', 42, '', 's2'],
      dragging: [{ id: 's1', x: 1, y: 2 }, { id: 's2', x: Infinity, y: 0 }],
    });
    expect(peer).toMatchObject({ clientId: 7, name: 'Ben', role: 'facilitator', selection: ['s1', 's2'] });
    expect(peer?.color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(peer?.board).toBeUndefined();
    expect(peer?.cursor).toBeUndefined();
    expect(peer?.dragging).toEqual([{ id: 's1', x: 1, y: 2 }]);
    expect(readPeer(8, { cursor: { x: 1, y: 1 } })).toBeNull();
    // The server writes a role of the contract into every user; anything else is no peer of ours.
    expect(readPeer(10, { user: { name: 'Eve', role: 'superuser' } })).toBeNull();
    expect(readPeer(9, null)).toBeNull();
  });

  it('maps others’ selections and drags on one board to their colour and name', () => {
    const peers: PeerState[] = [
      { clientId: 1, name: 'Ana', role: 'participant', color: '#111111', board: 'stakeholders' as const, selection: ['x', 'y'] },
      { clientId: 2, name: 'Ben', role: 'participant', color: '#222222', board: 'stakeholders' as const, selection: ['y'], dragging: [{ id: 'z', x: 3, y: 4 }] },
      { clientId: 3, name: 'Cy', role: 'participant', color: '#333333', board: 'governance' as const, selection: ['x'] },
    ];
    const marks = selectionColors(peers, 'stakeholders');
    expect([...marks.entries()]).toEqual([
      ['x', { color: '#111111', name: 'Ana' }],
      ['y', { color: '#111111', name: 'Ana' }],
    ]);
    expect(peerDragPositions(peers, 'stakeholders').get('z')).toEqual({ x: 3, y: 4, color: '#222222', name: 'Ben' });
    expect(peerDragPositions(peers, 'governance').size).toBe(0);
  });
});

describe("only the facilitators' cursors", () => {
  const people: PeerState[] = (['admin', 'lead', 'facilitator', 'participant', 'observer'] as const).map((role, i) => ({
    clientId: i + 1,
    name: `Person ${i + 1}`,
    role,
    color: '#2563eb',
    board: 'stakeholders',
    cursor: { x: i, y: i },
  }));

  it('shows everyone by default and, when chosen, only those who may run workshops', () => {
    expect(people.filter((p) => cursorShown(p, false)).map((p) => p.role)).toEqual(['admin', 'lead', 'facilitator', 'participant', 'observer']);
    expect(people.filter((p) => cursorShown(p, true)).map((p) => p.role)).toEqual(['admin', 'lead', 'facilitator']);
    // A role the table does not know shows under no choice but "everyone".
    expect(cursorShown({ role: 'mayor' as never }, true)).toBe(false);
  });

  it('is remembered by the browser and heard by every subscriber', () => {
    const stored = new Map<string, string>();
    const storage = { getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => void stored.set(k, v) };
    const choice = new CursorChoice(storage);
    expect(choice.facilitatorsOnly).toBe(false);
    let heard = 0;
    const off = choice.subscribe(() => heard++);
    choice.set(true);
    choice.set(true);
    expect(heard).toBe(1);
    expect(stored.get(FACILITATOR_CURSORS_KEY)).toBe('1');
    // A new page of the same browser starts with the choice made.
    expect(new CursorChoice(storage).facilitatorsOnly).toBe(true);
    off();
    choice.set(false);
    expect(heard).toBe(1);
    expect(new CursorChoice(storage).facilitatorsOnly).toBe(false);
  });

  it('holds for the page when the browser refuses to store it', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const choice = new CursorChoice(refusing);
    expect(choice.facilitatorsOnly).toBe(false);
    choice.set(true);
    expect(choice.getSnapshot()).toBe(true);
  });
});
