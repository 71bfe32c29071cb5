import type { MemberEntry, PendingInvite } from '../contract/answers.ts';
import { ROLE_LABELS } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import { formatDay, formatMoment } from '../kit/when.ts';
import { memberName } from './MembersTable.tsx';
import { ActionOutcome, useRowActions } from './useRowActions.tsx';

interface Props {
  initiativeId: string;
  invites: PendingInvite[];
  members: MemberEntry[];
  /** Whether this viewer may revoke invites. */
  manage: boolean;
  onChanged: () => void;
}

/** Every unused invite and sign-in link (never its token): what it is for, who made it, until when it works. */
export function InvitesTable({ initiativeId, invites, members, manage, onChanged }: Props) {
  const { busy, problem, done, run } = useRowActions(onChanged);

  if (invites.length === 0) return <p className="muted">No unused invites.</p>;

  function what(invite: PendingInvite): string {
    if (invite.memberId === null) return `${ROLE_LABELS[invite.role]} invite`;
    const member = members.find((each) => each.id === invite.memberId);
    return `Sign-in link for ${member ? memberName(member) : 'a member'}`;
  }

  const revoke = (invite: PendingInvite) =>
    run(
      invite.id,
      `${what(invite)} was not revoked`,
      () => api.revokeInvite(initiativeId, invite.id),
      `${what(invite)} was revoked.`,
    );

  return (
    <>
      <ActionOutcome problem={problem} done={done} />
      <table className="people-table people-table--invites">
        <thead>
          <tr>
            <th scope="col">Invite</th>
            <th scope="col">Label</th>
            <th scope="col">Created by</th>
            <th scope="col">Expires</th>
            {manage && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {invites.map((invite) => (
            <tr key={invite.id} aria-label={`${what(invite)}${invite.label ? ` (${invite.label})` : ''}`}>
              <th scope="row">{what(invite)}</th>
              <td data-label="Label">{invite.label ?? <span className="muted">—</span>}</td>
              <td data-label="Created by">
                <span>
                  {invite.createdBy}, <time dateTime={invite.createdAt}>{formatMoment(invite.createdAt)}</time>
                </span>
              </td>
              <td data-label="Expires">
                <time dateTime={invite.expiresAt}>{formatDay(invite.expiresAt)}</time>
              </td>
              {manage && (
                <td className="people-table__actions">
                  <button
                    type="button"
                    className="button button--danger button--small"
                    aria-label={`Revoke ${what(invite)}${invite.label ? ` (${invite.label})` : ''}`}
                    disabled={busy === invite.id}
                    onClick={() => void revoke(invite)}
                  >
                    Revoke
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
