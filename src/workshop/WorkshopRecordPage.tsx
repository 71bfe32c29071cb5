/**
 * `/i/:id/workshops/:wid`: one workshop's record (issue #11, points 7 and 8):
 * the agenda with planned and actual times, who attended by organisation and
 * sector (which sectors were missing, who is absent again and again), the
 * votes with their results, the decisions and the cards added. Live while the
 * workshop runs (the facilitator corrects attendance here); downloadable as
 * Markdown and printable (its own print stylesheet).
 */
import { useEffect, useMemo, useState } from 'react';
import { SECTOR_LABELS } from '../../machines/domain.ts';
import { BOARD_LABELS, type Board } from '../../machines/entities.ts';
import { stepById } from '../../machines/catalogue.ts';
import { ACTIVITY_LABELS } from '../../machines/workshop/agenda.ts';
import type { InitiativeDetail } from '../contract/index.ts';
import type { WorkshopView } from '../contract/workshop.ts';
import { can } from '../contract/permissions.ts';
import { roleLabel } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import { saveBlob } from '../kit/download.ts';
import { Link } from '../kit/Link.tsx';
import { InitiativeUnavailable, Loading } from '../kit/Notice.tsx';
import { workshopsPath } from '../kit/router.ts';
import { useAsync } from '../kit/useAsync.ts';
import { clockTime, dayAndTime, minutesWords, spent } from './format.ts';
import type { RecordPerson, WorkshopRecord } from '../contract/workshopRecord.ts';
import { readRecord } from './readRecord.ts';
import { useCommand } from './useCommand.ts';
import { useWorkshopFeed } from './useWorkshopFeed.ts';
import { VoteResults } from './VoteResults.tsx';
import './workshop.css';

const STATUS_WORDS = { draft: 'Planned', running: 'Running now', ended: 'Held' } as const;

export function WorkshopRecordPage({ id, workshopId }: { id: string; workshopId: string }) {
  const result = useAsync(() => api.getInitiative(id), id);
  if (result.state === 'loading') return <Loading what="the initiative" />;
  if (result.state === 'failed') return <InitiativeUnavailable error={result.error} />;
  return <RecordView initiative={result.value} workshopId={workshopId} />;
}

function RecordView({ initiative, workshopId }: { initiative: InitiativeDetail; workshopId: string }) {
  const id = initiative.id;
  const feed = useWorkshopFeed(id, workshopId);
  const view = feed.received?.view ?? null;
  const record = useRecord(id, workshopId, view);
  const commands = useCommand(id, workshopId, feed.accept);
  const [downloadProblem, setDownloadProblem] = useState<string | null>(null);

  if (feed.error && !view) {
    return (
      <p className="notice notice--error" role="alert">
        {feed.error}
      </p>
    );
  }
  if (!view) return <Loading what="the workshop" />;

  const titles = new Map<string, string>();
  for (const vote of record?.votes ?? []) for (const card of vote.cards) titles.set(card.id, card.label);
  const editsAttendance = can(initiative.role, 'runWorkshop') && view.status === 'running';

  async function download() {
    setDownloadProblem(null);
    try {
      const { fileName, blob } = await api.workshopMarkdown(id, workshopId);
      saveBlob(blob, fileName);
    } catch (error) {
      setDownloadProblem(error instanceof Error ? error.message : String(error));
    }
  }

  return (
    <article className="workshop-record">
      <p className="workshops-page__back no-print">
        <Link to={workshopsPath(id)}>← Workshops of {initiative.name}</Link>
      </p>
      <header className="workshop-record__head">
        <div>
          <p className="workshop-record__kicker">
            {initiative.name} · {STATUS_WORDS[view.status]}
          </p>
          <h1>{view.title}</h1>
          <p className="workshop-record__when">
            {view.startedAt
              ? `${dayAndTime(view.startedAt)}${view.endedAt ? ` to ${clockTime(view.endedAt)}` : ''}`
              : dayAndTime(view.date) || 'No date set'}
          </p>
        </div>
        <div className="workshop-record__actions no-print">
          <button type="button" className="button" onClick={() => void download()}>
            Download Markdown
          </button>
          <button type="button" className="button" onClick={() => window.print()}>
            Print
          </button>
        </div>
      </header>
      {(downloadProblem || commands.problem) && (
        <p className="notice notice--error no-print" role="alert">
          {downloadProblem ?? commands.problem}
        </p>
      )}

      <section aria-labelledby="agenda-title">
        <h2 id="agenda-title">Agenda</h2>
        <div className="record-scroll">
          <table className="record-table">
            <thead>
              <tr>
                <th scope="col">Planned</th>
                <th scope="col">Item</th>
                <th scope="col">Activity</th>
                <th scope="col">Started</th>
                <th scope="col">Time taken</th>
              </tr>
            </thead>
            <tbody>
              {view.agenda.map((item) => (
                <tr key={item.index} aria-current={view.current?.index === item.index ? 'step' : undefined}>
                  <td>{item.plannedStart !== null ? clockTime(item.plannedStart) : '—'}</td>
                  <th scope="row">
                    {item.title}
                    {item.step && <span className="record-table__sub">{stepById(item.step)?.title}</span>}
                  </th>
                  <td>
                    {ACTIVITY_LABELS[item.activity]}
                    {item.board ? `, ${BOARD_LABELS[item.board]}` : ''}
                  </td>
                  <td>{item.startedAt ? clockTime(item.startedAt) : 'Not reached'}</td>
                  <td>
                    {item.startedAt ? spent(item.spentMs) : '—'}{' '}
                    <span className="record-table__sub">of {minutesWords(item.minutes)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <Attendance
        view={view}
        record={record}
        editable={editsAttendance}
        busy={commands.busy}
        onSet={(member, present) => void commands.send({ type: 'attendance.set', member, present })}
      />

      <section aria-labelledby="votes-title">
        <h2 id="votes-title">Votes</h2>
        {view.votes.length === 0 && <p className="workshops-page__empty">No vote was held.</p>}
        {view.votes.map((vote, i) =>
          vote.status === 'closed' ? (
            <VoteResults key={vote.id} vote={vote} titles={titles} heading={`Vote ${i + 1}`} />
          ) : (
            <p key={vote.id}>
              Vote {i + 1} is open: {vote.finished} finished so far. Its results show when it closes.
            </p>
          ),
        )}
      </section>

      <section aria-labelledby="decisions-title">
        <h2 id="decisions-title">Decisions</h2>
        {view.decisions.length === 0 ? (
          <p className="workshops-page__empty">No decision was recorded.</p>
        ) : (
          <ol className="record-decisions">
            {view.decisions.map((d) => (
              <li key={d.id}>
                <p className="record-decisions__text">{d.text}</p>
                <p className="record-table__sub">
                  {[
                    d.item !== null && view.agenda[d.item] ? `During “${view.agenda[d.item].title}”` : null,
                    d.voteId ? `from vote ${view.votes.findIndex((v) => v.id === d.voteId) + 1}` : null,
                    d.step ? `confirms “${stepById(d.step)?.title ?? d.step}”` : null,
                    `recorded by ${d.by.name} at ${clockTime(d.at)}`,
                  ]
                    .filter(Boolean)
                    .join(', ')}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="cards-title">
        <h2 id="cards-title">Cards added</h2>
        {record && record.cardsAdded.length > 0 ? (
          <ul className="record-cards">
            {record.cardsAdded.map((card) => (
              <li key={card.entity}>
                <span>{card.text}</span>
                <span className="record-table__sub">
                  {card.group} · {BOARD_LABELS[card.board as Board] ?? card.board}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="workshops-page__empty">
            {view.revealed > 0
              ? `${view.revealed} private cards were revealed onto the boards.`
              : 'No private cards were revealed.'}
          </p>
        )}
      </section>
    </article>
  );
}

/** The record JSON, asked again whenever something it summarises changes. */
function useRecord(id: string, workshopId: string, view: WorkshopView | null): WorkshopRecord | null {
  const [record, setRecord] = useState<WorkshopRecord | null>(null);
  const key = view
    ? [
        view.status,
        view.votes.map((v) => v.status).join(),
        view.decisions.length,
        view.revealed,
        view.attendance.people.map((p) => `${p.id}${p.present}`).join(),
      ].join('|')
    : null;
  useEffect(() => {
    if (key === null) return;
    let live = true;
    api.getWorkshopRecord(id, workshopId).then(
      (value) => live && setRecord(readRecord(value)),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id, workshopId, key]);
  return record;
}

interface AttendanceProps {
  view: WorkshopView;
  record: WorkshopRecord | null;
  editable: boolean;
  busy: boolean;
  onSet(member: string, present: boolean): void;
}

function Attendance({ view, record, editable, busy, onSet }: AttendanceProps) {
  const people = useMemo(() => {
    const known = new Set(view.attendance.people.map((p) => p.id));
    const absent: (RecordPerson & { present: boolean })[] = (record?.attendance.absent ?? [])
      .filter((p) => !known.has(p.id))
      .map((p) => ({ ...p, present: false }));
    return [...view.attendance.people, ...absent].sort(
      (a, b) => Number(b.present) - Number(a.present) || a.name.localeCompare(b.name),
    );
  }, [view, record]);
  const present = people.filter((p) => p.present).length;
  const missing = view.attendance.missingSectors;
  return (
    <section aria-labelledby="attendance-title">
      <h2 id="attendance-title">Attendance</h2>
      <p>
        {present} {present === 1 ? 'person' : 'people'} attended.{' '}
        {missing.length > 0 ? (
          <span className="record-missing">Sectors missing: {missing.map((s) => SECTOR_LABELS[s]).join(', ')}.</span>
        ) : (
          'Every sector was present.'
        )}
      </p>
      <div className="record-scroll">
        <table className="record-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Organisation</th>
              <th scope="col">Sector</th>
              <th scope="col">Role</th>
              <th scope="col">Attended</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <th scope="row">{p.name}</th>
                <td>{p.organisation ?? '—'}</td>
                <td>{p.sector ? SECTOR_LABELS[p.sector] : '—'}</td>
                <td>{roleLabel(p.role)}</td>
                <td>
                  {editable ? (
                    <label className="live-bar__toggle">
                      <input
                        type="checkbox"
                        checked={p.present}
                        disabled={busy}
                        onChange={(e) => onSet(p.id, e.target.checked)}
                      />
                      <span className="visually-hidden">{p.name} attended</span>
                      {p.present ? 'Yes' : 'No'}
                    </label>
                  ) : p.present ? (
                    'Yes'
                  ) : (
                    'No'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {record && record.attendance.repeatedAbsences.length > 0 && (
        <p className="record-absences">
          Absent again and again:{' '}
          {record.attendance.repeatedAbsences
            .map((p) => `${p.name}${p.organisation ? ` (${p.organisation})` : ''}, ${p.missed} of the last ${p.of}`)
            .join('; ')}
          .
        </p>
      )}
    </section>
  );
}
