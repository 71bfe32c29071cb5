/**
 * The indicator's section of the side panel: its values live on the server
 * (src/measures), so the panel shows what the board's measures already hold
 * (the latest value, the trend, a sparkline) and links to the indicator's
 * measures screen, where values are entered, reviewed and imported.
 */
import { formatValue } from '../../../machines/measures/units.ts';
import { periodLabel } from '../../../machines/measures/periods.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';
import { Link } from '../../kit/Link.tsx';
import { indicatorPath, matchRoute, usePathname } from '../../kit/router.ts';
import { useBoardMeasures } from '../../measures/charts/boardMeasures.tsx';
import { LazySparkline, TrendArrow } from '../../measures/charts/lazy.tsx';
import { findEntity } from '../../schema/index.ts';

export function Measurements({ model, entityId }: PanelExtraProps) {
  const measures = useBoardMeasures();
  const route = matchRoute(usePathname());
  const indicator = findEntity(model, entityId);
  if (indicator?.kind !== 'indicator') return null;
  const shown = measures?.get(entityId);
  return (
    <section className="measurements" aria-label="Measures">
      <h4>Measures</h4>
      {!measures ? (
        <p className="measurements__empty">Loading the values…</p>
      ) : !shown ? (
        <p className="measurements__empty">No values yet.</p>
      ) : shown.restricted ? (
        <p className="measurements__empty">
          Restricted: its values reach only the backbone lead and its data stewards.
        </p>
      ) : (
        <div className="measurements__figures">
          <p>
            <span className="muted">Latest: </span>
            <strong>
              {shown.latest
                ? `${formatValue(shown.latest.value, indicator.unit)} (${periodLabel(shown.latest.date, indicator.frequency)})`
                : 'No value yet'}
            </strong>
          </p>
          {shown.trend && <TrendArrow trend={shown.trend} direction={shown.direction} />}
          {shown.points.length > 1 && <LazySparkline points={shown.points} width={200} height={40} />}
        </div>
      )}
      {'id' in route && (
        <Link to={indicatorPath(route.id, entityId)} className="button button--small">
          Open measures
        </Link>
      )}
    </section>
  );
}
