/**
 * One workshop as the signed-in person sees it, live: the view from
 * `GET …/workshops/:wid`, then every `workshop` event of its stream (each person
 * gets their own: their private cards and dots only), and the `bring` events
 * that move the room to the item's board.
 *
 * Each view is kept with the moment it arrived on this browser's monotonic
 * clock (`performance.now()`), so the timer is computed from the server's
 * clock (`clientRemaining`) whatever this computer's clock says.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Board } from '../../machines/entities.ts';
import type { WorkshopView } from '../contract/workshop.ts';
import { api } from '../kit/api.ts';
import { ClockOffset } from './clockOffset.ts';

export interface ReceivedView {
  view: WorkshopView;
  /**
   * The `performance.now()` at which the server's clock read `view.serverNow`,
   * by this browser's best estimate of the offset (./clockOffset.ts): at most
   * the moment it arrived.
   */
  receivedAt: number;
}

export interface BringEvent {
  index: number;
  title: string;
  board: Board | null;
}

export interface WorkshopFeed {
  received: ReceivedView | null;
  error: string | null;
  /** Takes a view the server answered (a command's answer) without waiting for the stream. */
  accept(view: unknown, sentAt?: number): void;
}

export const isView = (value: unknown): value is WorkshopView =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as WorkshopView).serverNow === 'number' &&
  Array.isArray((value as WorkshopView).agenda);

function parse(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

/** Readings of the server's clock after the first, at most, and the half-width that ends them early (ms). */
const CLOCK_READINGS = 6;
const CLOCK_PRECISION_MS = 25;

export function useWorkshopFeed(
  initiativeId: string,
  workshopId: string | null,
  onBring?: (event: BringEvent) => void,
): WorkshopFeed {
  // Kept with the workshop they are about, so a page switching workshops never shows the last one's view.
  const [state, setState] = useState<{ of: string | null; received: ReceivedView | null; error: string | null }>({
    of: workshopId,
    received: null,
    error: null,
  });
  const bring = useRef(onBring);
  useEffect(() => {
    bring.current = onBring;
  }, [onBring]);

  const clock = useRef(new ClockOffset());
  const accept = useCallback(
    (view: unknown, sentAt?: number) => {
      if (!isView(view)) return;
      clock.current.sample(view.serverNow, performance.now(), sentAt);
      const receivedAt = view.serverNow - clock.current.offset;
      // A view made earlier on the server than the one shown (a slow answer overtaken by the stream) is dropped.
      setState((current) =>
        current.of === workshopId && current.received && current.received.view.serverNow > view.serverNow
          ? current
          : { of: workshopId, received: { view, receivedAt }, error: null },
      );
    },
    [workshopId],
  );

  useEffect(() => {
    if (workshopId === null) return;
    let live = true;
    const sentAt = performance.now();
    api.getWorkshop(initiativeId, workshopId).then(
      (view) => {
        if (!live) return;
        accept(view, sentAt);
        // More readings of the server's clock, one after another, until the bounds are within
        // CLOCK_PRECISION_MS (or CLOCK_READINGS were taken): a page that is busy as it opens (a reload
        // drawing the boards) answers its first readings late, and the fastest answer bounds the offset best.
        const readAgain = (left: number) => {
          if (!live || left === 0 || clock.current.uncertainty <= CLOCK_PRECISION_MS) return;
          const again = performance.now();
          api.getWorkshop(initiativeId, workshopId).then(
            (later) => {
              if (!live) return;
              accept(later, again);
              readAgain(left - 1);
            },
            () => {},
          );
        };
        readAgain(CLOCK_READINGS);
      },
      (problem: unknown) =>
        live &&
        setState({
          of: workshopId,
          received: null,
          error: problem instanceof Error ? problem.message : String(problem),
        }),
    );
    const source = new EventSource(api.workshopStreamUrl(initiativeId, workshopId));
    source.addEventListener('workshop', (event: MessageEvent<string>) => accept(parse(event.data)));
    source.addEventListener('bring', (event: MessageEvent<string>) => {
      const data = parse(event.data) as BringEvent | undefined;
      if (data && typeof data.index === 'number') bring.current?.(data);
    });
    return () => {
      live = false;
      source.close();
    };
  }, [initiativeId, workshopId, accept]);

  const mine = state.of === workshopId;
  return { received: mine ? state.received : null, error: mine ? state.error : null, accept };
}
