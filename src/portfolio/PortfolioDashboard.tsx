/**
 * The backbone's view (docs/portfolio.md): every initiative the caller may see
 * in the portfolio, in tree order with the roll-up at each parent, or sorted by
 * a column; filtered by stage, words, unmet conditions and subtree; exported as
 * CSV exactly as shown; live from the portfolio stream. Loaded on demand from
 * the home page (its own chunk), only for the administrator and backbone leads.
 */
import './portfolio.css';
import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { STAGES, type Stage } from '../../machines/stages.ts';
import type { PortfolioRow } from '../contract/portfolio.ts';
import { saveBlob } from '../kit/download.ts';
import { Loading, Notice } from '../kit/Notice.tsx';
import { initiativePath, navigate } from '../kit/router.ts';
import { portfolioCsv } from './csv.ts';
import { stageLabel } from './format.ts';
import { PortfolioTable } from './PortfolioTable.tsx';
import { NO_FILTERS, TREE_ORDER, parents, shownRows, type Filters, type Sort, type SortKey } from './rows.ts';
import { usePortfolio, type PortfolioConnection } from './usePortfolio.ts';

const CONNECTION_TEXT: Record<PortfolioConnection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — reconnecting',
};

export const SORT_LABELS: Record<SortKey, string> = {
  tree: 'Tree: parents above their sub-initiatives',
  name: 'Name',
  stage: 'Stage and progress',
  progress: 'Progress through the stage',
  inStage: 'Time in the current stage',
  share: 'Report card share',
  unmet: 'Unmet conditions',
  lastWorkshop: 'Last workshop',
  lastActivity: 'Last activity',
};

/** The time the relative figures ("3 days ago", "4 months in stage") count from, moved on every minute. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** `first`: the portfolio, already asked for by the home page (optional). */
export function PortfolioDashboard({ first }: { first?: Promise<PortfolioRow[]> }) {
  const { rows, error, connection } = usePortfolio(first);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<Sort>(TREE_ORDER);
  const [refused, setRefused] = useState<PortfolioRow | null>(null);
  const now = useNow();
  const id = useId();
  const shown = useMemo(() => (rows ? shownRows(rows, filters, sort) : []), [rows, filters, sort]);
  const parentChoices = useMemo(() => (rows ? parents(rows) : []), [rows]);
  const open = useCallback((row: PortfolioRow) => {
    if (row.role === null) setRefused(row);
    else navigate(initiativePath(row.id));
  }, []);

  if (!rows) {
    if (error) {
      return (
        <Notice title="Convene could not load the portfolio" tone="error">
          <p>{error.message}</p>
        </Notice>
      );
    }
    return <Loading what="the portfolio" />;
  }

  const exportCsv = () => {
    const day = new Date(now).toISOString().slice(0, 10);
    // The byte order mark lets spreadsheet programs read the names' accents as UTF-8.
    saveBlob(
      new Blob(['\ufeff', portfolioCsv(shown, now)], { type: 'text/csv;charset=utf-8' }),
      `portfolio-${day}.csv`,
    );
  };
  const set = (change: Partial<Filters>) => setFilters((f) => ({ ...f, ...change }));
  const filtered = filters !== NO_FILTERS;

  return (
    <section className="portfolio" aria-labelledby="portfolio-title">
      <div className="portfolio__header">
        <h2 id="portfolio-title">Portfolio</h2>
        <p role="status" className={`connection-status connection-status--${connection}`} data-status={connection}>
          <span className="connection-status__dot" aria-hidden="true" />
          {CONNECTION_TEXT[connection]}
        </p>
      </div>
      <form
        className="portfolio__filters"
        role="search"
        aria-label="Filter the portfolio"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor={`${id}-find`}>Find</label>
          <input
            id={`${id}-find`}
            type="search"
            value={filters.text}
            placeholder="Initiative or workshop"
            onChange={(e) => set({ text: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-stage`}>Stage</label>
          <select
            id={`${id}-stage`}
            value={filters.stage}
            onChange={(e) => set({ stage: e.target.value as Stage | '' })}
          >
            <option value="">Every stage</option>
            {STAGES.map((stage) => (
              <option key={stage} value={stage}>
                {stageLabel(stage)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-under`}>Under</label>
          <select id={`${id}-under`} value={filters.subtree} onChange={(e) => set({ subtree: e.target.value })}>
            <option value="">Every initiative</option>
            {parentChoices.map(({ row, depth }) => (
              <option key={row.id} value={row.id}>
                {'\u00a0\u00a0'.repeat(depth)}
                {row.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-order`}>Order</label>
          <select
            id={`${id}-order`}
            value={`${sort.key}:${sort.descending ? 'desc' : 'asc'}`}
            onChange={(e) => {
              const [key, direction] = e.target.value.split(':');
              setSort({ key: key as SortKey, descending: direction === 'desc' });
            }}
          >
            {(Object.keys(SORT_LABELS) as SortKey[]).flatMap((key) =>
              key === 'tree' || key === 'name'
                ? [
                    <option key={key} value={`${key}:asc`}>
                      {SORT_LABELS[key]}
                    </option>,
                  ]
                : [
                    <option key={`${key}-d`} value={`${key}:desc`}>
                      {SORT_LABELS[key]}, most first
                    </option>,
                    <option key={`${key}-a`} value={`${key}:asc`}>
                      {SORT_LABELS[key]}, least first
                    </option>,
                  ],
            )}
          </select>
        </div>
        <label className="portfolio__check">
          <input type="checkbox" checked={filters.unmetOnly} onChange={(e) => set({ unmetOnly: e.target.checked })} />
          Only with unmet conditions
        </label>
        <div className="portfolio__actions">
          {filtered && (
            <button type="button" className="button button--ghost button--small" onClick={() => setFilters(NO_FILTERS)}>
              Clear filters
            </button>
          )}
          <button type="button" className="button button--small" onClick={exportCsv} disabled={shown.length === 0}>
            Export as CSV
          </button>
        </div>
      </form>
      <p className="muted portfolio__count" aria-live="polite">
        {shown.length === rows.length
          ? `${rows.length} ${rows.length === 1 ? 'initiative' : 'initiatives'}`
          : `${shown.length} of ${rows.length} initiatives shown`}
      </p>
      {refused && (
        <div className="notice portfolio__refused" role="alert">
          <p>
            You are not a member of {refused.name}: you see its figures as a backbone lead of an initiative above it.
            Ask its backbone lead for an invite to open its boards.
          </p>
          <button type="button" className="button button--ghost button--small" onClick={() => setRefused(null)}>
            Dismiss
          </button>
        </div>
      )}
      {shown.length === 0 ? (
        <p className="muted">
          {rows.length === 0 ? 'No initiatives to show yet.' : 'No initiative matches these filters.'}
        </p>
      ) : (
        <PortfolioTable shown={shown} sort={sort} onSort={setSort} onOpen={open} now={now} />
      )}
    </section>
  );
}
