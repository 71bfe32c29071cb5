/**
 * Live presence on the boards: where everyone's pointer is, what they have
 * selected, what they are dragging. It travels in the awareness channel of the
 * sync session (never in the document), next to the `user` field ({ name,
 * role, colour }) that useInitiativeSync sets and the server rewrites from the
 * session.
 *
 * Local state layout (one awareness state per browser tab):
 *   { user, board, cursor, selection, dragging }
 * Coordinates are flow coordinates (React Flow's `screenToFlowPosition`), so
 * they mean the same place on the board whatever each person's pan and zoom.
 *
 * Everything read from others is untrusted: readPeer keeps only well-formed
 * fields and drops the rest.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { BOARDS, type Board } from '../../machines/entities.ts';
import { isViewerRole } from '../contract/roles.ts';
import type { PresenceUser } from '../contract/view.ts';
import { colorFor, type Awareness } from '../sync/index.ts';
import { throttle, presenceInterval, PRESENCE_INTERVAL_MS, type Timers } from './throttle.ts';

export interface Point {
  x: number;
  y: number;
}

export interface DragPosition {
  id: string;
  x: number;
  y: number;
}

export interface PeerState extends PresenceUser {
  clientId: number;
  color: string;
  board?: Board;
  cursor?: Point | null;
  selection?: string[];
  dragging?: DragPosition[] | null;
}

/**
 * Everyone, including this tab (`self`), for lists of who is here: who and
 * where, without pointer, selection or drag, so those lists do not re-render
 * while someone moves the pointer.
 */
export interface Person extends Pick<PeerState, 'clientId' | 'name' | 'role' | 'color' | 'board'> {
  self: boolean;
}

const MAX_NAME = 80;
const MAX_IDS = 200;
const MAX_ID_LENGTH = 100;
const HEX_COLOR = /^#[0-9a-f]{6}$/i;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFiniteNumber = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;

function readPoint(value: unknown): Point | null | undefined {
  if (value === null) return null;
  if (isRecord(value) && isFiniteNumber(value.x) && isFiniteNumber(value.y)) return { x: value.x, y: value.y };
  return undefined;
}

function readDragging(value: unknown): DragPosition[] | null | undefined {
  if (value === null) return null;
  if (!Array.isArray(value)) return undefined;
  const list: DragPosition[] = [];
  for (const item of value.slice(0, MAX_IDS)) {
    if (isRecord(item) && isId(item.id) && isFiniteNumber(item.x) && isFiniteNumber(item.y)) {
      list.push({ id: item.id, x: item.x, y: item.y });
    }
  }
  return list;
}

/**
 * One awareness state as a PeerState, or null when it has no usable `user`.
 * Only well-formed fields are kept; colours must be #rrggbb (they end up in
 * style attributes), otherwise the colour is derived from the name.
 */
export function readPeer(clientId: number, state: unknown): PeerState | null {
  if (!isRecord(state) || !isRecord(state.user)) return null;
  const { name, role, color } = state.user;
  if (typeof name !== 'string' || !name.trim() || !isViewerRole(role)) return null;
  const cleanName = name.trim().slice(0, MAX_NAME);
  const peer: PeerState = {
    clientId,
    name: cleanName,
    role,
    color: typeof color === 'string' && HEX_COLOR.test(color) ? color : colorFor(cleanName),
  };
  if (typeof state.board === 'string' && (BOARDS as readonly string[]).includes(state.board)) peer.board = state.board as Board;
  const cursor = readPoint(state.cursor);
  if (cursor !== undefined) peer.cursor = cursor;
  if (Array.isArray(state.selection)) peer.selection = state.selection.slice(0, MAX_IDS).filter(isId);
  const dragging = readDragging(state.dragging);
  if (dragging !== undefined) peer.dragging = dragging;
  return peer;
}

/** Sort order of people lists: by name, then by client id, so the order does not jump. */
export function comparePeers(a: PeerState, b: PeerState): number {
  return a.name.localeCompare(b.name) || a.clientId - b.clientId;
}

function samePeer(a: PeerState, b: PeerState): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function toPerson({ clientId, name, role, color, board }: PeerState, self: boolean): Person {
  const person: Person = { clientId, name, role, color, self };
  if (board) person.board = board;
  return person;
}

/**
 * Reads all states, reusing the previous objects (and the previous array) when
 * nothing changed, so memoised children do not re-render on others' heartbeats.
 * With `includeSelf`, the list of people (see Person). Exported for tests.
 */
export function readAll(awareness: Awareness, includeSelf: boolean, previous: PeerState[] | null): PeerState[] {
  const before = new Map((previous ?? []).map((p) => [p.clientId, p]));
  const list: PeerState[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const self = clientId === awareness.clientID;
    if (self && !includeSelf) return;
    const read = readPeer(clientId, state);
    if (!read) return;
    const peer = includeSelf ? toPerson(read, self) : read;
    const old = before.get(clientId);
    list.push(old && samePeer(old, peer) ? old : peer);
  });
  list.sort((a, b) => {
    if (includeSelf) {
      const sa = (a as Person).self;
      const sb = (b as Person).self;
      if (sa !== sb) return sa ? -1 : 1;
    }
    return comparePeers(a, b);
  });
  if (previous && previous.length === list.length && previous.every((p, i) => p === list[i])) return previous;
  return list;
}

interface Store<T> {
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => T;
}

function makeStore<T extends PeerState>(awareness: Awareness, includeSelf: boolean): Store<T[]> {
  let snapshot: T[] | null = null;
  let stale = true;
  return {
    subscribe(listener) {
      const onChange = () => {
        stale = true;
        listener();
      };
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    getSnapshot() {
      if (stale || snapshot === null) {
        snapshot = readAll(awareness, includeSelf, snapshot) as T[];
        stale = false;
      }
      return snapshot;
    },
  };
}

const peerStores = new WeakMap<Awareness, Store<PeerState[]>>();
const peopleStores = new WeakMap<Awareness, Store<Person[]>>();
const NOBODY: never[] = [];
const emptyStore: Store<never[]> = { subscribe: () => () => {}, getSnapshot: () => NOBODY };

/**
 * Everyone else with the initiative open (not this tab), sorted by name.
 * Re-renders when someone joins, leaves or changes their presence (pointer
 * moves included); the array and unchanged entries keep their identity.
 */
export function usePeers(awareness: Awareness | null): PeerState[] {
  let store: Store<PeerState[]> = emptyStore;
  if (awareness) {
    store = peerStores.get(awareness) ?? makeStore<PeerState>(awareness, false);
    peerStores.set(awareness, store);
  }
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

/** Everyone with the initiative open, this tab first (`self: true`), then by name. */
export function usePeople(awareness: Awareness | null): Person[] {
  let store: Store<Person[]> = emptyStore;
  if (awareness) {
    store = peopleStores.get(awareness) ?? makeStore<Person>(awareness, true);
    peopleStores.set(awareness, store);
  }
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}

export interface LocalPresence {
  /** The board this person is looking at; clears pointer, selection and drag. */
  setBoard(board: Board): void;
  /** The pointer in flow coordinates, or null when it left the board. Throttled. */
  setCursor(point: Point | null): void;
  /** The ids this person has selected. Sent at once (when changed). */
  setSelection(ids: string[]): void;
  /** Cards being dragged and where they are now (flow coordinates); null when the drag ends. Throttled; the end is sent at once. */
  setDragging(list: DragPosition[] | null): void;
}

interface LocalFields {
  board?: Board;
  cursor?: Point | null;
  selection?: string[];
  dragging?: DragPosition[] | null;
}

/** The minimal awareness surface the local presence writer needs (for tests). */
export interface LocalStateHolder {
  getLocalState(): Record<string, unknown> | null;
  setLocalState(state: Record<string, unknown> | null): void;
}

const sameIds = (a: unknown, b: readonly string[]) =>
  Array.isArray(a) && a.length === b.length && a.every((id, i) => id === b[i]);

/**
 * The writer behind useLocalPresence, free of React: pointer and drag updates
 * are folded into at most one broadcast per `intervalMs` (always ending with
 * the latest state); board and selection changes go out at once. Each
 * broadcast is one `setLocalState`, i.e. one awareness message. The boards
 * pass the interval as a function of the room's size (`presenceInterval`):
 * 25 a second in a small room, 10 in a large one.
 */
export function createLocalPresence(
  holder: LocalStateHolder,
  intervalMs: number | (() => number) = PRESENCE_INTERVAL_MS,
  timers?: Timers,
): LocalPresence & { flush(): void; clear(): void } {
  let waiting: LocalFields = {};
  const apply = (patch: LocalFields) => {
    const current = holder.getLocalState();
    // Null means the session is gone (or not started): nothing to tell anyone.
    if (current === null) return;
    holder.setLocalState({ ...current, ...patch });
  };
  const throttled = throttle<void>(
    () => {
      const patch = waiting;
      waiting = {};
      apply(patch);
    },
    intervalMs,
    timers,
  );
  /** Sends `patch` now, with whatever pointer or drag update was waiting. */
  const now = (patch: LocalFields) => {
    throttled.cancel();
    const all = { ...waiting, ...patch };
    waiting = {};
    apply(all);
  };
  return {
    setBoard(board) {
      now({ board, cursor: null, selection: [], dragging: null });
    },
    setCursor(point) {
      const cursor = point && Number.isFinite(point.x) && Number.isFinite(point.y) ? { x: point.x, y: point.y } : null;
      waiting = { ...waiting, cursor };
      throttled.push();
    },
    setSelection(ids) {
      const selection = ids.slice(0, MAX_IDS);
      const current = holder.getLocalState();
      if (!('selection' in waiting) && current && sameIds(current.selection, selection)) return;
      now({ selection });
    },
    setDragging(list) {
      if (list === null) {
        now({ dragging: null });
        return;
      }
      waiting = { ...waiting, dragging: list.slice(0, MAX_IDS).map(({ id, x, y }) => ({ id, x, y })) };
      throttled.push();
    },
    flush() {
      if (Object.keys(waiting).length > 0) now({});
    },
    clear() {
      now({ cursor: null, selection: [], dragging: null });
    },
  };
}

const inertPresence: LocalPresence = {
  setBoard: () => {},
  setCursor: () => {},
  setSelection: () => {},
  setDragging: () => {},
};

/**
 * This tab's presence on the boards. The answer keeps its identity for one
 * awareness (safe in dependency lists); unmounting clears pointer, selection
 * and drag. Observers may use it too: presence is not an edit.
 */
export function useLocalPresence(awareness: Awareness | null): LocalPresence {
  const writer = useMemo(
    () =>
      awareness
        ? createLocalPresence(awareness as unknown as LocalStateHolder, () => presenceInterval(awareness.getStates().size))
        : null,
    [awareness],
  );
  useEffect(() => {
    if (!writer) return;
    return () => writer.clear();
  }, [writer]);
  return writer ?? inertPresence;
}

/** Where others are dragging cards on `board` right now: entity id → position and who. */
export function peerDragPositions(peers: readonly PeerState[], board: Board): Map<string, Point & { color: string; name: string }> {
  const map = new Map<string, Point & { color: string; name: string }>();
  for (const peer of peers) {
    if (peer.board !== board || !peer.dragging) continue;
    for (const { id, x, y } of peer.dragging) map.set(id, { x, y, color: peer.color, name: peer.name });
  }
  return map;
}
