/**
 * The measures the board's cards show (issue #12, point 6): each indicator's
 * whole-population series and its trend, or that it is restricted for this
 * viewer; and, for a strategy or working group, how many of its measures trend
 * the right way. Fetched once per board page (`BoardMeasuresProvider` around
 * the board, one `useMeasures` call) and read by each card from the context,
 * never fetched per card.
 */
import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { Direction, Point, Trend } from '../../../machines/measures/trend.ts';
import type { ReportCardAnswer } from '../../contract/measureAccess.ts';
import type { MeasurementRow } from '../../contract/measureAccess.ts';
import { seriesOf, useMeasures } from '../useMeasures.ts';

/** One indicator as its card shows it. */
export type IndicatorOnBoard =
  | { restricted: true }
  | { restricted: false; points: Point[]; latest: Point | null; trend: Trend | null; direction: Direction };

/** Null until the measures have loaded (or when they cannot be): the cards then show no figures. */
export type BoardMeasures = ReadonlyMap<string, IndicatorOnBoard> | null;

const BoardMeasuresContext = createContext<BoardMeasures>(null);

/** What the cards read: each indicator of the report card, by id. */
export function boardMeasures(reportCard: ReportCardAnswer | null, measurements: readonly MeasurementRow[]): BoardMeasures {
  if (!reportCard) return null;
  const byId = new Map<string, IndicatorOnBoard>();
  for (const i of reportCard.indicators) {
    if (i.restricted) byId.set(i.id, { restricted: true });
    else byId.set(i.id, { restricted: false, points: seriesOf(measurements, i.id), latest: i.latest, trend: i.trend, direction: i.direction });
  }
  return byId;
}

/** Loads the initiative's measures once for the board inside it. */
export function BoardMeasuresProvider({ initiativeId, children }: { initiativeId: string; children: ReactNode }) {
  const { reportCard, measurements } = useMeasures(initiativeId);
  const value = useMemo(() => boardMeasures(reportCard, measurements), [reportCard, measurements]);
  return <BoardMeasuresContext.Provider value={value}>{children}</BoardMeasuresContext.Provider>;
}

export function useBoardMeasures(): BoardMeasures {
  return useContext(BoardMeasuresContext);
}

/** How many of some measures trend the right way, among those whose trend the viewer may see. */
export interface RightWayCount {
  /** Trending the right way. */
  right: number;
  /** Measures whose trend the viewer may see (the "of"). */
  seen: number;
  /** Linked measures restricted for this viewer: not counted. */
  restricted: number;
}

/** The count for the measures `indicatorIds` (duplicates and unknown ids ignored). */
export function rightWayCount(measures: NonNullable<BoardMeasures>, indicatorIds: readonly string[]): RightWayCount {
  const count: RightWayCount = { right: 0, seen: 0, restricted: 0 };
  for (const id of new Set(indicatorIds)) {
    const m = measures.get(id);
    if (!m) continue;
    if (m.restricted) count.restricted += 1;
    else {
      count.seen += 1;
      if (m.trend === 'right') count.right += 1;
    }
  }
  return count;
}

/** "2 of 3 measures trending the right way", and the title that says what is not counted. */
export function rightWayWords(count: RightWayCount): { text: string; title: string } | null {
  if (count.seen === 0 && count.restricted === 0) return null;
  const hidden =
    count.restricted === 0
      ? 'Counts its measures by the report card’s trend rule.'
      : `Counts only the measures whose trend you may see: ${count.restricted} restricted ${count.restricted === 1 ? 'measure is' : 'measures are'} left out.`;
  if (count.seen === 0) return { text: `${count.restricted} restricted ${count.restricted === 1 ? 'measure' : 'measures'}`, title: hidden };
  return { text: `${count.right} of ${count.seen} ${count.seen === 1 ? 'measure' : 'measures'} trending the right way`, title: hidden };
}
