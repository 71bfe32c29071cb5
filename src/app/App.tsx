import { lazy, Suspense } from 'react';
import { HomePage } from '../home/HomePage.tsx';
import { JoinPage } from '../join/JoinPage.tsx';
import './app.css';
import { Brand } from './Brand.tsx';
import { Loading, NotFound } from '../kit/Notice.tsx';
import { matchRoute, usePathname } from '../kit/router.ts';

// Each screen past the home page is its own chunk: the home page (the portfolio of
// 200 initiatives among them) parses none of the canvas, Yjs or the workshop code.
const InitiativePage = lazy(() => import('./InitiativePage.tsx').then((m) => ({ default: m.InitiativePage })));
const AdminPage = lazy(() => import('../admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));
const PeoplePage = lazy(() => import('../people/PeoplePage.tsx').then((m) => ({ default: m.PeoplePage })));
const WorkshopsPage = lazy(() => import('../workshop/WorkshopsPage.tsx').then((m) => ({ default: m.WorkshopsPage })));
const WorkshopRecordPage = lazy(() =>
  import('../workshop/WorkshopRecordPage.tsx').then((m) => ({ default: m.WorkshopRecordPage })),
);
// The measures screens (and the charts they draw) are their own chunks: the boards come first.
const MeasuresPage = lazy(() => import('../measures/MeasuresPage.tsx').then((m) => ({ default: m.MeasuresPage })));
const IndicatorPage = lazy(() => import('../measures/IndicatorPage.tsx').then((m) => ({ default: m.IndicatorPage })));
const PublicReportPage = lazy(() => import('../measures/PublicReportPage.tsx').then((m) => ({ default: m.PublicReportPage })));

/** The shell: a slim top bar and the page for the current path (an initiative's workspace brings its own bar). */
export function App() {
  const route = matchRoute(usePathname());
  return (
    <div className={`app app--${route.name}`}>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      {route.name !== 'initiative' && (
        <nav className="topbar" aria-label="Convene">
          <Brand />
        </nav>
      )}
      <main id="main" className="page">
        <Suspense fallback={<Loading what="the page" />}>
          <Page route={route} />
        </Suspense>
      </main>
    </div>
  );
}

function Page({ route }: { route: ReturnType<typeof matchRoute> }) {
  switch (route.name) {
    case 'home':
      return <HomePage />;
    case 'admin':
      return <AdminPage />;
    case 'join':
      return <JoinPage key={route.token} token={route.token} />;
    case 'initiative':
      return <InitiativePage key={route.id} id={route.id} />;
    case 'people':
      return <PeoplePage key={route.id} id={route.id} />;
    case 'workshops':
      return <WorkshopsPage key={route.id} id={route.id} />;
    case 'workshop':
      return <WorkshopRecordPage key={`${route.id}/${route.workshopId}`} id={route.id} workshopId={route.workshopId} />;
    case 'measures':
      return <MeasuresPage key={route.id} id={route.id} />;
    case 'indicator':
      return <IndicatorPage key={`${route.id}/${route.indicatorId}`} id={route.id} indicatorId={route.indicatorId} />;
    case 'report':
      return <PublicReportPage key={route.token} token={route.token} />;
    case 'not-found':
      return <NotFound />;
  }
}
