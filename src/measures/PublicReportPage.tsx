/**
 * `/report/:token`: the public report an initiative's backbone lead published
 * (no sign-in): the initiative and its issue, the goal, the strategies, the
 * curves of its public indicators (approved values only) and the report card.
 * A revoked link says so in a sentence. Printable.
 */
import './measures.css';
import { useEffect } from 'react';
import { INDICATOR_DIRECTION_LABELS } from '../../machines/entities.ts';
import { unitLabel } from '../../machines/measures/units.ts';
import { FREQUENCY_LABELS } from '../../machines/measures/periods.ts';
import type { PublicReport } from '../contract/measureAccess.ts';
import { api, ApiError } from '../kit/api.ts';
import { Loading, Notice } from '../kit/Notice.tsx';
import { useAsync } from '../kit/useAsync.ts';
import { formatDay } from '../kit/when.ts';
import { LazyTrendChart } from './charts/lazy.tsx';
import { Figures } from './Figures.tsx';
import { ReportCardView } from './ReportCardView.tsx';

export function PublicReportPage({ token }: { token: string }) {
  const result = useAsync(() => api.getPublicReport(token), token);
  useEffect(() => {
    if (result.state === 'ready') document.title = `${result.value.initiative.name}: progress report`;
  }, [result]);
  if (result.state === 'loading') return <Loading what="the report" />;
  if (result.state === 'failed') {
    const gone = result.error instanceof ApiError && result.error.status === 404;
    return (
      <Notice
        title={gone ? 'This report is not published' : 'The report could not be loaded'}
        tone={gone ? 'neutral' : 'error'}
      >
        <p>{result.error.message}</p>
      </Notice>
    );
  }
  return <Report report={result.value} />;
}

function Report({ report }: { report: PublicReport }) {
  const info = new Map(report.indicators.map((i) => [i.id, i]));
  const names = new Map(report.indicators.map((i) => [i.id, i.name]));
  return (
    <article className="measures public-report">
      <header className="measures__header">
        <p className="eyebrow">Progress report</p>
        <h1>{report.initiative.name}</h1>
        <p className="public-report__issue">{report.initiative.issue}</p>
        <p className="muted">
          As of {formatDay(report.at)}. Published by the initiative’s backbone; it shows the measures the initiative
          made public, with reviewed values only.{' '}
          <button type="button" className="button button--small public-report__print" onClick={() => window.print()}>
            Print
          </button>
        </p>
      </header>
      {report.goal && (
        <section className="measures__section" aria-labelledby="report-goal">
          <h2 id="report-goal">Goal</h2>
          <p>{report.goal}</p>
        </section>
      )}
      {report.strategies.length > 0 && (
        <section className="measures__section" aria-labelledby="report-strategies">
          <h2 id="report-strategies">Strategies</h2>
          <ul className="public-report__strategies">
            {report.strategies.map((strategy) => {
              const measured = strategy.indicatorIds.map((id) => names.get(id)).filter((n): n is string => !!n);
              return (
                <li key={strategy.id}>
                  <strong>{strategy.name}</strong>
                  {strategy.description && <p>{strategy.description}</p>}
                  {measured.length > 0 && <p className="muted">Measured by: {measured.join(', ')}</p>}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <section className="measures__section" aria-labelledby="report-card">
        <h2 id="report-card">Report card</h2>
        <ReportCardView card={report.reportCard} info={info} headingId="report-card" />
      </section>
      <section className="measures__section" aria-labelledby="report-indicators">
        <h2 id="report-indicators">Indicators</h2>
        {report.indicators.length === 0 && <p className="muted">No indicator is public yet.</p>}
        {report.indicators.map((indicator) => (
          <section key={indicator.id} className="public-report__indicator" aria-labelledby={`report-${indicator.id}`}>
            <h3 id={`report-${indicator.id}`}>{indicator.name}</h3>
            {indicator.definition && <p>{indicator.definition}</p>}
            <p className="muted">
              {[
                unitLabel(indicator.unit) || 'No unit',
                INDICATOR_DIRECTION_LABELS[indicator.direction],
                FREQUENCY_LABELS[indicator.frequency],
              ].join(' · ')}
            </p>
            <Figures
              indicator={indicator}
              points={indicator.points}
              baseline={indicator.baseline}
              target={indicator.target}
              trend={indicator.trend}
            />
            <LazyTrendChart
              name={indicator.name}
              unit={indicator.unit}
              direction={indicator.direction}
              frequency={indicator.frequency}
              points={indicator.points}
              subgroups={indicator.subgroups}
              baseline={indicator.baseline}
              target={indicator.target}
              stories={indicator.stories}
            />
          </section>
        ))}
      </section>
    </article>
  );
}
