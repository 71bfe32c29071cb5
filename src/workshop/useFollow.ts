/**
 * Follow and "Bring everyone to my view" (issue #11, point 2), over the
 * awareness channel, never the document. Whoever may run workshops shares
 * their view while a workshop runs, as a small awareness field
 * `viewport { board, x, y, zoom, summon }`, sent at most every 150 ms. A
 * participant who follows is taken to each new view; following stops when
 * they pan or zoom themselves. `summon` counts the facilitator's "Bring
 * everyone to my view": each new count brings everyone who has not chosen to
 * stay where they are, once. What peers send is untrusted and checked.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { BOARDS, type Board } from '../../machines/entities.ts';
import type { BoardViewport, ViewLink } from '../canvas/types.ts';
import { can } from '../contract/permissions.ts';
import type { Awareness } from '../sync/index.ts';

export const VIEWPORT_FIELD = 'viewport';
const SEND_EVERY_MS = 150;

export interface SharedViewport extends BoardViewport {
  board: Board;
  summon: number;
}

interface Leader {
  clientId: number;
  name: string;
  viewport: SharedViewport;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function readViewport(value: unknown): SharedViewport | null {
  if (typeof value !== 'object' || value === null) return null;
  const v = value as Record<string, unknown>;
  if (!(BOARDS as readonly unknown[]).includes(v.board)) return null;
  if (!isNumber(v.x) || !isNumber(v.y) || !isNumber(v.zoom) || v.zoom <= 0 || v.zoom > 10) return null;
  const summon = isNumber(v.summon) && v.summon >= 0 ? Math.floor(v.summon) : 0;
  return { board: v.board as Board, x: v.x, y: v.y, zoom: v.zoom, summon };
}

/** The people sharing their view: those who may run workshops, in a stable order ("Follow" takes the first). */
function leadersOf(awareness: Awareness): Leader[] {
  const leaders: Leader[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const viewport = readViewport((state as Record<string, unknown>)[VIEWPORT_FIELD]);
    const user = (state as { user?: { name?: unknown; role?: unknown } }).user;
    if (!viewport || !user || !can(typeof user.role === 'string' ? user.role : null, 'runWorkshop')) continue;
    leaders.push({
      clientId,
      name: typeof user.name === 'string' ? user.name.slice(0, 80) : 'The facilitator',
      viewport,
    });
  }
  return leaders.sort((a, b) => a.clientId - b.clientId);
}

export interface Follow {
  /** For the boards: where to go, and what they report. */
  view: ViewLink;
  /** The person being followed, or null. */
  following: string | null;
  /** Someone's view can be followed now. */
  leader: string | null;
  follow(): void;
  unfollow(): void;
  /** Bring everyone (who has not opted out) to my view, once. */
  summon(): void;
  /** Why following stopped, for a polite status line. */
  stopped: string | null;
}

interface Options {
  awareness: Awareness | null;
  /** A workshop runs: views are shared and followed. */
  active: boolean;
  /** This person may run workshops: they share their view. */
  shares: boolean;
  /** This person chose to stay where they are: no summon moves them. */
  stayPut: boolean;
  setBoard(board: Board): void;
}

export function useFollow({ awareness, active, shares, stayPut, setBoard }: Options): Follow {
  const [goTo, setGoTo] = useState<ViewLink['goTo']>(undefined);
  const [following, setFollowing] = useState<number | null>(null);
  const [stopped, setStopped] = useState<string | null>(null);
  const [leaders, setLeaders] = useState<Leader[]>([]);
  const nonce = useRef(0);
  const lastFollowed = useRef<SharedViewport | null>(null);
  const seenSummons = useRef(new Map<number, number>());
  const mine = useRef<SharedViewport | null>(null);
  const lastSent = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const settings = useRef({ stayPut, following, setBoard });
  useEffect(() => {
    settings.current = { stayPut, following, setBoard };
  }, [stayPut, following, setBoard]);

  const go = useCallback((viewport: SharedViewport) => {
    settings.current.setBoard(viewport.board);
    nonce.current += 1;
    setGoTo({
      board: viewport.board,
      viewport: { x: viewport.x, y: viewport.y, zoom: viewport.zoom },
      nonce: nonce.current,
    });
  }, []);

  // Hear the leaders' views: follow them, and answer a new summon once.
  useEffect(() => {
    if (!active || !awareness) return;
    let first = true;
    const onChange = () => {
      const now = leadersOf(awareness);
      setLeaders((before) => (sameLeaders(before, now) ? before : now));
      for (const leader of now) {
        const seen = seenSummons.current.get(leader.clientId);
        seenSummons.current.set(leader.clientId, leader.viewport.summon);
        // Summons from before this page joined are history, not a request.
        if (!first && seen !== undefined && leader.viewport.summon > seen && !settings.current.stayPut)
          go(leader.viewport);
        else if (!first && seen === undefined && leader.viewport.summon > 0 && !settings.current.stayPut)
          go(leader.viewport);
      }
      // Only a view that changed moves the follower: awareness also changes with every cursor in the room.
      const followed = now.find((l) => l.clientId === settings.current.following);
      if (followed && !sameView(followed.viewport, lastFollowed.current)) {
        lastFollowed.current = followed.viewport;
        go(followed.viewport);
      }
      first = false;
    };
    onChange();
    awareness.on('change', onChange);
    return () => awareness.off('change', onChange);
  }, [awareness, active, go]);

  // Share this person's view while a workshop runs; take it back when it ends.
  const send = useCallback(() => {
    pending.current = null;
    if (!mine.current || !awareness) return;
    lastSent.current = performance.now();
    awareness.setLocalStateField(VIEWPORT_FIELD, mine.current);
  }, [awareness]);
  useEffect(() => {
    if (!active || !shares || !awareness) return;
    return () => {
      if (pending.current !== null) clearTimeout(pending.current);
      pending.current = null;
      awareness.setLocalStateField(VIEWPORT_FIELD, null);
    };
  }, [awareness, active, shares]);

  const onMove = useCallback(
    (board: Board, viewport: BoardViewport) => {
      if (!active || !shares) return;
      const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;
      mine.current = {
        board,
        x: round(viewport.x, 1),
        y: round(viewport.y, 1),
        zoom: round(viewport.zoom, 3),
        summon: mine.current?.summon ?? 0,
      };
      if (pending.current !== null) return;
      const wait = SEND_EVERY_MS - (performance.now() - lastSent.current);
      if (wait <= 0) send();
      else pending.current = setTimeout(send, wait);
    },
    [active, shares, send],
  );

  const onUserMoveStart = useCallback(() => {
    if (settings.current.following === null) return;
    setFollowing(null);
    setStopped('You stopped following: you moved the board yourself.');
  }, []);

  const view = useMemo<ViewLink>(() => ({ goTo, onMove, onUserMoveStart }), [goTo, onMove, onUserMoveStart]);
  const leader = leaders[0] ?? null;
  const followed = following === null ? null : (leaders.find((l) => l.clientId === following) ?? null);

  return {
    view,
    following: followed?.name ?? null,
    leader: leader?.name ?? null,
    follow: () => {
      if (!leader) return;
      // Where the leader is now: `leaders` changes only with who leads, so its views may be old ones.
      const current = (awareness && leadersOf(awareness).find((l) => l.clientId === leader.clientId)) || leader;
      setStopped(null);
      setFollowing(current.clientId);
      lastFollowed.current = current.viewport;
      go(current.viewport);
    },
    unfollow: () => setFollowing(null),
    summon: () => {
      if (!mine.current) return;
      mine.current = { ...mine.current, summon: mine.current.summon + 1 };
      if (pending.current !== null) clearTimeout(pending.current);
      send();
    },
    stopped,
  };
}

function sameView(a: SharedViewport, b: SharedViewport | null): boolean {
  return !!b && a.board === b.board && a.x === b.x && a.y === b.y && a.zoom === b.zoom;
}

function sameLeaders(a: Leader[], b: Leader[]): boolean {
  return a.length === b.length && a.every((l, i) => l.clientId === b[i].clientId && l.name === b[i].name);
}
