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
 * One click and one key handler on the body serve every row.
 */
import { memo, useMemo, type CSSProperties, type KeyboardEvent, type MouseEvent } from 'react';
import type { PortfolioRow } from '../contract/portfolio.ts';
import { Link } from '../kit/Link.tsx';
import { initiativePath } from '../kit/router.ts';
import {
  agoText,
  attendedText,
  changeText,
  durationText,
  estimateText,
  progressText,
  rollUpText,
  shareText,
  stageLabel,
  workshopText,
} from './format.ts';
import { TREE_ORDER, beyondEstimate, type ShownRow, type Sort, type SortKey } from './rows.ts';

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

const LABEL = Object.fromEntries(COLUMNS.map((c) => [c.key, c.label])) as Record<Column['key'], string>;

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
    // The name's own link navigates by itself (and opens a new tab with a modifier).
    if ((event.target as HTMLElement).closest('a')) return;
    const at = rowAt(event.target);
    if (at?.row) onOpen(at.row);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    const at = rowAt(event.target);
    if (at?.row && at.tr === event.target) onOpen(at.row);
  };
  const tree = sort.key === 'tree';
  return (
    <div className="portfolio__table-wrap">
      <table
        role="table"
        className="portfolio-table"
        aria-label="Initiatives in the portfolio"
        aria-describedby="portfolio-open-hint"
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
        <tbody role="rowgroup" onClick={onClick} onKeyDown={onKeyDown}>
          {shown.map((item) => (
            <Row key={item.row.id} item={item} tree={tree} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  item: ShownRow;
  tree: boolean;
  now: number;
}

/** Drawn again only when its figures, place in the tree, roll-up or the clock change (a live event touches a few rows). */
const Row = memo(
  RowView,
  (a, b) =>
    a.item.row === b.item.row &&
    a.item.depth === b.item.depth &&
    a.item.parentName === b.item.parentName &&
    sameRollUp(a.item.rollUp, b.item.rollUp) &&
    a.tree === b.tree &&
    a.now === b.now,
);

function sameRollUp(a: ShownRow['rollUp'], b: ShownRow['rollUp']): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * One initiative. Each figure's cell is labelled for the phone's cards (`data-label`, portfolio.css);
 * the cells hold their text and spans directly, with no wrapper, and each text is one string (one text
 * node, not one per part): 200 rows are some 5,000 nodes already.
 */
function RowView({ item, tree, now }: RowProps) {
  const { row, depth, parentName, rollUp } = item;
  const change = changeText(row);
  const late = beyondEstimate(row, now);
  const up = rollUp ? rollUpText(rollUp) : null;
  const share = row.progress.total === 0 ? 0 : (100 * row.progress.met) / row.progress.total;
  return (
    <tr
      role="row"
      className={row.role === null ? 'portfolio-row portfolio-row--closed' : 'portfolio-row'}
      data-id={row.id}
      data-depth={depth}
      tabIndex={0}
      style={tree ? ({ '--depth': depth } as CSSProperties) : undefined}
    >
      <th role="rowheader" scope="row" className="portfolio-row__name" data-label={LABEL.name}>
        <span className="portfolio-row__title">
          {tree && depth > 0 && (
            <span className="portfolio-row__branch" aria-hidden="true">
              └
            </span>
          )}
          {row.role === null ? (
            row.name
          ) : (
            <Link to={initiativePath(row.id)} tabIndex={-1}>
              {row.name}
            </Link>
          )}
        </span>
        {parentName && (!tree || depth === 0) && <span className="portfolio-row__under">{`under ${parentName}`}</span>}
        {tree && parentName && depth > 0 && <span className="visually-hidden">{`, under ${parentName}`}</span>}
        {row.role === null && <span className="portfolio-row__note">not a member: figures only</span>}
        {up && (
          <span className="portfolio-rollup" data-rollup={row.id}>
            <span>{up.stages}</span>
            <span>{up.share}</span>
          </span>
        )}
      </th>
      <td role="cell" data-label={LABEL.stage}>
        <span className={`stage-badge stage-badge--${row.stage}`}>{stageLabel(row.stage)}</span>
      </td>
      <td role="cell" data-label={LABEL.progress}>
        {/* A plain bar, not <meter>: 200 meters are 200 shadow trees to style and lay out. */}
        <span className="portfolio-progress" aria-hidden="true" style={{ '--met': `${share}%` } as CSSProperties} />
        {progressText(row)}
      </td>
      <td role="cell" data-label={LABEL.inStage}>
        <span className={late ? 'portfolio-late' : undefined}>{durationText(row.stageSince, now)}</span>
        <span className="portfolio-sub">{late ? `${estimateText(row)}: beyond it` : estimateText(row)}</span>
      </td>
      <td role="cell" data-label={LABEL.share}>
        {shareText(row)}
        {change && <span className="portfolio-sub">{change}</span>}
        {row.reportCard && (
          <span className="portfolio-sub">{`${row.reportCard.trendingRight} of ${row.reportCard.measures} measures trending right`}</span>
        )}
      </td>
      <td role="cell" data-label={LABEL.unmet} className={row.unmet > 0 ? 'portfolio-unmet' : undefined}>
        {row.unmet === 0 ? 'none' : String(row.unmet)}
      </td>
      <td role="cell" data-label={LABEL.lastWorkshop}>
        {workshopText(row)}
        {row.lastWorkshop && <span className="portfolio-sub">{attendedText(row)}</span>}
      </td>
      <td role="cell" data-label={LABEL.lastActivity}>
        <time dateTime={row.lastActivityAt}>{agoText(row.lastActivityAt, now)}</time>
      </td>
    </tr>
  );
}
