/**
 * The measures' charts, loaded on demand: recharts and the chart components
 * are a separate chunk, fetched the first time a chart is shown, so the
 * initial JavaScript (docs/performance.md) does not carry them. Import the
 * charts only from here.
 */
import { lazy, Suspense } from 'react';
import type { SparklineProps, TrendChartProps } from './chartData.ts';

export type { SparklineProps, TrendChartProps } from './chartData.ts';
export { LockIcon, TrendArrow } from './TrendArrow.tsx';

const TrendChart = lazy(() => import('./TrendChart.tsx'));
const Sparkline = lazy(() => import('./Sparkline.tsx'));

/**
 * An indicator's curve (see TrendChart.tsx): points, optional subgroups (the
 * chart's own "Show each subgroup" switch shows them; `showSubgroups` sets
 * where it starts), baseline and target lines, and the story notes beside.
 */
export function LazyTrendChart(props: TrendChartProps) {
  return (
    <Suspense
      fallback={
        <div className="trend-chart__loading" style={{ height: props.height ?? 260 }} role="status">
          Loading the chart…
        </div>
      }
    >
      <TrendChart {...props} />
    </Suspense>
  );
}

/** A card's small line of values (see Sparkline.tsx); an empty box of its size until recharts has loaded. */
export function LazySparkline(props: SparklineProps) {
  return (
    <Suspense fallback={<div className="sparkline" aria-hidden="true" style={{ width: props.width ?? 120, height: props.height ?? 32 }} />}>
      <Sparkline {...props} />
    </Suspense>
  );
}
