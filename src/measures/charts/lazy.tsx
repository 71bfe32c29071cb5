/**
 * The measures' charts, loaded on demand: recharts and the chart components
 * are a separate chunk, fetched the first time a chart is shown, so the
 * initial JavaScript (docs/performance.md) does not carry them. Import the
 * charts only from here. When the chunk cannot be fetched (the connection
 * dropped), the chart says so and offers to try again, and a sparkline stays
 * an empty box: the rest of the page goes on working.
 */
import { Component, lazy, Suspense, useState, type ReactNode } from 'react';
import type { SparklineProps, TrendChartProps } from './chartData.ts';

export type { SparklineProps, TrendChartProps } from './chartData.ts';
export { LockIcon, TrendArrow } from './TrendArrow.tsx';

const loadTrendChart = () => import('./TrendChart.tsx');
const loadSparkline = () => import('./Sparkline.tsx');
// A failed import stays failed in its lazy component: trying again takes a new one.
let TrendChart = lazy(loadTrendChart);
let Sparkline = lazy(loadSparkline);

/** Shows `failed` instead of children that threw (a chart chunk that did not load). */
class ChartBoundary extends Component<
  { failed: (retry: () => void) => ReactNode; onRetry: () => void; children: ReactNode },
  { error: boolean }
> {
  override state = { error: false };
  static getDerivedStateFromError() {
    return { error: true };
  }
  override render() {
    if (!this.state.error) return this.props.children;
    return this.props.failed(() => {
      this.props.onRetry();
      this.setState({ error: false });
    });
  }
}

/**
 * An indicator's curve (see TrendChart.tsx): points, optional subgroups (the
 * chart's own "Show each subgroup" switch shows them; `showSubgroups` sets
 * where it starts), baseline and target lines, and the story notes beside.
 */
export function LazyTrendChart(props: TrendChartProps) {
  const [, setAttempt] = useState(0);
  return (
    <ChartBoundary
      onRetry={() => {
        TrendChart = lazy(loadTrendChart);
        Sparkline = lazy(loadSparkline);
        setAttempt((n) => n + 1);
      }}
      failed={(retry) => (
        <div className="trend-chart__loading" style={{ height: props.height ?? 260 }} role="alert">
          The chart could not be loaded.{' '}
          <button type="button" className="button button--small" onClick={retry}>
            Try again
          </button>
        </div>
      )}
    >
      <Suspense
        fallback={
          <div className="trend-chart__loading" style={{ height: props.height ?? 260 }} role="status">
            Loading the chart…
          </div>
        }
      >
        <TrendChart {...props} />
      </Suspense>
    </ChartBoundary>
  );
}

/** A card's small line of values (see Sparkline.tsx); an empty box of its size until recharts has loaded, or if it cannot. */
export function LazySparkline(props: SparklineProps) {
  const box = (
    <div className="sparkline" aria-hidden="true" style={{ width: props.width ?? 120, height: props.height ?? 32 }} />
  );
  return (
    <ChartBoundary failed={() => box} onRetry={() => {}}>
      <Suspense fallback={box}>
        <Sparkline {...props} />
      </Suspense>
    </ChartBoundary>
  );
}
