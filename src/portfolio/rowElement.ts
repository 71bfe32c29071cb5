/**
 * One initiative's row of the portfolio table, built with the DOM's own calls (PortfolioTable.tsx puts the rows in
 * its body). Why not React elements: 200 rows are some 4,000 elements, and React's work per element (a fiber, its
 * props walked one by one, the commit) cost the dashboard's first paint about as much as everything else together
 * (docs/performance.md, "The portfolio"); creating the same elements directly costs a fraction. Text goes in as
 * text (`textContent`, text nodes), never as HTML: a name is never markup.
 *
 * Each figure's cell is labelled for the phone's cards by its column (portfolio.css: the labels are the table's
 * custom properties, set once, not an attribute on each of 1,600 cells).
 */
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
import { beyondEstimate, type ShownRow } from './rows.ts';

function element<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className?: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A table cell (`role` kept explicit: a table drawn as grids may lose its implicit roles in some browsers). */
function cell(tr: HTMLElement, className?: string): HTMLElement {
  const td = element('td', className);
  td.setAttribute('role', 'cell');
  tr.appendChild(td);
  return td;
}

const sub = (parent: HTMLElement, text: string) => parent.appendChild(element('span', 'portfolio-sub', text));

/** The row of `item`, in tree order (`tree`: indented under its parent) or sorted, its times counted from `now`. */
export function rowElement(item: ShownRow, tree: boolean, now: number): HTMLTableRowElement {
  const { row, depth, parentName, rollUp } = item;
  const tr = element('tr', row.role === null ? 'portfolio-row portfolio-row--closed' : 'portfolio-row');
  tr.setAttribute('role', 'row');
  tr.dataset.id = row.id;
  tr.dataset.depth = String(depth);
  tr.tabIndex = 0;
  if (tree) tr.style.setProperty('--depth', String(depth));

  const th = element('th', 'portfolio-row__name');
  th.setAttribute('role', 'rowheader');
  th.scope = 'row';
  tr.appendChild(th);
  const title = th.appendChild(element('span', 'portfolio-row__title'));
  if (tree && depth > 0) title.appendChild(element('span', 'portfolio-row__branch', '└')).setAttribute('aria-hidden', 'true');
  if (row.role === null) title.appendChild(document.createTextNode(row.name));
  else {
    // The table body's click handler opens it in place (PortfolioTable.tsx); a modified click opens a new tab.
    const link = title.appendChild(element('a', undefined, row.name));
    link.href = initiativePath(row.id);
    link.tabIndex = -1;
  }
  if (parentName && (!tree || depth === 0)) th.appendChild(element('span', 'portfolio-row__under', `under ${parentName}`));
  if (tree && parentName && depth > 0) th.appendChild(element('span', 'visually-hidden', `, under ${parentName}`));
  if (row.role === null) th.appendChild(element('span', 'portfolio-row__note', 'not a member: figures only'));
  if (rollUp) {
    const up = rollUpText(rollUp);
    const box = th.appendChild(element('span', 'portfolio-rollup'));
    box.dataset.rollup = row.id;
    box.appendChild(element('span', undefined, up.stages));
    box.appendChild(element('span', undefined, up.share));
  }

  cell(tr).appendChild(element('span', `stage-badge stage-badge--${row.stage}`, stageLabel(row.stage)));

  const progress = cell(tr);
  // A plain bar, not <meter>: 200 meters are 200 shadow trees to style and lay out.
  const bar = progress.appendChild(element('span', 'portfolio-progress'));
  bar.setAttribute('aria-hidden', 'true');
  bar.style.setProperty('--met', `${row.progress.total === 0 ? 0 : (100 * row.progress.met) / row.progress.total}%`);
  progress.appendChild(document.createTextNode(progressText(row)));

  const inStage = cell(tr);
  const late = beyondEstimate(row, now);
  inStage.appendChild(element('span', late ? 'portfolio-late' : undefined, durationText(row.stageSince, now)));
  sub(inStage, late ? `${estimateText(row)}: beyond it` : estimateText(row));

  const share = cell(tr);
  share.appendChild(document.createTextNode(shareText(row)));
  const change = changeText(row);
  if (change) sub(share, change);
  if (row.reportCard) sub(share, `${row.reportCard.trendingRight} of ${row.reportCard.measures} measures trending right`);

  cell(tr, row.unmet > 0 ? 'portfolio-unmet' : undefined).textContent = row.unmet === 0 ? 'none' : String(row.unmet);

  const workshop = cell(tr);
  workshop.appendChild(document.createTextNode(workshopText(row)));
  if (row.lastWorkshop) sub(workshop, attendedText(row));

  const time = cell(tr).appendChild(element('time', undefined, agoText(row.lastActivityAt, now)));
  time.dateTime = row.lastActivityAt;
  return tr;
}

/** What a built row shows: it is built again only when one of these changes (a live event touches a few rows). */
export interface Drawn {
  tr: HTMLTableRowElement;
  item: ShownRow;
  tree: boolean;
  now: number;
}

export const sameDrawing = (drawn: Drawn, item: ShownRow, tree: boolean, now: number): boolean =>
  drawn.tree === tree &&
  drawn.now === now &&
  drawn.item.row === item.row &&
  drawn.item.depth === item.depth &&
  drawn.item.parentName === item.parentName &&
  sameRollUp(drawn.item.rollUp, item.rollUp);

function sameRollUp(a: ShownRow['rollUp'], b: ShownRow['rollUp']): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

/**
 * Puts `shown`'s rows into `body` in order: a row whose figures did not change keeps its element (moved if the
 * order changed), a changed one is built again, rows no longer shown leave. `drawn`: the rows in `body`, by id.
 */
export function syncRows(body: HTMLElement, drawn: Map<string, Drawn>, shown: ShownRow[], tree: boolean, now: number): void {
  const keep = new Set<string>();
  // A row built again takes the keyboard's focus over from the one it replaces (a live event, the clock's minute).
  let refocus: HTMLElement | null = null;
  let next: ChildNode | null = body.firstChild;
  for (const item of shown) {
    const id = item.row.id;
    keep.add(id);
    let entry = drawn.get(id);
    if (!entry || !sameDrawing(entry, item, tree, now)) {
      const tr = rowElement(item, tree, now);
      if (entry) {
        if (entry.tr.contains(document.activeElement)) refocus = tr;
        if (entry.tr === next) next = next.nextSibling;
        entry.tr.remove();
      }
      entry = { tr, item, tree, now };
      drawn.set(id, entry);
    }
    if (entry.tr === next) next = next.nextSibling;
    else body.insertBefore(entry.tr, next);
  }
  for (const [id, entry] of drawn) {
    if (keep.has(id)) continue;
    entry.tr.remove();
    drawn.delete(id);
  }
  refocus?.focus({ preventScroll: true });
}
