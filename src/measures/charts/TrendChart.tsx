/**
 * An indicator's curve (issue #12, point 5): a line of the whole population's
 * values by period, the baseline and the target as labelled reference lines,
 * each subgroup as a further line on demand, and the story behind the curve
 * beside it. Drawn with recharts, which only this chunk and Sparkline's load:
 * import it through `LazyTrendChart` (./lazy.tsx), never directly.
 *
 * Accessible: the plot is one image (role="img") whose label says the latest
 * value, its movement and the baseline and target; a visually hidden table
 * holds every value. Subgroup lines differ in dash as well as colour.
 */
import './charts.css';
import { useId, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatValue } from '../../../machines/measures/units.ts';
import { periodLabel } from '../../../machines/measures/periods.ts';
import { chartRows, describeCurve, subgroupKey, valueAxis, type TrendChartProps } from './chartData.ts';

/** Subgroup lines: colour and dash both differ, so they tell apart in grey too. */
const SUBGROUP_STYLES = [
  { stroke: '#b45309', dash: '6 3' },
  { stroke: '#7c3aed', dash: '2 3' },
  { stroke: '#0f766e', dash: '10 4' },
  { stroke: '#be185d', dash: '4 2 1 2' },
  { stroke: '#4d7c0f', dash: '1 2' },
  { stroke: '#1e40af', dash: '8 2 2 2' },
];

export default function TrendChart(props: TrendChartProps) {
  const { points, subgroups = {}, baseline, target, unit, frequency, name, stories = [], height = 260 } = props;
  const [showSubgroups, setShowSubgroups] = useState(props.showSubgroups ?? false);
  const id = useId();
  const withValues = Object.entries(subgroups).filter(([, series]) => series.length > 0);
  const drawn = showSubgroups ? Object.fromEntries(withValues) : {};
  const rows = chartRows(points, drawn, frequency);
  const tableRows = chartRows(points, Object.fromEntries(withValues), frequency);
  const values = [
    ...points.map((p) => p.value),
    ...Object.values(drawn).flatMap((s) => s.map((p) => p.value)),
    ...(baseline ? [baseline.value] : []),
    ...(target ? [target.value] : []),
  ];
  const axis = valueAxis(values, unit);
  const fmt = (v: unknown) => (typeof v === 'number' ? formatValue(v, unit) : '—');
  const label = describeCurve(props);

  return (
    <figure className="trend-chart">
      <div className="trend-chart__body">
        <div className="trend-chart__plot">
          {withValues.length > 0 && (
            <label className="trend-chart__switch">
              <input type="checkbox" checked={showSubgroups} onChange={(e) => setShowSubgroups(e.target.checked)} />
              Show each subgroup
            </label>
          )}
          <div role="img" aria-label={label} className="trend-chart__image" style={{ height }}>
            {rows.length === 0 ? (
              <p className="trend-chart__empty" aria-hidden="true">
                No values yet.
              </p>
            ) : (
              <LineChart data={rows} responsive style={{ width: '100%', height }} margin={{ top: 16, right: 24, bottom: 4, left: 8 }} accessibilityLayer={false}>
                <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" tick={{ fontSize: 12, fill: 'var(--text-muted)' }} tickLine={false} />
                <YAxis domain={axis.domain} ticks={axis.ticks} interval={0} tickFormatter={fmt} tick={{ fontSize: 12, fill: 'var(--text-muted)' }} width={72} allowDecimals />
                <Tooltip formatter={(v, key) => [fmt(v), key === 'value' ? 'Whole population' : String(key).replace(/^sub:/, '')]} />
                {baseline && (
                  <ReferenceLine
                    y={baseline.value}
                    stroke="var(--text-muted)"
                    strokeDasharray="4 4"
                    label={{ value: `Baseline ${fmt(baseline.value)}`, position: 'insideBottomLeft', fontSize: 12, fill: 'var(--text-muted)' }}
                  />
                )}
                {target && (
                  <ReferenceLine
                    y={target.value}
                    stroke="var(--success)"
                    strokeDasharray="8 4"
                    label={{ value: `Target ${fmt(target.value)}${target.date ? ` by ${target.date.slice(0, 4)}` : ''}`, position: 'insideTopLeft', fontSize: 12, fill: 'var(--success)' }}
                  />
                )}
                <Line
                  type="linear"
                  dataKey="value"
                  name="Whole population"
                  stroke="var(--accent)"
                  strokeWidth={2.5}
                  dot={{ r: 3 }}
                  connectNulls
                  isAnimationActive={false}
                />
                {Object.keys(drawn).map((sub, i) => {
                  const style = SUBGROUP_STYLES[i % SUBGROUP_STYLES.length];
                  return (
                    <Line
                      key={sub}
                      type="linear"
                      dataKey={subgroupKey(sub)}
                      name={sub}
                      stroke={style.stroke}
                      strokeDasharray={style.dash}
                      strokeWidth={1.5}
                      dot={{ r: 2 }}
                      connectNulls
                      isAnimationActive={false}
                    />
                  );
                })}
                {showSubgroups && withValues.length > 0 && <Legend wrapperStyle={{ fontSize: 12 }} />}
              </LineChart>
            )}
          </div>
        </div>
        {stories.length > 0 && (
          <aside className="trend-chart__stories" aria-labelledby={`${id}-stories`}>
            <h4 id={`${id}-stories`}>The story behind the curve</h4>
            <dl>
              {[...stories]
                .sort((a, b) => (a.period < b.period ? 1 : -1))
                .map((s) => (
                  <div key={s.period}>
                    <dt>{periodLabel(s.period, frequency)}</dt>
                    <dd>{s.note}</dd>
                  </div>
                ))}
            </dl>
          </aside>
        )}
      </div>
      <table className="visually-hidden">
        <caption>{name ? `Values of ${name}` : 'Values'}, by period</caption>
        <thead>
          <tr>
            <th scope="col">Period</th>
            <th scope="col">Whole population</th>
            {withValues.map(([sub]) => (
              <th key={sub} scope="col">
                {sub}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {tableRows.map((row) => (
            <tr key={row.period}>
              <th scope="row">{row.label}</th>
              <td>{fmt(row.value)}</td>
              {withValues.map(([sub]) => (
                <td key={sub}>{fmt(row[subgroupKey(sub)])}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
