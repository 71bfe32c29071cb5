/** A closed vote's results: per card its dots (most first), by the voters' sectors and by their roles. */
import type { VoteView } from '../contract/workshop.ts';
import { breakdown, roleWord, sectorWord } from './groups.ts';

interface Props {
  vote: VoteView;
  /** Card words by id (the live document), or the record's. */
  titles: Map<string, string>;
  heading: string;
}

export function VoteResults({ vote, titles, heading }: Props) {
  const results = vote.results ?? [];
  const top = Math.max(1, ...results.map((r) => r.dots));
  return (
    <div className="vote-results">
      <h3 className="live-tool__title">{heading}</h3>
      <p className="live-tool__meta">
        {vote.turnout ? `${vote.turnout.voters} ${vote.turnout.voters === 1 ? 'person' : 'people'} voted` : ''}
        {vote.turnout && Object.keys(vote.turnout.bySector).length > 0
          ? ` (${breakdown(vote.turnout.bySector, sectorWord)})`
          : ''}
        {vote.anonymous ? '. Anonymous: only totals are kept.' : '.'}
      </p>
      <table className="vote-results__table" aria-label={heading}>
        <thead>
          <tr>
            <th scope="col">Card</th>
            <th scope="col">Dots</th>
            <th scope="col">By sector</th>
            <th scope="col">By role</th>
          </tr>
        </thead>
        <tbody>
          {results.map((result) => (
            <tr key={result.card}>
              <th scope="row">{titles.get(result.card) ?? 'A card no longer on the board'}</th>
              <td className="vote-results__dots">
                <span
                  className="vote-results__bar"
                  style={{ width: `${(result.dots / top) * 100}%` }}
                  aria-hidden="true"
                />
                <span data-testid="result-dots">{result.dots}</span>
              </td>
              <td>{breakdown(result.bySector, sectorWord)}</td>
              <td>{breakdown(result.byRole, roleWord)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
