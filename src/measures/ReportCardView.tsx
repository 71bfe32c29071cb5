/**
 * The report card (docs/measures.md): the rule in its own words, per year how
 * many measures trend the right way out of how many and the share, and each
 * measure with its latest value and trend. Restricted measures the viewer may
 * not see are named as restricted, without values (their trends still count).
 */
import type { ReportCard } from '../../machines/measures/index.ts';
import { formatShare } from '../../machines/measures/index.ts';
import { formatValue } from '../../machines/measures/units.ts';
import { periodLabel, type Frequency } from '../../machines/measures/periods.ts';
import type { ReportCardAnswer } from '../contract/measureAccess.ts';
import { Link } from '../kit/Link.tsx';
import { TrendArrow } from './charts/lazy.tsx';

interface Props {
  card: ReportCard | ReportCardAnswer;
  /** Each indicator's unit and frequency (from the board), to write its latest value. */
  info: ReadonlyMap<string, { unit: string; frequency: Frequency }>;
  /** Where a measure opens (the indicator's screen); none on the public report. */
  linkTo?: (indicatorId: string) => string;
  headingId: string;
}

export function ReportCardView({ card, info, linkTo, headingId }: Props) {
  const years = [...card.years].sort((a, b) => b.year - a.year);
  return (
    <div className="report-card">
      <p className="report-card__rule">
        <strong>The rule: </strong>
        {card.rule}
      </p>
      {years.length === 0 ? (
        <p className="muted">No values yet: the report card fills in as values are entered.</p>
      ) : (
        <div className="table-scroll">
          <table className="measures-table report-card__years" aria-labelledby={headingId}>
            <thead>
              <tr>
                <th scope="col">Year</th>
                <th scope="col" className="number">
                  Trending the right way
                </th>
                <th scope="col" className="number">
                  Measures
                </th>
                <th scope="col" className="number">
                  Share
                </th>
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  <td className="number">{y.trendingRight}</td>
                  <td className="number">{y.measures}</td>
                  <td className="number">{formatShare(y.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ul className="report-card__measures" aria-label="Measures">
        {card.indicators.map((indicator) => {
          const restricted = 'restricted' in indicator && indicator.restricted;
          const about = info.get(indicator.id);
          const name = linkTo ? <Link to={linkTo(indicator.id)}>{indicator.name}</Link> : <span>{indicator.name}</span>;
          return (
            <li key={indicator.id} className="report-card__measure">
              <span className="report-card__name">{name}</span>
              {restricted ? (
                <span className="access-badge access-badge--restricted">
                  Restricted: values visible to the backbone lead and its data stewards
                </span>
              ) : (
                <>
                  <span className="report-card__latest">
                    {indicator.latest
                      ? `${formatValue(indicator.latest.value, about?.unit ?? '')} (${periodLabel(indicator.latest.date, about?.frequency ?? 'yearly')})`
                      : 'No value yet'}
                  </span>
                  {indicator.trend && <TrendArrow trend={indicator.trend} direction={indicator.direction} />}
                </>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
