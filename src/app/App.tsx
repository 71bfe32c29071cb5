import { AdminPage } from '../admin/AdminPage.tsx';
import { HomePage } from '../home/HomePage.tsx';
import { JoinPage } from '../join/JoinPage.tsx';
import { PeoplePage } from '../people/PeoplePage.tsx';
import { WorkshopRecordPage } from '../workshop/WorkshopRecordPage.tsx';
import { WorkshopsPage } from '../workshop/WorkshopsPage.tsx';
import './app.css';
import { Brand } from './Brand.tsx';
import { InitiativePage } from './InitiativePage.tsx';
import { NotFound } from '../kit/Notice.tsx';
import { matchRoute, usePathname } from '../kit/router.ts';

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
        <Page route={route} />
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
    case 'not-found':
      return <NotFound />;
  }
}
