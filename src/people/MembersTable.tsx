import { Fragment, useState } from 'react';
import { SECTOR_LABELS, type Sector } from '../../machines/domain.ts';
import type { MemberEntry, SignInLink } from '../contract/answers.ts';
import { MEMBER_ROLES, ROLE_LABELS, type MemberRole } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import { CopyLink } from '../kit/CopyLink.tsx';
import { LIMITS } from '../contract/limits.ts';
import { SectorSelect } from '../kit/SectorSelect.tsx';
import { formatMoment } from '../kit/when.ts';
import { ConfirmButton } from './ConfirmButton.tsx';
import { ActionOutcome, useRowActions } from './useRowActions.tsx';

interface Props {
  initiativeId: string;
  initiativeName: string;
  members: MemberEntry[];
  /** This viewer's member id (null for the admin), to mark "you". */
  meId: string | null;
  /** Whether this viewer may change roles, organisations and sectors, remove members, make sign-in links and end sessions. */
  manage: boolean;
  /** Reload the lists after a change. */
  onChanged: () => void;
}

/** A member's name, or what to call someone who never chose one (a script's token). */
export function memberName(member: { name: string | null }): string {
  return member.name ?? 'Member without a name';
}

/**
 * Every member: name, role, organisation, sector, label, joined, last seen and
 * whether they are online now. For leads and the admin, each row also changes
 * the role, the organisation and the sector (saved as soon as they change), makes a
 * new sign-in link, signs the member out of all devices or removes them. On a
 * phone each row is a card (people.css).
 */
export function MembersTable({ initiativeId, initiativeName, members, meId, manage, onChanged }: Props) {
  const { busy, problem, done, run } = useRowActions(onChanged);
  const [link, setLink] = useState<{ memberId: string; link: SignInLink } | null>(null);

  const changeRole = (member: MemberEntry, role: MemberRole) =>
    run(
      member.id,
      `${memberName(member)} is still ${ROLE_LABELS[member.role]}`,
      () => api.changeMember(initiativeId, member.id, { role }),
      `${memberName(member)} is now ${ROLE_LABELS[role]}.`,
    );
  const changeSector = (member: MemberEntry, sector: Sector | null) =>
    run(
      member.id,
      `The sector of ${memberName(member)} did not change`,
      () => api.changeMember(initiativeId, member.id, { sector }),
      sector ? `${memberName(member)} now speaks for ${SECTOR_LABELS[sector]}.` : `No sector is said for ${memberName(member)} now.`,
    );
  const changeOrganisation = (member: MemberEntry, organisation: string) =>
    run(
      member.id,
      `The organisation of ${memberName(member)} did not change`,
      () => api.changeMember(initiativeId, member.id, { organisation: organisation || null }),
      organisation ? `${memberName(member)} is now with ${organisation}.` : `No organisation is said for ${memberName(member)} now.`,
    );
  const remove = (member: MemberEntry) =>
    run(
      member.id,
      `${memberName(member)} was not removed`,
      () => api.removeMember(initiativeId, member.id),
      `${memberName(member)} was removed from ${initiativeName}.`,
    );
  const signOut = (member: MemberEntry) =>
    run(
      member.id,
      `${memberName(member)} was not signed out`,
      () => api.endMemberSessions(initiativeId, member.id),
      `${memberName(member)} was signed out of all devices.`,
    );
  const newLink = (member: MemberEntry) =>
    run(member.id, `No sign-in link for ${memberName(member)}`, async () => {
      setLink({ memberId: member.id, link: await api.createSignInLink(initiativeId, member.id) });
    });

  if (members.length === 0) return <p className="muted">Nobody has joined yet. Invite the first members below.</p>;

  return (
    <>
      <ActionOutcome problem={problem} done={done} />
      <table className="people-table people-table--members">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Role</th>
            <th scope="col">Organisation</th>
            <th scope="col">Sector</th>
            <th scope="col">Label</th>
            <th scope="col">Joined</th>
            <th scope="col">Last seen</th>
            {manage && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const name = memberName(member);
            return (
              <Fragment key={member.id}>
                <tr data-member={member.id} aria-label={name}>
                  <th scope="row" className="people-table__name">
                    <span className={member.name ? undefined : 'muted'}>{name}</span>
                    {member.id === meId && <span className="people-table__you"> (you)</span>}
                    {member.online && <span className="online-badge">Online now</span>}
                  </th>
                  <td data-label="Role">
                    {manage ? (
                      <select
                        aria-label={`Role of ${name}`}
                        value={member.role}
                        disabled={busy === member.id}
                        onChange={(event) => void changeRole(member, event.target.value as MemberRole)}
                      >
                        {MEMBER_ROLES.map((role) => (
                          <option key={role} value={role}>
                            {ROLE_LABELS[role]}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <span className="role-badge">{ROLE_LABELS[member.role]}</span>
                    )}
                  </td>
                  <td data-label="Organisation">
                    {manage ? (
                      <OrganisationInput
                        // A new value from the server (another lead, the member themselves) replaces what is typed.
                        key={member.organisation ?? ''}
                        name={name}
                        saved={member.organisation}
                        disabled={busy === member.id}
                        onSave={(organisation) => void changeOrganisation(member, organisation)}
                      />
                    ) : (
                      (member.organisation ?? <span className="muted">Not said</span>)
                    )}
                  </td>
                  <td data-label="Sector">
                    {manage ? (
                      <SectorSelect
                        aria-label={`Sector of ${name}`}
                        value={member.sector}
                        disabled={busy === member.id}
                        onChange={(sector) => void changeSector(member, sector)}
                      />
                    ) : member.sector ? (
                      SECTOR_LABELS[member.sector]
                    ) : (
                      <span className="muted">Not said</span>
                    )}
                  </td>
                  <td data-label="Label">{member.label ?? <span className="muted">—</span>}</td>
                  <td data-label="Joined">
                    <time dateTime={member.joinedAt}>{formatMoment(member.joinedAt)}</time>
                  </td>
                  <td data-label="Last seen">
                    {member.online ? (
                      'Now'
                    ) : member.lastSeenAt ? (
                      <time dateTime={member.lastSeenAt}>{formatMoment(member.lastSeenAt)}</time>
                    ) : (
                      <span className="muted">Not yet</span>
                    )}
                  </td>
                  {manage && (
                    <td className="people-table__actions">
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={`New sign-in link for ${name}`}
                        disabled={busy === member.id}
                        onClick={() => void newLink(member)}
                      >
                        New sign-in link
                      </button>
                      <ConfirmButton
                        name={`Sign ${name} out of all devices`}
                        title={`Sign ${name} out of all devices?`}
                        description={`Every browser where ${name} is signed in loses access at once, for example a lost laptop. They stay a member: a new sign-in link lets them back in.`}
                        confirm="Sign out of all devices"
                        disabled={busy === member.id}
                        onConfirm={() => void signOut(member)}
                      >
                        Sign out of all devices
                      </ConfirmButton>
                      <ConfirmButton
                        name={`Remove ${name}`}
                        title={`Remove ${name} from ${initiativeName}?`}
                        description={`${name} loses access at once: their open boards close and their links stop working. What they added to the boards stays. To bring them back, invite them again.`}
                        confirm="Remove"
                        disabled={busy === member.id}
                        onConfirm={() => void remove(member)}
                      >
                        Remove
                      </ConfirmButton>
                    </td>
                  )}
                </tr>
                {link?.memberId === member.id && (
                  <tr className="people-table__link">
                    <td colSpan={manage ? 8 : 7}>
                      <CopyLink
                        label={`Sign-in link for ${name}`}
                        url={new URL(link.link.url, location.origin).href}
                        expiresAt={link.link.expiresAt}
                      />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </>
  );
}

/** A member's organisation, typed in place: saved when the field is left or Enter is pressed, if it changed; Escape puts back what is saved. */
function OrganisationInput(props: { name: string; saved: string | null; disabled: boolean; onSave: (organisation: string) => void }) {
  const { name, saved, disabled, onSave } = props;
  const [text, setText] = useState(saved ?? '');
  const save = () => {
    if (text.trim() !== (saved ?? '')) onSave(text.trim());
  };
  return (
    <input
      className="people-table__organisation"
      aria-label={`Organisation of ${name}`}
      value={text}
      maxLength={LIMITS.inviteLabel}
      placeholder="Not said"
      disabled={disabled}
      onChange={(event) => setText(event.target.value)}
      onBlur={save}
      onKeyDown={(event) => {
        if (event.key === 'Enter') event.currentTarget.blur();
        if (event.key === 'Escape') setText(saved ?? '');
      }}
    />
  );
}
