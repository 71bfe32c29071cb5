/**
 * `/i/:id/workshops`: an initiative's workshops (issue #11, point 1): the one
 * running now, those planned (a lead or facilitator starts them from here),
 * and past ones with their record. Leads and facilitators plan new ones with
 * the agenda editor.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { InitiativeDetail, WorkflowView } from '../contract/index.ts';
import type { NewWorkshop, WorkshopSummary } from '../contract/workshop.ts';
import { can } from '../contract/permissions.ts';
import { api } from '../kit/api.ts';
import { listenToStream } from '../kit/eventStream.ts';
import { Link } from '../kit/Link.tsx';
import { InitiativeUnavailable, Loading } from '../kit/Notice.tsx';
import { initiativePath, navigate, workshopPath } from '../kit/router.ts';
import { useAsync } from '../kit/useAsync.ts';
import { AgendaEditor } from './AgendaEditor.tsx';
import { dayAndTime } from './format.ts';
import { readList } from './useRunningWorkshop.ts';
import './workshop.css';

export function WorkshopsPage({ id }: { id: string }) {
  const result = useAsync(() => api.getInitiative(id), id);
  if (result.state === 'loading') return <Loading what="the initiative" />;
  if (result.state === 'failed') return <InitiativeUnavailable error={result.error} />;
  return <Workshops initiative={result.value} />;
}

function Workshops({ initiative }: { initiative: InitiativeDetail }) {
  const id = initiative.id;
  const runs = can(initiative.role, 'runWorkshop');
  const [list, setList] = useState<WorkshopSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [workflow, setWorkflow] = useState<WorkflowView | null>(null);
  const [planning, setPlanning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const reload = useCallback(
    () =>
      api.listWorkshops(id).then(
        (workshops) => {
          setList(workshops);
          setLoadError(null);
        },
        (error: unknown) => setLoadError(error instanceof Error ? error.message : String(error)),
      ),
    [id],
  );
  useEffect(() => {
    void reload();
  }, [reload]);
  // A workshop created, started or ended by someone else shows at once (the initiative's stream tells).
  useEffect(
    () =>
      listenToStream(id, 'workshops', (data) => {
        const next = readList(data);
        if (next) setList(next);
      }),
    [id],
  );
  useEffect(() => {
    if (!planning || workflow) return;
    api.getWorkflow(id).then(setWorkflow, () => undefined);
  }, [planning, workflow, id]);

  async function create(body: NewWorkshop) {
    setBusy(true);
    setProblem(null);
    try {
      await api.createWorkshop(id, body);
      setPlanning(false);
      await reload();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(false);
    }
  }

  async function start(workshop: WorkshopSummary) {
    setBusy(true);
    setProblem(null);
    try {
      await api.sendWorkshopCommand(id, workshop.id, { type: 'workshop.start' });
      navigate(initiativePath(id));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  const running = list?.filter((w) => w.status === 'running') ?? [];
  const planned = list?.filter((w) => w.status === 'draft') ?? [];
  const past = list?.filter((w) => w.status === 'ended') ?? [];

  return (
    <div className="workshops-page">
      <p className="workshops-page__back">
        <Link to={initiativePath(id)}>← {initiative.name}</Link>
      </p>
      <div className="workshops-page__head">
        <h1>Workshops</h1>
        {runs && !planning && (
          <button type="button" className="button button--primary" onClick={() => setPlanning(true)}>
            Plan a workshop
          </button>
        )}
      </div>
      <p className="workshops-page__intro">
        A workshop walks the group through an agenda, one item at a time, with a shared timer, dot votes, private
        brainstorming and a record of what was decided and who attended.
      </p>
      {planning && (
        <section className="workshops-page__section" aria-labelledby="plan-title">
          <h2 id="plan-title">Plan a workshop</h2>
          <AgendaEditor
            unmet={workflow?.unmet ?? null}
            busy={busy}
            problem={problem}
            onCreate={(body) => void create(body)}
            onCancel={() => {
              setPlanning(false);
              setProblem(null);
            }}
          />
        </section>
      )}
      {!planning && problem && (
        <p className="notice notice--error" role="alert">
          {problem}
        </p>
      )}
      {loadError && (
        <p className="notice notice--error" role="alert">
          {loadError}
        </p>
      )}
      {list === null && !loadError && <Loading what="the workshops" />}
      {list !== null && (
        <>
          {running.length > 0 && (
            <WorkshopList title="Running now" workshops={running} initiativeId={id}>
              {() => (
                <Link to={initiativePath(id)} className="button button--primary button--small">
                  Join in the workspace
                </Link>
              )}
            </WorkshopList>
          )}
          <WorkshopList title="Planned" workshops={planned} initiativeId={id} empty="No workshop is planned.">
            {(w) =>
              runs && running.length === 0 ? (
                <button
                  type="button"
                  className="button button--primary button--small"
                  disabled={busy}
                  onClick={() => void start(w)}
                >
                  Start
                </button>
              ) : null
            }
          </WorkshopList>
          <WorkshopList
            title="Past workshops"
            workshops={past}
            initiativeId={id}
            empty="No workshop has been held yet."
          >
            {(w) => (
              <Link to={workshopPath(id, w.id)} className="button button--small">
                Record
              </Link>
            )}
          </WorkshopList>
        </>
      )}
    </div>
  );
}

interface ListProps {
  title: string;
  workshops: WorkshopSummary[];
  initiativeId: string;
  empty?: string;
  children(workshop: WorkshopSummary): ReactNode;
}

function WorkshopList({ title, workshops, initiativeId, empty, children }: ListProps) {
  return (
    <section className="workshops-page__section" aria-label={title}>
      <h2>{title}</h2>
      {workshops.length === 0 ? (
        <p className="workshops-page__empty">{empty}</p>
      ) : (
        <ul className="workshop-list">
          {workshops.map((w) => (
            <li key={w.id} className="workshop-row">
              <div className="workshop-row__what">
                <Link to={workshopPath(initiativeId, w.id)} className="workshop-row__title">
                  {w.title}
                </Link>
                <span className="workshop-row__meta">
                  {[
                    dayAndTime(w.startedAt ?? w.date) || 'No date set',
                    `${w.items} ${w.items === 1 ? 'item' : 'items'}`,
                    w.status === 'ended' ? `${w.decisions} ${w.decisions === 1 ? 'decision' : 'decisions'}` : null,
                  ]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </div>
              <div className="workshop-row__actions">{children(w)}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
