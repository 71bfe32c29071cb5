/**
 * The caller's portfolio, live. The list the home page already asked for
 * (`GET /api/portfolio`) is drawn first; then the stream
 * (`GET /api/portfolio/stream`) opens, once that first table is on screen, so
 * its work does not hold back the first paint. The stream's first event after
 * every (re)connection carries every row the caller may see: it replaces the
 * list (rows that did not change keep their objects, so only changed rows are
 * drawn again), which also covers whatever changed before the stream was open.
 * Every later `portfolio` event (contract PortfolioEvent) replaces rows by id
 * and drops the removed ids.
 */
import { useEffect, useState } from 'react';
import type { PortfolioEvent, PortfolioRow } from '../contract/portfolio.ts';
import { api } from '../kit/api.ts';
import { applyEvent, keepUnchanged } from './rows.ts';

/** connecting: first connection; live: connected; offline: lost, the browser reconnects by itself. */
export type PortfolioConnection = 'connecting' | 'live' | 'offline';

export interface PortfolioState {
  rows: PortfolioRow[] | null;
  error: Error | null;
  connection: PortfolioConnection;
}

/** `first`: the list already asked for (the home page asks while this code is still downloading). */
export function usePortfolio(first?: Promise<PortfolioRow[]>): PortfolioState {
  const [state, setState] = useState<PortfolioState>({ rows: null, error: null, connection: 'connecting' });
  useEffect(() => {
    let live = true;
    let source: EventSource | null = null;
    /** The next event is the whole list: the first after each (re)connection. */
    let whole = true;
    let frame = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const onPortfolio = (message: MessageEvent<string>) => {
      let event: PortfolioEvent;
      try {
        event = JSON.parse(message.data) as PortfolioEvent;
      } catch {
        return;
      }
      const rows = event.rows ?? [];
      if (whole) {
        whole = false;
        setState((s) => ({ ...s, rows: keepUnchanged(s.rows, rows), error: null }));
        return;
      }
      setState((s) => (s.rows ? { ...s, rows: applyEvent(s.rows, rows, event.removed ?? []) } : s));
    };
    const onOpen = () => {
      if (!live) return;
      whole = true;
      setState((s) => ({ ...s, connection: 'live' }));
    };
    const onError = () => {
      if (!live) return;
      setState((s) => ({ ...s, connection: 'offline' }));
    };
    const connect = () => {
      if (!live || source) return;
      source = new EventSource(api.portfolioStreamUrl());
      source.addEventListener('portfolio', onPortfolio);
      source.addEventListener('open', onOpen);
      source.addEventListener('error', onError);
    };
    // The stream opens once the first list is drawn (the frame after it), or at once when that list fails.
    const connectAfterPaint = () => {
      frame = requestAnimationFrame(() => (timer = setTimeout(connect, 0)));
    };

    (first ?? api.getPortfolio()).then(
      (rows) => {
        if (!live) return;
        // A whole list from the stream may have come first: it is the newer one.
        setState((s) => (s.rows ? s : { ...s, rows, error: null }));
        connectAfterPaint();
      },
      (error: unknown) => {
        if (!live) return;
        setState((s) => ({ ...s, error: error instanceof Error ? error : new Error(String(error)) }));
        connect();
      },
    );
    return () => {
      live = false;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      if (source) {
        source.removeEventListener('portfolio', onPortfolio);
        source.removeEventListener('open', onOpen);
        source.removeEventListener('error', onError);
        source.close();
      }
    };
    // `first` is the answer of the page's first visit: a later one is not asked for again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return state;
}
