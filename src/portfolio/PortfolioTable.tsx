/**
 * The portfolio's table: one row per initiative, a column per figure, headers
 * that sort (again to turn the order round); a row opens the initiative's
 * navigator on click or Enter. On a phone each row is a card (portfolio.css).
 */
import { memo, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
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
  /** Fixed column widths (portfolio.css: table-layout fixed): the browser need not measure 200 rows to size them. */
  width: string;
}

const COLUMNS: Column[] = [
  { key: 'name', label: 'Initiative', firstDescending: false, width: '20%' },
  { key: 'stage', label: 'Stage', firstDescending: true, width: '14%' },
  { key: 'progress', label: 'Progress', firstDescending: true, width: '12%' },
  { key: 'inStage', label: 'Time in stage', firstDescending: true, width: '11%' },
  { key: 'share', label: 'Report card', firstDescending: true, width: '12%' },
  { key: 'unmet', label: 'Unmet conditions', firstDescending: true, width: '9%' },
  { key: 'lastWorkshop', label: 'Last workshop', firstDescending: true, width: '13%' },
  { key: 'lastActivity', label: 'Last activity', firstDescending: true, width: '9%' },
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
  return (
    <div className="portfolio__table-wrap">
      <table
        className="portfolio-table"
        aria-label="Initiatives in the portfolio"
        aria-describedby="portfolio-open-hint"
      >
        <caption id="portfolio-open-hint" className="visually-hidden">
          {sort.key === 'tree' ? 'In tree order: sub-initiatives under their parent.' : 'Sorted by a column.'} Press
          Enter on a row to open its workflow navigator.
        </caption>
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.key} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead>
          <tr>
            {COLUMNS.map((column) => (
              <th
                key={column.key}
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
          {sort.key !== 'tree' && (
            <tr className="portfolio-table__tree-again">
              <td colSpan={COLUMNS.length}>
                <button type="button" className="button button--ghost button--small" onClick={() => onSort(TREE_ORDER)}>
                  Back to tree order
                </button>
              </td>
            </tr>
          )}
        </thead>
        <tbody>
          {shown.map((item) => (
            <Row key={item.row.id} item={item} tree={sort.key === 'tree'} onOpen={onOpen} now={now} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface RowProps {
  item: ShownRow;
  tree: boolean;
  onOpen: (row: PortfolioRow) => void;
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
    a.onOpen === b.onOpen &&
    a.now === b.now,
);

function sameRollUp(a: ShownRow['rollUp'], b: ShownRow['rollUp']): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

function RowView({ item, tree, onOpen, now }: RowProps) {
  const { row, depth, parentName, rollUp } = item;
  const change = changeText(row);
  const late = beyondEstimate(row, now);
  const onClick = (event: MouseEvent) => {
    // The name's own link navigates by itself (and opens a new tab with a modifier).
    if ((event.target as HTMLElement).closest('a')) return;
    onOpen(row);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.target === event.currentTarget) onOpen(row);
  };
  const up = rollUp ? rollUpText(rollUp) : null;
  return (
    <tr
      className={`portfolio-row${row.role === null ? ' portfolio-row--closed' : ''}`}
      data-id={row.id}
      data-depth={depth}
      tabIndex={0}
      onClick={onClick}
      onKeyDown={onKeyDown}
      style={tree ? { ['--depth' as string]: depth } : undefined}
    >
      <th scope="row" className="portfolio-row__name" data-label={LABEL.name}>
        <span className="portfolio-row__title">
          {tree && depth > 0 && (
            <span className="portfolio-row__branch" aria-hidden="true">
              └
            </span>
          )}
          {row.role === null ? (
            <span>{row.name}</span>
          ) : (
            <Link to={initiativePath(row.id)} tabIndex={-1}>
              {row.name}
            </Link>
          )}
        </span>
        {parentName && (!tree || depth === 0) && <span className="portfolio-row__under">under {parentName}</span>}
        {tree && parentName && depth > 0 && <span className="visually-hidden">, under {parentName}</span>}
        {row.role === null && <span className="portfolio-row__note">not a member: figures only</span>}
        {up && (
          <span className="portfolio-rollup" data-rollup={row.id}>
            <span className="portfolio-rollup__stages">{up.stages}</span>
            <span className="portfolio-rollup__share">{up.share}</span>
          </span>
        )}
      </th>
      <Cell label={LABEL.stage}>
        <span className={`stage-badge stage-badge--${row.stage}`}>{stageLabel(row.stage)}</span>
      </Cell>
      <Cell label={LABEL.progress}>
        <span className="portfolio-progress">
          {/* A plain bar, not <meter>: 200 meters are 200 shadow trees to style and lay out. */}
          <span className="portfolio-progress__bar" aria-hidden="true">
            <span
              style={{ width: `${row.progress.total === 0 ? 0 : (100 * row.progress.met) / row.progress.total}%` }}
            />
          </span>
          {progressText(row)}
        </span>
      </Cell>
      <Cell label={LABEL.inStage}>
        <span className={late ? 'portfolio-late' : undefined}>{durationText(row.stageSince, now)}</span>
        <span className="portfolio-sub">
          {estimateText(row)}
          {late && ': beyond it'}
        </span>
      </Cell>
      <Cell label={LABEL.share}>
        {shareText(row)}
        {change && <span className="portfolio-sub">{change}</span>}
        {row.reportCard && (
          <span className="portfolio-sub">
            {row.reportCard.trendingRight} of {row.reportCard.measures} measures trending right
          </span>
        )}
      </Cell>
      <Cell label={LABEL.unmet} className={row.unmet > 0 ? 'portfolio-unmet' : undefined}>
        {row.unmet === 0 ? 'none' : row.unmet}
      </Cell>
      <Cell label={LABEL.lastWorkshop}>
        {workshopText(row)}
        {row.lastWorkshop && <span className="portfolio-sub">{attendedText(row)}</span>}
      </Cell>
      <Cell label={LABEL.lastActivity}>
        <time dateTime={row.lastActivityAt}>{agoText(row.lastActivityAt, now)}</time>
      </Cell>
    </tr>
  );
}

/** A figure's cell; on a phone its label shows beside it (portfolio.css), so the content is one block. */
function Cell({ label, className, children }: { label: string; className?: string; children: ReactNode }) {
  return (
    <td data-label={label} className={className}>
      <div>{children}</div>
    </td>
  );
}
