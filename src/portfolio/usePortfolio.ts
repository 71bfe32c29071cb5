/**
 * The caller's portfolio, live: `GET /api/portfolio` at once and again each
 * time the stream (`GET /api/portfolio/stream`) connects, then every `portfolio` event
 * (contract PortfolioEvent) replaces rows by id and drops the removed ids.
 * Events that arrive while the list is being fetched are applied again on top
 * of it, so a change made meanwhile is never lost to an older answer.
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

/** `first`: the list already asked for (the home page asks while this code is still downloading); used once. */
export function usePortfolio(first?: Promise<PortfolioRow[]>): PortfolioState {
  const [state, setState] = useState<PortfolioState>({ rows: null, error: null, connection: 'connecting' });
  useEffect(() => {
    let live = true;
    let fetching = 0;
    let pending: PortfolioEvent[] = [];
    const source = new EventSource(api.portfolioStreamUrl());

    let head = first;
    const load = () => {
      const ticket = ++fetching;
      pending = [];
      const answer = head ?? api.getPortfolio();
      head = undefined;
      answer.then(
        (rows) => {
          if (!live) return;
          // An older answer, overtaken by a read the stream's opening started: shown only when
          // nothing is yet (the first paint need not wait for the second read), then replaced.
          if (ticket !== fetching) return setState((s) => (s.rows ? s : { ...s, rows, error: null }));
          const caught = pending;
          pending = [];
          fetching = 0;
          const next = caught.reduce((acc, event) => applyEvent(acc, event.rows, event.removed), rows);
          setState((s) => ({ ...s, rows: keepUnchanged(s.rows, next), error: null }));
        },
        (error: unknown) => {
          if (!live || ticket !== fetching) return;
          fetching = 0;
          setState((s) => ({ ...s, error: error instanceof Error ? error : new Error(String(error)) }));
        },
      );
    };

    const onPortfolio = (message: MessageEvent<string>) => {
      let event: PortfolioEvent;
      try {
        event = JSON.parse(message.data) as PortfolioEvent;
      } catch {
        return;
      }
      if (fetching !== 0) pending.push(event);
      setState((s) => (s.rows ? { ...s, rows: applyEvent(s.rows, event.rows ?? [], event.removed ?? []) } : s));
    };
    const onOpen = () => {
      if (!live) return;
      setState((s) => ({ ...s, connection: 'live' }));
      // Every (re)connection reads the whole list again: changes made before it were not sent.
      load();
    };
    const onError = () => {
      if (!live) return;
      setState((s) => ({ ...s, connection: 'offline' }));
    };
    // Read at once, not only once the stream is open: the table shows even if the stream is slow to connect.
    load();
    source.addEventListener('portfolio', onPortfolio);
    source.addEventListener('open', onOpen);
    source.addEventListener('error', onError);
    return () => {
      live = false;
      source.removeEventListener('portfolio', onPortfolio);
      source.removeEventListener('open', onOpen);
      source.removeEventListener('error', onError);
      source.close();
    };
    // `first` is the answer of the page's first visit: a later one is not asked for again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return state;
}
