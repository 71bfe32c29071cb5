/**
 * CSV import of values (header `indicator,date,value,subgroup,note`): choose a
 * file, watch it upload, then the server checks every row. A file with any bad
 * row is refused whole, and every bad row is listed (row, column, reason); a
 * file that would replace values already entered asks first.
 */
import { useId, useState } from 'react';
import { CSV_COLUMNS, type RowIssue } from '../contract/measureAccess.ts';
import { api, ApiError } from '../kit/api.ts';
import { rowIssuesOf } from './indicators.ts';
import { messageOf } from './ReportLinks.tsx';

type State =
  | { kind: 'idle' }
  | { kind: 'uploading'; fraction: number }
  | { kind: 'checking'; rows: number }
  | { kind: 'refused'; error: string; issues: RowIssue[] }
  | { kind: 'confirm'; error: string; issues: RowIssue[] }
  | { kind: 'done'; accepted: number; replaced: number }
  | { kind: 'failed'; error: string };

/** The template: the header line only. */
export const CSV_TEMPLATE = `${CSV_COLUMNS.join(',')}\r\n`;

export function CsvImport({ initiativeId, onImported }: { initiativeId: string; onImported: () => void }) {
  const id = useId();
  const [file, setFile] = useState<File | null>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const busy = state.kind === 'uploading' || state.kind === 'checking';

  async function upload(replace: boolean) {
    if (!file) return;
    const rows = Math.max(0, (await file.text()).split(/\r\n|\n|\r/).filter((line) => line.trim() !== '').length - 1);
    setState({ kind: 'uploading', fraction: 0 });
    try {
      const answer = await api.importMeasurementsCsv(initiativeId, file, {
        replace,
        progress: (fraction) => setState({ kind: 'uploading', fraction }),
        uploaded: () => setState({ kind: 'checking', rows }),
      });
      setState({ kind: 'done', accepted: answer.accepted, replaced: answer.replaced });
      onImported();
    } catch (problem) {
      const issues = rowIssuesOf(problem);
      if (problem instanceof ApiError && problem.status === 409)
        setState({ kind: 'confirm', error: problem.message, issues });
      else if (problem instanceof ApiError && problem.status === 400 && issues.length > 0)
        setState({ kind: 'refused', error: problem.message, issues });
      else setState({ kind: 'failed', error: messageOf(problem) });
    }
  }

  return (
    <div className="csv-import">
      <p className="muted">
        One value a line, with the header line <code>{CSV_COLUMNS.join(',')}</code>: the indicator by its name or id,
        the date as YYYY-MM-DD, the value, and optionally the subgroup and a note. A file with any bad line is refused
        whole: nothing is imported until every line is right.{' '}
        <a href={`data:text/csv;charset=utf-8,${encodeURIComponent(CSV_TEMPLATE)}`} download="measures-template.csv">
          Download a CSV template
        </a>
      </p>
      <div className="csv-import__row">
        <div className="field">
          <label htmlFor={`${id}-file`}>CSV file of values</label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            disabled={busy}
            onChange={(event) => {
              setFile(event.target.files?.[0] ?? null);
              setState({ kind: 'idle' });
            }}
          />
        </div>
        <button
          type="button"
          className="button button--primary"
          disabled={!file || busy}
          onClick={() => void upload(false)}
        >
          Import the values
        </button>
      </div>
      <div role="status" className="csv-import__status">
        {state.kind === 'uploading' && (
          <>
            <label htmlFor={`${id}-progress`}>Uploading {file?.name}…</label>
            <progress id={`${id}-progress`} max={1} value={state.fraction} />
          </>
        )}
        {state.kind === 'checking' && <p>Checking {state.rows.toLocaleString('en-GB')} rows…</p>}
        {state.kind === 'done' && (
          <p className="notice csv-import__done">
            Imported {state.accepted.toLocaleString('en-GB')} {state.accepted === 1 ? 'value' : 'values'}
            {state.replaced > 0 &&
              `, of which ${state.replaced.toLocaleString('en-GB')} replaced values entered before (kept in the history)`}
            .
          </p>
        )}
      </div>
      {state.kind === 'failed' && (
        <p className="notice notice--error" role="alert">
          {state.error}
        </p>
      )}
      {(state.kind === 'refused' || state.kind === 'confirm') && (
        <div className={`notice${state.kind === 'refused' ? ' notice--error' : ''}`} role="alert">
          <p>{state.error}</p>
          {state.kind === 'confirm' && (
            <p>
              <button type="button" className="button button--primary" onClick={() => void upload(true)}>
                Replace them
              </button>{' '}
              <button type="button" className="button" onClick={() => setState({ kind: 'idle' })}>
                Cancel
              </button>
            </p>
          )}
          <IssuesTable
            issues={state.issues}
            caption={state.kind === 'refused' ? 'Lines to correct' : 'Values that would be replaced'}
          />
        </div>
      )}
    </div>
  );
}

function IssuesTable({ issues, caption }: { issues: RowIssue[]; caption: string }) {
  return (
    <div className="table-scroll csv-import__issues">
      <table className="measures-table">
        <caption>
          {caption} ({issues.length})
        </caption>
        <thead>
          <tr>
            <th scope="col" className="number">
              Line
            </th>
            <th scope="col">Column</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {issues.map((issue, index) => (
            <tr key={`${issue.row}-${issue.field}-${index}`}>
              <td className="number">{issue.row}</td>
              <td>{issue.field}</td>
              <td>{issue.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
