import './admin.css';
import { useId, useState, type FormEvent } from 'react';
import { STAGE_LABELS } from '../../machines/workflow.ts';
import type { InitiativeSummary } from '../contract/answers.ts';
import { LIMITS } from '../contract/limits.ts';
import { can } from '../contract/permissions.ts';
import { MEMBER_ROLES } from '../contract/roles.ts';
import { ApiError, api } from '../kit/api.ts';
import { Link } from '../kit/Link.tsx';
import { Loading, Notice } from '../kit/Notice.tsx';
import { ADMIN_PATH, initiativePath, peoplePath } from '../kit/router.ts';
import { signInOnce } from '../kit/signIn.ts';
import { useAsync } from '../kit/useAsync.ts';
import { SignOut } from '../home/SignOut.tsx';
import { InviteForm } from '../people/InviteForm.tsx';
import { TokenForm } from './TokenForm.tsx';

/**
 * The admin sign-in link's token (`/admin#<token>`), taken out of the address
 * bar at once so it stays in no history entry, bookmark or screenshot. It is
 * posted to /api/session and kept nowhere else.
 */
function takeLinkToken(): string | null {
  const token = location.hash.slice(1);
  if (!token) return null;
  history.replaceState(history.state, '', ADMIN_PATH);
  return token;
}

/** The first member of a new initiative is whoever may then run its membership: the backbone lead. */
const FIRST_LEAD_ROLES = MEMBER_ROLES.filter((role) => can(role, 'manageMembers'));

type Console =
  | { signedIn: false; linkProblem: string | null; member: boolean }
  | { signedIn: true; initiatives: InitiativeSummary[] };

async function loadConsole(linkToken: string | null): Promise<Console> {
  let linkProblem: string | null = null;
  if (linkToken) {
    try {
      await signInOnce(linkToken);
    } catch (error) {
      linkProblem = error instanceof Error ? error.message : String(error);
    }
  }
  const session = await api.getSession().catch((error: unknown) => {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  });
  if (!session?.admin) return { signedIn: false, linkProblem, member: session !== null };
  return { signedIn: true, initiatives: await api.listInitiatives() };
}

/** `/admin`: the administrator's console. Every initiative, and new ones with their first lead. */
export function AdminPage() {
  const [linkToken] = useState(takeLinkToken);
  const [attempt, setAttempt] = useState(0);
  const result = useAsync(() => loadConsole(attempt === 0 ? linkToken : null), `admin:${attempt}`);
  const reload = () => setAttempt((n) => n + 1);

  if (result.state === 'loading') return <Loading what="the administration" />;
  if (result.state === 'failed') {
    return (
      <Notice title="The administration could not be loaded" tone="error">
        <p>{result.error.message}</p>
        <p>
          <button type="button" className="button" onClick={reload}>
            Try again
          </button>
        </p>
      </Notice>
    );
  }
  const state = result.value;
  if (!state.signedIn) return <TokenForm linkProblem={state.linkProblem} member={state.member} onSignedIn={reload} />;
  return <AdminConsole loaded={state.initiatives} />;
}

function AdminConsole({ loaded }: { loaded: InitiativeSummary[] }) {
  const [initiatives, setInitiatives] = useState(loaded);
  const [created, setCreated] = useState<InitiativeSummary | null>(null);
  // The new one goes on the list at once; the server's list (its order, others' changes) follows.
  const onCreated = (initiative: InitiativeSummary) => {
    setCreated(initiative);
    setInitiatives((shown) => [...shown.filter((each) => each.id !== initiative.id), initiative]);
    api.listInitiatives().then(setInitiatives, () => {});
  };
  return (
    <div className="admin">
      <header className="admin__header">
        <div>
          <p className="eyebrow">Administration</p>
          <h1>Initiatives on this server</h1>
        </div>
        <SignOut />
      </header>
      <NewInitiativeForm initiatives={initiatives} onCreated={onCreated} />
      {created && (
        <div className="admin__first-lead">
          <p className="notice admin__created" role="status">
            {created.name} was created. Invite its backbone lead: they invite everyone else.
          </p>
          <InviteForm
            key={created.id}
            initiativeId={created.id}
            roles={FIRST_LEAD_ROLES}
            title="Invite its first lead"
            labelExample="the backbone organisation"
          />
        </div>
      )}
      <section className="admin__section" aria-labelledby="admin-initiatives">
        <h2 id="admin-initiatives">
          Every initiative <span className="count-badge">{initiatives.length}</span>
        </h2>
        {initiatives.length === 0 ? (
          <p className="muted">No initiatives yet. Create the first one above, then invite its backbone lead.</p>
        ) : (
          <ul className="admin__list">
            {initiatives.map((initiative) => (
              <li key={initiative.id} className="admin__item">
                <Link to={initiativePath(initiative.id)} className="admin__open">
                  <span className="admin__name">{initiative.name}</span>
                  <span className="admin__issue">{initiative.issue}</span>
                  {initiative.parentId && (
                    <span className="admin__parent">
                      Part of{' '}
                      {initiatives.find((each) => each.id === initiative.parentId)?.name ?? 'another initiative'}
                    </span>
                  )}
                </Link>
                <span className="stage-badge">{STAGE_LABELS[initiative.stage]}</span>
                <Link
                  to={peoplePath(initiative.id)}
                  className="button button--small"
                  aria-label={`Members of ${initiative.name}`}
                >
                  Members
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function NewInitiativeForm({
  initiatives,
  onCreated,
}: {
  /** The initiatives a new one can sit under (a city-wide initiative's levers are its sub-initiatives). */
  initiatives: InitiativeSummary[];
  onCreated: (initiative: InitiativeSummary) => void;
}) {
  const id = useId();
  const [name, setName] = useState('');
  const [issue, setIssue] = useState('');
  const [parentId, setParentId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: string | null; message: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim() || !issue.trim()) {
      setError({
        field: !name.trim() ? 'name' : 'issue',
        message: 'Give the initiative a name and the issue it tackles.',
      });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const initiative = await api.createInitiative({
        name: name.trim(),
        issue: issue.trim(),
        ...(parentId ? { parentId } : {}),
      });
      setName('');
      setIssue('');
      setParentId('');
      onCreated(initiative);
    } catch (problem) {
      setError({
        field: problem instanceof ApiError ? (problem.field ?? null) : null,
        message: problem instanceof Error ? problem.message : String(problem),
      });
    } finally {
      setBusy(false);
    }
  }

  const invalid = (field: string) =>
    error?.field === field ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {};
  return (
    <section className="admin__section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>New initiative</h2>
      <form className="admin__form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            maxLength={LIMITS.initiativeName}
            placeholder="e.g. Meadow County Coalition for Healthy Youth"
            onChange={(event) => setName(event.target.value)}
            {...invalid('name')}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-issue`}>Issue</label>
          <textarea
            id={`${id}-issue`}
            value={issue}
            rows={2}
            maxLength={LIMITS.issue}
            placeholder="The complex social problem it tackles, e.g. teen substance use in the county"
            onChange={(event) => setIssue(event.target.value)}
            {...invalid('issue')}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-parent`}>Part of (optional)</label>
          <select
            id={`${id}-parent`}
            value={parentId}
            onChange={(event) => setParentId(event.target.value)}
            aria-describedby={`${id}-parent-hint`}
            {...invalid('parentId')}
          >
            <option value="">No parent: a top-level initiative</option>
            {[...initiatives]
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((initiative) => (
                <option key={initiative.id} value={initiative.id}>
                  {initiative.name}
                </option>
              ))}
          </select>
          <p id={`${id}-parent-hint`} className="muted admin__hint">
            A sub-initiative has its own members, boards, workflow and measures; the leads of the initiative above see
            it in their portfolio.
          </p>
        </div>
        <div>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create initiative'}
          </button>
        </div>
      </form>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error.message}
        </p>
      )}
    </section>
  );
}
