/**
 * `/i/:id/measures`: the shared measures of an initiative: the report card
 * (the rule, each year's share of measures trending the right way, each
 * measure's latest value and trend), every indicator opening its own screen,
 * and, for the backbone lead, the public report's links. Live: a value entered
 * anywhere reaches it on the event stream.
 */
import { ACCESS_LEVEL_LABELS } from '../contract/measureAccess.ts';
import { can } from '../contract/permissions.ts';
import { Loading } from '../kit/Notice.tsx';
import { indicatorPath, initiativePath } from '../kit/router.ts';
import { Link } from '../kit/Link.tsx';
import { unitLabel } from '../../machines/measures/units.ts';
import { FREQUENCY_LABELS } from '../../machines/measures/periods.ts';
import { MeasuresHeader, WithMeasures, type MeasuresContext } from './MeasuresShell.tsx';
import { ReportCardView } from './ReportCardView.tsx';
import { ReportLinks } from './ReportLinks.tsx';

export function MeasuresPage({ id }: { id: string }) {
  return (
    <WithMeasures id={id} what="the measures">
      {(context) => <Measures {...context} />}
    </WithMeasures>
  );
}

function Measures({ initiative, role, indicators, boardLoaded, measures }: MeasuresContext) {
  const info = new Map(indicators.map((i) => [i.id, i]));
  const { settings, reportCard, error, reload } = measures;
  return (
    <div className="measures">
      <MeasuresHeader
        back="Back to the boards"
        backTo={`${initiativePath(initiative.id)}#board=framework`}
        eyebrow="Shared measurement"
        title={initiative.name}
      >
        <p className="muted">
          The initiative’s shared measures: how many trend the right way each year, and each measure’s curve. Values are
          entered by the backbone lead, facilitators and each indicator’s data stewards.
        </p>
      </MeasuresHeader>
      {error && (
        <p className="notice notice--error" role="alert">
          The measures could not be loaded: {error}{' '}
          <button type="button" className="button button--small" onClick={reload}>
            Try again
          </button>
        </p>
      )}
      <section className="measures__section" aria-labelledby="measures-card">
        <h2 id="measures-card">Report card</h2>
        {reportCard ? (
          <ReportCardView
            card={reportCard}
            info={info}
            linkTo={(indicatorId) => indicatorPath(initiative.id, indicatorId)}
            headingId="measures-card"
          />
        ) : (
          !error && <Loading what="the report card" />
        )}
      </section>
      <section className="measures__section" aria-labelledby="measures-indicators">
        <h2 id="measures-indicators">
          Indicators <span className="count-badge">{indicators.length}</span>
        </h2>
        {indicators.length === 0 ? (
          <p className="muted">
            {boardLoaded
              ? 'No indicators yet. Add them on the framework board (an indicator card), then enter their values here.'
              : 'Loading the framework board…'}
          </p>
        ) : (
          <ul className="measures__indicators">
            {indicators.map((indicator) => {
              const setting = settings?.get(indicator.id);
              return (
                <li key={indicator.id}>
                  <Link to={indicatorPath(initiative.id, indicator.id)} className="measures__indicator">
                    <strong>{indicator.name}</strong>
                    <span className="muted">
                      {[
                        unitLabel(indicator.unit) || 'No unit',
                        FREQUENCY_LABELS[indicator.frequency],
                        setting ? ACCESS_LEVEL_LABELS[setting.access].split(':')[0] : null,
                      ]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {can(role, 'publishReport') && (
        <section className="measures__section" aria-labelledby="measures-public">
          <h2 id="measures-public">Public report</h2>
          <ReportLinks initiativeId={initiative.id} />
        </section>
      )}
    </div>
  );
}
