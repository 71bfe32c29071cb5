import { lazy, Suspense, useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { STAGE_LABELS } from '../../machines/workflow.ts';
import type { FocusRequest } from '../canvas/types.ts';
import { PANEL_KEYS, PANEL_LABELS, type PanelName } from '../canvas/shortcuts.ts';
import { usePeopleHere, WhoIsHere } from '../collab/WhoIsHere.tsx';
import type { FixTarget } from '../kit/focus.ts';
import { useInitiativeSync } from '../sync/useInitiativeSync.ts';
import { useWorkflow } from '../workflow/useWorkflow.ts';
import { AccessRemoved } from '../people/AccessRemoved.tsx';
import { useAccess } from '../people/useAccess.ts';
import type { InitiativeDetail } from '../contract/answers.ts';
import { CLOSE } from '../contract/closeCodes.ts';
import { can } from '../contract/permissions.ts';
import { roleLabel } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import { Link } from '../kit/Link.tsx';
import { InitiativeUnavailable, Loading } from '../kit/Notice.tsx';
import { measuresPath, peoplePath, workshopsPath } from '../kit/router.ts';
import { useAsync } from '../kit/useAsync.ts';
import { useLiveWorkshop } from '../workshop/useLiveWorkshop.tsx';
import { BoardTabs, preloadBoard, useBoardHash } from './BoardTabs.tsx';
import { Brand } from './Brand.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { PHONE_QUERY, usePanelKeys, usePanels } from './usePanels.ts';

/** The navigator is its own chunk, loaded when it is first opened: the board comes first. */
const WorkflowPanel = lazy(() => import('../workflow/WorkflowPanel.tsx'));

/** `/i/:id`: loads the initiative, then opens its workspace. */
export function InitiativePage({ id }: { id: string }) {
  useEffect(preloadBoard, []);
  const result = useAsync(() => api.getInitiative(id), id);
  if (result.state === 'loading') return <Loading what="the initiative" />;
  if (result.state === 'failed') return <InitiativeUnavailable error={result.error} />;
  return <InitiativeWorkspace initiative={result.value} />;
}

/**
 * The workspace: a slim bar, and below it the board taking the page. The
 * workflow navigator, the selected card's details and who is here open beside
 * the board (on a phone, as sheets from the bottom, over it); each person's
 * choice is remembered in this browser.
 */
function InitiativeWorkspace({ initiative }: { initiative: InitiativeDetail }) {
  // The role is live: a lead's change reaches this page on the event stream (useAccess) without a reload.
  const access = useAccess(initiative.id, initiative.role);
  const role = access.role;
  // The server names a member who never chose a name (a script's token) "Member" too (server/sync/endpoint.ts).
  const viewer = {
    id: initiative.me?.id ?? 'admin',
    name: initiative.me ? (initiative.me.name ?? 'Member') : roleLabel('admin'),
  };
  // The socket keeps the role it opened with: the server flips it in place (and rewrites presence), so a role
  // change never reconnects or rebuilds the document.
  const sync = useInitiativeSync(initiative.id, { name: viewer.name, role: initiative.role });
  const workflow = useWorkflow(initiative.id);
  const stage = workflow.workflow?.stage ?? initiative.stage;
  const editable = can(role, 'editCanvas') && sync.status !== 'denied';
  // A socket refused after it was live means the access ended (removed, or signed out everywhere).
  const [wasLive, setWasLive] = useState(false);
  if (sync.status === 'live' && !wasLive) setWasLive(true);
  const socketRemoved =
    wasLive &&
    sync.status === 'denied' &&
    (sync.deniedCode === CLOSE.unauthorized || sync.deniedCode === CLOSE.forbidden);
  const { panels, set, toggle } = usePanels(initiative.id, viewer.id);
  usePanelKeys(toggle);
  // The navigator stays mounted once opened, so what someone typed there survives closing it.
  const [navigatorShown, setNavigatorShown] = useState(panels.navigator);
  if (panels.navigator && !navigatorShown) setNavigatorShown(true);

  // A navigator link opens its board and hands the board what to show (a fresh nonce each time).
  const [, setBoard] = useBoardHash();
  // A running workshop: its bar under the header, and Follow on the boards.
  const workshop = useLiveWorkshop({ initiativeId: initiative.id, role, doc: sync.doc, awareness: sync.awareness, setBoard });
  const [focus, setFocus] = useState<FocusRequest | undefined>(undefined);
  const nonce = useRef(0);
  const onFix = useCallback(
    (target: FixTarget) => {
      setBoard(target.board);
      setFocus({ ...target, nonce: ++nonce.current });
      if (window.matchMedia(PHONE_QUERY).matches) set('navigator', false);
    },
    [setBoard, set],
  );

  if (access.removed !== null || socketRemoved) {
    return (
      <div className="workspace">
        <header className="workspace__bar">
          <Brand />
        </header>
        <AccessRemoved initiativeId={initiative.id} initiativeName={initiative.name} reason={access.removed} />
      </div>
    );
  }

  return (
    <div className="workspace">
      <header className="workspace__bar">
        <Brand />
        <div className="workspace__title">
          <h1>{initiative.name}</h1>
          <span className="stage-badge" data-testid="header-stage">
            {STAGE_LABELS[stage]}
          </span>
          <p className="workspace__issue" title={initiative.issue}>
            {initiative.issue}
          </p>
        </div>
        <div className="workspace__toggles" role="group" aria-label="Panels">
          <PanelToggle name="navigator" open={panels.navigator} onToggle={toggle}>
            Workflow
          </PanelToggle>
          <PanelToggle name="details" open={panels.details} onToggle={toggle}>
            Details
          </PanelToggle>
          <PanelToggle name="people" open={panels.people} onToggle={toggle}>
            Here <PeopleCount awareness={sync.awareness} />
          </PanelToggle>
        </div>
        <Link to={workshopsPath(initiative.id)} className="panel-toggle" title="Plan, run and look back on workshops">
          Workshops
        </Link>
        <Link to={measuresPath(initiative.id)} className="panel-toggle" title="The shared measures: the report card, each indicator's curve and values">
          Measures
        </Link>
        {can(role, 'viewMembers') && (
          <Link
            to={peoplePath(initiative.id)}
            className="panel-toggle"
            title="Who is in this initiative, and their invites"
          >
            Members
          </Link>
        )}
        <div className="workspace__meta">
          <ConnectionStatus status={sync.status} pending={sync.pending} />
          <p className="workspace__viewer">
            <span className="workspace__viewer-name">{viewer.name}</span>
            <span className="role-badge" data-testid="viewer-role">
              {roleLabel(role)}
            </span>
          </p>
        </div>
      </header>
      {access.changed && (
        <p className="notice workspace__access" role="status">
          {access.changed}{' '}
          <button type="button" className="button button--ghost button--small" onClick={access.dismiss}>
            Dismiss
          </button>
        </p>
      )}
      {workshop.bar}
      {sync.status === 'denied' && (
        <p className="notice notice--error">
          The live map refused this browser (
          {sync.deniedCode === CLOSE.unauthorized
            ? 'not signed in'
            : sync.deniedCode === CLOSE.notFound
              ? 'unknown initiative'
              : 'no access'}
          ). Ask the backbone lead of the initiative for a new sign-in link.
        </p>
      )}
      <div className="workspace__body">
        {navigatorShown && (
          <WorkspacePanel name="navigator" open={panels.navigator} onClose={() => set('navigator', false)}>
            <Suspense fallback={<Loading what="the workflow" />}>
              <WorkflowPanel initiativeId={initiative.id} doc={sync.doc} role={role} onFix={onFix} />
            </Suspense>
          </WorkspacePanel>
        )}
        <section className="workspace__main" aria-label="Boards">
          <BoardTabs
            doc={sync.doc}
            awareness={sync.awareness}
            initiativeId={initiative.id}
            role={role}
            editable={editable}
            focus={focus}
            details={panels.details}
            view={workshop.view}
          />
        </section>
        {panels.people && (
          <WorkspacePanel name="people" open onClose={() => set('people', false)}>
            <WhoIsHere awareness={sync.awareness} />
          </WorkspacePanel>
        )}
      </div>
    </div>
  );
}

/** How many people are here; its own component, so a person arriving re-renders only the count. */
function PeopleCount({ awareness }: { awareness: Parameters<typeof usePeopleHere>[0] }) {
  const count = usePeopleHere(awareness).length;
  return (
    <span className="panel-toggle__count" aria-label={count === 1 ? '1 person' : `${count} people`}>
      {count}
    </span>
  );
}

interface ToggleProps {
  name: PanelName;
  open: boolean;
  onToggle: (name: PanelName) => void;
  children: ReactNode;
}

/** A header button that opens or closes one panel; its key is in its tooltip and in the shortcut help. */
function PanelToggle({ name, open, onToggle, children }: ToggleProps) {
  return (
    <button
      type="button"
      className="panel-toggle"
      aria-pressed={open}
      aria-keyshortcuts={PANEL_KEYS[name].toUpperCase()}
      title={`${open ? 'Close' : 'Open'} the ${PANEL_LABELS[name].toLowerCase()} (${PANEL_KEYS[name].toUpperCase()})`}
      onClick={() => onToggle(name)}
      data-panel={name}
    >
      {children}
    </button>
  );
}

interface PanelProps {
  name: PanelName;
  open: boolean;
  onClose: () => void;
  children: ReactNode;
}

/** A panel of the workspace with its name and a Close button; a sheet on a phone. */
function WorkspacePanel({ name, open, onClose, children }: PanelProps) {
  return (
    <aside className={`workspace__panel workspace__panel--${name}`} aria-label={PANEL_LABELS[name]} hidden={!open}>
      <div className="workspace__panel-head">
        <h2 className="workspace__panel-title">{PANEL_LABELS[name]}</h2>
        <button type="button" className="button button--ghost button--small" onClick={onClose}>
          Close
        </button>
      </div>
      <div className="workspace__panel-body">{children}</div>
    </aside>
  );
}
