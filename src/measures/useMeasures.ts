/**
 * The shared measures of an initiative as the caller may see them, live: each
 * indicator's settings (access, stewards, baseline, target, the caller's
 * rights), the current values and the report card. Asked again whenever the
 * initiative's event stream says measures changed (`measures`, which carries
 * no values) or the caller's role changed (`access`), and when the stream
 * reconnects. One hook serves the board's cards, the measures screens and the
 * indicator panel.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { pointsOf, type Point } from '../../machines/measures/index.ts';
import type { IndicatorSettingsView, MeasurementRow, ReportCardAnswer } from '../contract/measureAccess.ts';
import { api } from '../kit/api.ts';
import { listenToStream } from '../kit/eventStream.ts';

export interface Measures {
  /** Null until the first answer. */
  settings: ReadonlyMap<string, IndicatorSettingsView> | null;
  /** Current values the caller may see (rejected ones included: the grid shows them). */
  measurements: readonly MeasurementRow[];
  reportCard: ReportCardAnswer | null;
  error: string | null;
  /** Asks again now (after the caller's own change). */
  reload: () => void;
}

export function useMeasures(initiativeId: string): Measures {
  const [state, setState] = useState<Omit<Measures, 'reload'>>({ settings: null, measurements: [], reportCard: null, error: null });
  const asked = useRef(0);
  const reload = useCallback(() => {
    const ask = ++asked.current;
    Promise.all([api.listIndicatorSettings(initiativeId), api.listMeasurements(initiativeId), api.getReportCard(initiativeId)]).then(
      ([settings, measurements, reportCard]) => {
        if (ask !== asked.current) return;
        setState({ settings: new Map(settings.map((s) => [s.indicator, s])), measurements, reportCard, error: null });
      },
      (error: unknown) => {
        if (ask !== asked.current) return;
        setState((now) => ({ ...now, error: error instanceof Error ? error.message : String(error) }));
      },
    );
  }, [initiativeId]);
  useEffect(() => {
    reload();
    const stops = ['measures', 'access', 'open'].map((event) => listenToStream(initiativeId, event, reload));
    return () => {
      asked.current += 1;
      for (const stop of stops) stop();
    };
  }, [initiativeId, reload]);
  return { ...state, reload };
}

/**
 * One indicator's series, one point per period (its `period` as the date),
 * rejected values left out: the whole population's with `subgroup` null, or
 * one subgroup's.
 */
export function seriesOf(measurements: readonly MeasurementRow[], indicator: string, subgroup: string | null = null): Point[] {
  return pointsOf(
    measurements.filter((m) => m.indicator === indicator),
    subgroup,
    (m) => m.status !== 'rejected' && m.current,
  );
}
