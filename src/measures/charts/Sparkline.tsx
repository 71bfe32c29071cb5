/**
 * A small line of an indicator's values, for its card on the framework board:
 * no axes, no labels, the last value marked. Decorative (aria-hidden): the card
 * says the latest value and the trend in words beside it. Drawn with recharts;
 * import it through `LazySparkline` (./lazy.tsx), never directly.
 */
import { Line, LineChart, YAxis } from 'recharts';
import type { SparklineProps } from './chartData.ts';

export default function Sparkline({ points, width = 120, height = 32 }: SparklineProps) {
  const data = [...points].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const last = data.length - 1;
  return (
    <div className="sparkline" aria-hidden="true" style={{ width, height }}>
      <LineChart width={width} height={height} data={data} margin={{ top: 4, right: 4, bottom: 4, left: 4 }} accessibilityLayer={false}>
        <YAxis hide domain={['dataMin', 'dataMax']} />
        <Line
          type="linear"
          dataKey="value"
          stroke="var(--accent)"
          strokeWidth={1.5}
          isAnimationActive={false}
          dot={(dot: { cx?: number; cy?: number; index?: number }) =>
            dot.index === last && dot.cx !== undefined && dot.cy !== undefined ? (
              <circle key="last" cx={dot.cx} cy={dot.cy} r={2.5} fill="var(--accent)" />
            ) : (
              <g key={dot.index} />
            )
          }
        />
      </LineChart>
    </div>
  );
}
