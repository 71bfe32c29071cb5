/**
 * The portfolio's table: one row per initiative, a column per figure, headers
 * that sort (again to turn the order round); a row opens the initiative's
 * navigator on click or Enter. On a phone each row is a card (portfolio.css).
 *
 * Every row stays in the page (find in page, screen readers, the specs), but
 * the browser lays out and paints only the rows near the viewport: each row is
 * a CSS grid with `content-visibility: auto` (portfolio.css), which a
 * `display: table-row` cannot have. So the table's parts carry their ARIA roles
 * explicitly (a table element drawn as a grid may lose its implicit ones).
 * The rows themselves are built with the DOM's own calls (rowElement.ts: React's
 * work per element was the larger part of the first paint); React draws the rest.
 * One click and one key handler on the body serve every row.
 */
import { useLayoutEffect, useMemo, useRef, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import type { PortfolioRow } from '../contract/portfolio.ts';
import { navigate } from '../kit/router.ts';
import { syncRows, type Drawn } from './rowElement.ts';
import { TREE_ORDER, type ShownRow, type Sort, type SortKey } from './rows.ts';

interface Column {
  key: Exclude<SortKey, 'tree'>;
  label: string;
  /** The first direction a click sorts in: names A to Z, figures most first. */
  firstDescending: boolean;
}

/** The columns; their fixed widths are the rows' grid (portfolio.css): the browser need not measure 200 rows to size them. */
const COLUMNS: Column[] = [
  { key: 'name', label: 'Initiative', firstDescending: false },
  { key: 'stage', label: 'Stage', firstDescending: true },
  { key: 'progress', label: 'Progress', firstDescending: true },
  { key: 'inStage', label: 'Time in stage', firstDescending: true },
  { key: 'share', label: 'Report card', firstDescending: true },
  { key: 'unmet', label: 'Unmet conditions', firstDescending: true },
  { key: 'lastWorkshop', label: 'Last workshop', firstDescending: true },
  { key: 'lastActivity', label: 'Last activity', firstDescending: true },
];

/** The phone's labels of the figures' cells, by column (`--column-2` for the second; portfolio.css shows them). */
const CELL_LABELS = Object.fromEntries(
  COLUMNS.slice(1).map((column, i) => [`--column-${i + 2}`, JSON.stringify(column.label)]),
) as CSSProperties;

interface Props {
  shown: ShownRow[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  onOpen: (row: PortfolioRow) => void;
  now: number;
}

export function PortfolioTable({ shown, sort, onSort, onOpen, now }: Props) {
  const sortBy = (column: Column) =>
    onSort(
      sort.key === column.key
        ? { key: column.key, descending: !sort.descending }
        : { key: column.key, descending: column.firstDescending },
    );
  const byId = useMemo(() => new Map(shown.map((item) => [item.row.id, item.row])), [shown]);
  /** The row an event happened in (its `data-id`), unless it happened in the name's own link. */
  const rowAt = (target: EventTarget) => {
    const element = target as HTMLElement;
    const tr = element.closest<HTMLElement>('tr[data-id]');
    return tr ? { tr, row: byId.get(tr.dataset.id!) } : null;
  };
  const onClick = (event: MouseEvent) => {
    const link = (event.target as HTMLElement).closest('a');
    if (link) {
      // The name's own link: opened in place, or by the browser in a new tab when a modifier asks for one.
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(link.getAttribute('href')!);
      return;
    }
    const at = rowAt(event.target);
    if (at?.row) onOpen(at.row);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    const at = rowAt(event.target);
    if (at?.row && at.tr === event.target) onOpen(at.row);
  };
  const tree = sort.key === 'tree';
  // The rows are the DOM's own elements (rowElement.ts), put in before the browser paints.
  const body = useRef<HTMLTableSectionElement>(null);
  const drawn = useRef(new Map<string, Drawn>());
  useLayoutEffect(() => {
    if (body.current) syncRows(body.current, drawn.current, shown, tree, now);
  }, [shown, tree, now]);
  return (
    <div className="portfolio__table-wrap">
      <table
        role="table"
        className="portfolio-table"
        aria-label="Initiatives in the portfolio"
        aria-describedby="portfolio-open-hint"
        style={CELL_LABELS}
      >
        <caption id="portfolio-open-hint" className="visually-hidden">
          {tree ? 'In tree order: sub-initiatives under their parent.' : 'Sorted by a column.'} Press Enter on a row to
          open its workflow navigator.
        </caption>
        <thead role="rowgroup">
          <tr role="row">
            {COLUMNS.map((column) => (
              <th
                key={column.key}
                role="columnheader"
                scope="col"
                aria-sort={sort.key === column.key ? (sort.descending ? 'descending' : 'ascending') : undefined}
              >
                <button type="button" className="portfolio-table__sort" onClick={() => sortBy(column)}>
                  {column.label}
                  <span aria-hidden="true" className="portfolio-table__arrow">
                    {sort.key === column.key ? (sort.descending ? '▼' : '▲') : ''}
                  </span>
                </button>
              </th>
            ))}
          </tr>
          {!tree && (
            <tr role="row" className="portfolio-table__tree-again">
              <td role="cell" colSpan={COLUMNS.length}>
                <button type="button" className="button button--ghost button--small" onClick={() => onSort(TREE_ORDER)}>
                  Back to tree order
                </button>
              </td>
            </tr>
          )}
        </thead>
        {/* The rows' clicks and Enter, delegated: each row is a focusable table row, its handlers are here. */}
        <tbody role="rowgroup" ref={body} onClick={onClick} onKeyDown={onKeyDown} />
      </table>
    </div>
  );
}
