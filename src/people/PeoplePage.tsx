import './people.css';
import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry, InitiativeDetail, MemberEntry, PendingInvite } from '../contract/answers.ts';
import { can, refusalFor } from '../contract/permissions.ts';
import { MEMBER_ROLES, roleLabel } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import { listenToStream } from '../kit/eventStream.ts';
import { Link } from '../kit/Link.tsx';
import { InitiativeUnavailable, Loading, Notice } from '../kit/Notice.tsx';
import { initiativePath } from '../kit/router.ts';
import { useAsync } from '../kit/useAsync.ts';
import { AccessRemoved } from './AccessRemoved.tsx';
import { AuditList } from './AuditList.tsx';
import { InviteForm } from './InviteForm.tsx';
import { InvitesTable } from './InvitesTable.tsx';
import { MembersTable } from './MembersTable.tsx';
import { useAccess } from './useAccess.ts';

/** How often the lists refresh on their own while the page is shown (who is online, who joined). */
const REFRESH_MS = 30_000;

/** `/i/:id/people`: the members screen. */
export function PeoplePage({ id }: { id: string }) {
  const result = useAsync(() => api.getInitiative(id), id);
  if (result.state === 'loading') return <Loading what="the members" />;
  if (result.state === 'failed') return <InitiativeUnavailable error={result.error} />;
  return <People initiative={result.value} />;
}

interface Lists {
  members: MemberEntry[];
  invites: PendingInvite[];
  audit: AuditEntry[] | null;
}

async function loadLists(id: string, withAudit: boolean): Promise<Lists> {
  const [members, invites, audit] = await Promise.all([
    api.listMembers(id),
    api.listInvites(id),
    withAudit ? api.listAudit(id) : Promise.resolve(null),
  ]);
  return { members, invites, audit };
}

/** Keeps the lists loaded; `reload` fetches them again without blanking what is shown. */
function useLists(id: string, withAudit: boolean, enabled: boolean) {
  const [version, setVersion] = useState(0);
  const [lists, setLists] = useState<Lists | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => setVersion((v) => v + 1), []);
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    loadLists(id, withAudit).then(
      (value) => {
        if (!live) return;
        setLists(value);
        setError(null);
      },
      (problem: unknown) => live && setError(problem instanceof Error ? problem.message : String(problem)),
    );
    return () => {
      live = false;
    };
  }, [id, withAudit, enabled, version]);
  useEffect(() => {
    if (!enabled) return;
    // Once this page's own stream is connected (and again after a reconnect), the lists count it as online.
    const stopListening = listenToStream(id, 'open', reload);
    const timer = setInterval(reload, REFRESH_MS);
    window.addEventListener('focus', reload);
    return () => {
      stopListening();
      clearInterval(timer);
      window.removeEventListener('focus', reload);
    };
  }, [id, enabled, reload]);
  return { lists, error, reload };
}

function People({ initiative }: { initiative: InitiativeDetail }) {
  // Live like the workspace: a lead who demotes themselves, or is removed, sees it here too.
  const access = useAccess(initiative.id, initiative.role);
  const role = access.role;
  const visible = can(role, 'viewMembers') && access.removed === null;
  const manage = can(role, 'manageMembers');
  const { lists, error, reload } = useLists(initiative.id, can(role, 'readAudit'), visible);

  if (access.removed !== null) return <AccessRemoved initiativeId={initiative.id} initiativeName={initiative.name} reason={access.removed} />;

  const back = (
    <Link to={initiativePath(initiative.id)} className="people__back">
      ← Back to the boards
    </Link>
  );
  if (!visible) {
    return (
      <Notice title="Members">
        <p>{refusalFor('viewMembers')}</p>
        <p>{back}</p>
      </Notice>
    );
  }

  return (
    <div className="people">
      <header className="people__header">
        {back}
        <p className="eyebrow">Members</p>
        <h1>{initiative.name}</h1>
        <p className="muted">
          {manage
            ? 'Invite people, change their roles, and remove anyone who should no longer have access. Changes reach their open pages at once.'
            : `You see this list as ${roleLabel(role).toLowerCase()}. ${refusalFor('manageMembers')}`}
        </p>
      </header>
      {access.changed && (
        <p className="notice" role="status">
          {access.changed}
        </p>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          The lists could not be loaded: {error}{' '}
          <button type="button" className="button button--small" onClick={reload}>
            Try again
          </button>
        </p>
      )}
      {can(role, 'invitePeople') && (
        <InviteForm initiativeId={initiative.id} roles={MEMBER_ROLES} title="Invite someone" onCreated={reload} />
      )}
      {!lists ? (
        !error && <Loading what="the members" />
      ) : (
        <>
          <section className="people__section" aria-labelledby="people-members">
            <h2 id="people-members">
              Members <span className="count-badge">{lists.members.length}</span>
            </h2>
            <MembersTable
              initiativeId={initiative.id}
              initiativeName={initiative.name}
              members={lists.members}
              meId={initiative.me?.id ?? null}
              manage={manage}
              onChanged={reload}
            />
          </section>
          <section className="people__section" aria-labelledby="people-invites">
            <h2 id="people-invites">
              Unused invites <span className="count-badge">{lists.invites.length}</span>
            </h2>
            <InvitesTable
              initiativeId={initiative.id}
              invites={lists.invites}
              members={lists.members}
              manage={manage}
              onChanged={reload}
            />
          </section>
          {lists.audit && (
            <section className="people__section" aria-labelledby="people-record">
              <h2 id="people-record">Membership record</h2>
              <AuditList entries={lists.audit} />
            </section>
          )}
        </>
      )}
    </div>
  );
}
