import { STAGE_LABELS } from '../../machines/workflow.ts';
import { useInitiativeSync } from '../sync/useInitiativeSync.ts';
import { WhoIsHere } from '../collab/WhoIsHere.tsx';
import { WorkflowPanel } from '../workflow/WorkflowPanel.tsx';
import { useWorkflow } from '../workflow/useWorkflow.ts';
import type { InitiativeDetail } from '../contract/answers.ts';
import { can } from '../contract/permissions.ts';
import { roleLabel } from '../contract/roles.ts';
import { ApiError, api } from '../kit/api.ts';
import { Link } from '../kit/Link.tsx';
import { Loading, Notice } from '../kit/Notice.tsx';
import { useAsync } from '../kit/useAsync.ts';
import { BoardTabs } from './BoardTabs.tsx';
import { ConnectionStatus } from './ConnectionStatus.tsx';

/** `/i/:id`: loads the initiative, then opens its workspace. */
export function InitiativePage({ id }: { id: string }) {
  const result = useAsync(() => api.getInitiative(id), id);
  if (result.state === 'loading') return <Loading what="the initiative" />;
  if (result.state === 'failed') {
    const status = result.error instanceof ApiError ? result.error.status : 0;
    if (status === 401) {
      return (
        <Notice title="Open your invite link to sign in">
          <p>This initiative is only open to its members. Open the invite link you were sent to join it.</p>
        </Notice>
      );
    }
    return (
      <Notice title={status === 404 ? 'Initiative not found' : 'This initiative could not be opened'} tone="error">
        <p>{result.error.message}</p>
        <p>
          <Link to="/">Back to your initiatives</Link>
        </p>
      </Notice>
    );
  }
  return <InitiativeWorkspace initiative={result.value} />;
}

function InitiativeWorkspace({ initiative }: { initiative: InitiativeDetail }) {
  // The server names a member who never chose a name (a script's token) "Member" too (server/sync/endpoint.ts).
  const viewer = { name: initiative.me ? (initiative.me.name ?? 'Member') : roleLabel('admin'), role: initiative.role };
  const sync = useInitiativeSync(initiative.id, { name: viewer.name, role: viewer.role });
  const workflow = useWorkflow(initiative.id);
  const stage = workflow.workflow?.stage ?? initiative.stage;
  const editable = can(initiative.role, 'editCanvas') && sync.status !== 'denied';

  return (
    <div className="workspace">
      <header className="workspace__header">
        <div className="workspace__title">
          <p className="eyebrow">
            <span data-testid="header-stage">{STAGE_LABELS[stage]}</span>
          </p>
          <h1>{initiative.name}</h1>
          <p className="workspace__issue">{initiative.issue}</p>
        </div>
        <div className="workspace__meta">
          <ConnectionStatus status={sync.status} pending={sync.pending} />
          <p className="workspace__viewer">
            <span className="workspace__viewer-name">{viewer.name}</span>
            <span className="role-badge">{roleLabel(initiative.role)}</span>
          </p>
          <WhoIsHere awareness={sync.awareness} />
        </div>
      </header>
      {sync.status === 'denied' && (
        <p className="notice notice--error">
          The live map refused this browser (
          {sync.deniedCode === 4401 ? 'not signed in' : sync.deniedCode === 4404 ? 'unknown initiative' : 'no access'}).
          Open your invite link again to sign in.
        </p>
      )}
      <div className="workspace__body">
        <aside className="workspace__side">
          <WorkflowPanel
            initiativeId={initiative.id}
            doc={sync.doc}
            role={initiative.role}
            // Until the workspace shell selects what to fix on the board: open the right board.
            onFix={(target) => (location.hash = `board=${target.board}`)}
          />
        </aside>
        <section className="workspace__main" aria-label="Boards">
          <BoardTabs
            doc={sync.doc}
            awareness={sync.awareness}
            initiativeId={initiative.id}
            role={initiative.role}
            editable={editable}
          />
        </section>
      </div>
    </div>
  );
}
