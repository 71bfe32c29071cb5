/**
 * `/i/:id/measures/:indicatorId`: one indicator: its figures and curve with the
 * story behind it, its settings (access, stewards, baseline, target), the
 * entry grid (periods down, subgroups across) and the CSV import. Live: values
 * entered by others reach it on the event stream.
 */
import { INDICATOR_DIRECTION_LABELS } from '../../machines/entities.ts';
import { FREQUENCY_LABELS } from '../../machines/measures/periods.ts';
import { unitLabel } from '../../machines/measures/units.ts';
import { ACCESS_LEVEL_LABELS } from '../contract/measureAccess.ts';
import { Loading, Notice } from '../kit/Notice.tsx';
import { Link } from '../kit/Link.tsx';
import { measuresPath } from '../kit/router.ts';
import { CsvImport } from './CsvImport.tsx';
import { LazyTrendChart } from './charts/lazy.tsx';
import { EntryGrid } from './EntryGrid.tsx';
import { Figures } from './Figures.tsx';
import { IndicatorSettings } from './IndicatorSettings.tsx';
import { MeasuresHeader, WithMeasures, type MeasuresContext } from './MeasuresShell.tsx';
import { seriesOf } from './useMeasures.ts';

export function IndicatorPage({ id, indicatorId }: { id: string; indicatorId: string }) {
  return (
    <WithMeasures id={id} what="the indicator">
      {(context) => <Indicator {...context} indicatorId={indicatorId} />}
    </WithMeasures>
  );
}

function Indicator({
  initiative,
  role,
  indicators,
  boardLoaded,
  measures,
  indicatorId,
}: MeasuresContext & { indicatorId: string }) {
  const indicator = indicators.find((i) => i.id === indicatorId);
  const back = measuresPath(initiative.id);
  if (!indicator) {
    if (!boardLoaded) return <Loading what="the indicator" />;
    return (
      <Notice title="No such indicator">
        <p>
          This indicator is not on the framework board (any more). <Link to={back}>See every measure</Link>.
        </p>
      </Notice>
    );
  }
  const settings = measures.settings?.get(indicator.id) ?? null;
  const rows = measures.measurements.filter((m) => m.indicator === indicator.id);
  const points = seriesOf(rows, indicator.id);
  const subgroups = Object.fromEntries(indicator.subgroups.map((s) => [s, seriesOf(rows, indicator.id, s)]));
  const trend = measures.reportCard?.indicators.find((i) => i.id === indicator.id)?.trend ?? null;
  const stories = rows
    .filter((r) => r.current && r.subgroup === null && r.status !== 'rejected' && r.note)
    .map((r) => ({ period: r.period, note: r.note ?? '' }));

  return (
    <div className="measures">
      <MeasuresHeader back="Every measure" backTo={back} eyebrow="Indicator" title={indicator.name}>
        {indicator.definition && <p className="measures__definition">{indicator.definition}</p>}
        <p className="muted">
          {[
            unitLabel(indicator.unit) || 'No unit',
            INDICATOR_DIRECTION_LABELS[indicator.direction],
            FREQUENCY_LABELS[indicator.frequency],
          ].join(' · ')}
          {settings && (
            <>
              {' · '}
              <span className={`access-badge access-badge--${settings.access}`}>
                {ACCESS_LEVEL_LABELS[settings.access]}
              </span>
            </>
          )}
        </p>
      </MeasuresHeader>
      {measures.error && (
        <p className="notice notice--error" role="alert">
          The values could not be loaded: {measures.error}{' '}
          <button type="button" className="button button--small" onClick={measures.reload}>
            Try again
          </button>
        </p>
      )}
      {!settings ? (
        !measures.error && <Loading what="the values" />
      ) : !settings.rights.see ? (
        <section className="measures__section">
          <p>
            This indicator is restricted: its values reach only the backbone lead and its data stewards
            {settings.stewards.length ? ` (${settings.stewards.map((s) => s.name).join(', ')})` : ''}. Its trend still
            counts in the report card.
          </p>
        </section>
      ) : (
        <>
          <section className="measures__section" aria-labelledby="indicator-curve">
            <h2 id="indicator-curve">Curve</h2>
            <Figures
              indicator={indicator}
              points={points}
              baseline={settings.baseline}
              target={settings.target}
              trend={trend}
            />
            <LazyTrendChart
              name={indicator.name}
              unit={indicator.unit}
              direction={indicator.direction}
              frequency={indicator.frequency}
              points={points}
              subgroups={subgroups}
              baseline={settings.baseline}
              target={settings.target}
              stories={stories}
            />
            {stories.length === 0 && (
              <p className="muted">
                The story behind the curve: a note entered with a value (the Story button of a total in the grid
                below, or the note column of a CSV import) tells what happened in its period, and shows beside the
                curve.
              </p>
            )}
          </section>
          <section className="measures__section" aria-labelledby="indicator-settings">
            <h2 id="indicator-settings">Settings</h2>
            <IndicatorSettings
              initiativeId={initiative.id}
              indicator={indicator}
              settings={settings}
              onChanged={measures.reload}
            />
          </section>
          <section className="measures__section" aria-labelledby="indicator-values">
            <h2 id="indicator-values">Values</h2>
            {settings.rights.enter ? (
              <p className="muted">Type a value and press Enter. Arrow keys move between cells.</p>
            ) : (
              <p className="muted">
                You can read these values; the backbone lead, facilitators and this indicator’s data stewards enter
                them.
              </p>
            )}
            <EntryGrid
              initiativeId={initiative.id}
              indicator={indicator}
              rights={settings.rights}
              viewer={{ role, memberId: initiative.me?.id ?? null }}
              rows={rows}
              baselineDate={settings.baseline?.date ?? null}
              onChanged={measures.reload}
            />
          </section>
          {settings.rights.enter && (
            <section className="measures__section" aria-labelledby="indicator-import">
              <h2 id="indicator-import">Import values from a CSV file</h2>
              <CsvImport initiativeId={initiative.id} onImported={measures.reload} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
