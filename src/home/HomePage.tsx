import './home.css';
import { STAGE_LABELS } from '../../machines/stages.ts';
import type { InitiativeSummary, Session } from '../contract/answers.ts';
import type { PortfolioRow } from '../contract/portfolio.ts';
import { can } from '../contract/permissions.ts';
import { roleLabel } from '../contract/roles.ts';
import { ApiError, api } from '../kit/api.ts';
import { Link } from '../kit/Link.tsx';
import { Loading, Notice } from '../kit/Notice.tsx';
import { ADMIN_PATH, initiativePath } from '../kit/router.ts';
import { useAsync } from '../kit/useAsync.ts';
import { loadDashboard, takeFirstRequests } from './firstRequests.ts';
import { SignOut } from './SignOut.tsx';

// The dashboard (and its table code) is its own chunk, run only for the administrator and backbone leads (on a
// first visit to `/` it downloads with the session for everyone, firstRequests.ts: about 6 kB compressed).
// It is awaited with the session, not behind <Suspense>: React holds back content that
// resolves after a fallback (about 300 ms), which the first paint of 200 rows need not wait for.
type Dashboard = Awaited<ReturnType<typeof loadDashboard>>;

/** The administrator and anyone who leads an initiative see the portfolio (docs/portfolio.md); others, their list. */
export function seesPortfolio(session: Session): boolean {
  return session.admin || session.memberships.some((m) => can(m.role, 'seePortfolio'));
}

type Home =
  | { session: Session; portfolio: Promise<PortfolioRow[]>; Dashboard: Dashboard; initiatives: null }
  | { session: Session; portfolio: null; Dashboard: null; initiatives: InitiativeSummary[] };

async function loadHome(): Promise<Home | null> {
  // On the page's first visit, both requests are already under way (firstRequests.ts).
  const first = takeFirstRequests();
  try {
    const session = await (first?.session ?? api.getSession());
    if (seesPortfolio(session)) {
      // The portfolio's rows and its code download side by side; the dashboard takes the answer.
      const portfolio = first?.portfolio ?? api.getPortfolio();
      portfolio.catch(() => undefined); // the dashboard shows a failure; none goes unhandled meanwhile
      return { session, portfolio, Dashboard: await (first?.Dashboard ?? loadDashboard()), initiatives: null };
    }
    return { session, portfolio: null, Dashboard: null, initiatives: await api.listInitiatives() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** `/`: your initiatives, or a welcome for people who are not signed in. */
export function HomePage() {
  const result = useAsync(loadHome, 'home');
  if (result.state === 'loading') return <Loading what="your initiatives" />;
  if (result.state === 'failed') {
    return (
      <Notice title="Convene could not load your initiatives" tone="error">
        <p>{result.error.message}</p>
      </Notice>
    );
  }
  if (!result.value) return <Welcome />;
  const { session, initiatives, portfolio, Dashboard } = result.value;
  const name = session.memberships[0]?.name;
  return (
    <section className={portfolio ? 'home home--portfolio' : 'home'} aria-labelledby="home-title">
      <div className="home__header">
        <div>
          <h1 id="home-title">Your initiatives</h1>
          {name && <p className="muted">Signed in as {name}.</p>}
          {session.admin && (
            <p className="muted">
              Signed in as the administrator. <Link to={ADMIN_PATH}>Open the administration</Link> to create initiatives
              and invite their leads.
            </p>
          )}
        </div>
        <SignOut />
      </div>
      {portfolio && Dashboard ? (
        <Dashboard first={portfolio} />
      ) : initiatives?.length === 0 ? (
        <p className="muted">You are not a member of any initiative yet. Open an invite link to join one.</p>
      ) : (
        <ul className="initiative-list">
          {initiatives?.map((initiative) => (
            <li key={initiative.id}>
              <Link to={initiativePath(initiative.id)} className="initiative-card">
                <span className="initiative-card__name">{initiative.name}</span>
                <span className="initiative-card__issue">{initiative.issue}</span>
                <span className="initiative-card__meta">
                  <span className="stage-badge">{STAGE_LABELS[initiative.stage]}</span>
                  <span className="role-badge">{roleLabel(initiative.role)}</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Welcome() {
  return (
    <Notice title="Open your invite link to sign in">
      <p className="lead">
        Convene is a shared workspace for collective impact: organisations from government, business, philanthropy,
        nonprofits, education, health, faith groups, media and residents tackling one complex social problem together.
      </p>
      <p>
        Each initiative has a readiness assessment against the three preconditions — an influential champion, adequate
        financial resources and urgency for change — and a live stakeholder map the whole group builds together.
      </p>
      <p>
        There are no passwords: the backbone lead of your initiative sends you an invite link. Open it in this browser
        to join. Each link works once: on a new device, ask the backbone lead for a new sign-in link.
      </p>
    </Notice>
  );
}
