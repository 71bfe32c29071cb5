import './people.css';
import { useId, useState, type FormEvent } from 'react';
import type { CreatedInvite } from '../contract/answers.ts';
import { ACCESS, LIMITS } from '../contract/limits.ts';
import { can } from '../contract/permissions.ts';
import { ROLE_IN_A_SENTENCE, ROLE_LABELS, type MemberRole } from '../contract/roles.ts';
import { ApiError, api } from '../kit/api.ts';
import { CopyLink } from '../kit/CopyLink.tsx';

interface Props {
  initiativeId: string;
  /** The roles to choose from; with one, the form invites that role without asking. */
  roles: readonly MemberRole[];
  title: string;
  /** An example of what the label says, in the field until someone types. */
  labelExample?: string;
  onCreated?: (invite: CreatedInvite) => void;
}

/**
 * The role a new invite starts with: someone who builds the maps but does not
 * run the workflow (a participant), when offered; the first role otherwise.
 */
function usualRole(roles: readonly MemberRole[]): MemberRole {
  return roles.find((role) => can(role, 'editCanvas') && !can(role, 'steerWorkflow')) ?? roles[0];
}

const DAYS_RANGE = `A whole number of days from ${ACCESS.inviteDaysMin} to ${ACCESS.inviteDaysMax}.`;

/** What a created link is for: "a participant (Health department)". */
function inviteeWords(role: MemberRole, label: string): string {
  return `${ROLE_IN_A_SENTENCE[role]}${label ? ` (${label})` : ''}`;
}

/**
 * Invite someone by role, with an optional label (who it is for) and how many
 * days the link works; the link is shown once, with a Copy button. Used by the
 * members screen and by the admin console for an initiative's first lead.
 */
export function InviteForm({ initiativeId, roles, title, labelExample = 'Health department', onCreated }: Props) {
  const id = useId();
  const [role, setRole] = useState<MemberRole>(() => usualRole(roles));
  const [label, setLabel] = useState('');
  const [days, setDays] = useState(String(ACCESS.inviteDays));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ field: 'label' | 'days' | null; message: string } | null>(null);
  const [created, setCreated] = useState<{ invite: CreatedInvite; for: string } | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const expiresInDays = Number(days);
    if (
      !Number.isInteger(expiresInDays) ||
      expiresInDays < ACCESS.inviteDaysMin ||
      expiresInDays > ACCESS.inviteDaysMax
    ) {
      setError({ field: 'days', message: DAYS_RANGE });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const trimmed = label.trim();
      const invite = await api.createInvite(initiativeId, {
        role,
        expiresInDays,
        ...(trimmed ? { label: trimmed } : {}),
      });
      setCreated({ invite, for: inviteeWords(role, trimmed) });
      setLabel('');
      onCreated?.(invite);
    } catch (problem) {
      const field = problem instanceof ApiError ? problem.field : undefined;
      setError({
        field: field === 'label' ? 'label' : field === 'expiresInDays' ? 'days' : null,
        message: problem instanceof Error ? problem.message : String(problem),
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="invite-form" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} className="invite-form__title">
        {title}
      </h2>
      <form className="invite-form__fields" onSubmit={submit} noValidate>
        {roles.length > 1 && (
          <div className="field">
            <label htmlFor={`${id}-role`}>Role</label>
            <select id={`${id}-role`} value={role} onChange={(event) => setRole(event.target.value as MemberRole)}>
              {roles.map((each) => (
                <option key={each} value={each}>
                  {ROLE_LABELS[each]}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field invite-form__label">
          <label htmlFor={`${id}-label`}>
            Who it is for <span className="muted">(optional)</span>
          </label>
          <input
            id={`${id}-label`}
            value={label}
            maxLength={LIMITS.inviteLabel}
            placeholder={`e.g. ${labelExample}`}
            onChange={(event) => setLabel(event.target.value)}
            aria-invalid={error?.field === 'label' ? true : undefined}
            aria-describedby={error?.field === 'label' ? `${id}-error` : undefined}
          />
        </div>
        <div className="field invite-form__days">
          <label htmlFor={`${id}-days`}>Works for (days)</label>
          <input
            id={`${id}-days`}
            type="number"
            inputMode="numeric"
            min={ACCESS.inviteDaysMin}
            max={ACCESS.inviteDaysMax}
            step={1}
            value={days}
            onChange={(event) => setDays(event.target.value)}
            aria-invalid={error?.field === 'days' ? true : undefined}
            aria-describedby={error?.field === 'days' ? `${id}-error` : undefined}
          />
        </div>
        <button type="submit" className="button button--primary invite-form__submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create invite link'}
        </button>
      </form>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error.message}
        </p>
      )}
      {created && (
        <CopyLink
          key={created.invite.id}
          label={`Invite link for ${created.for}`}
          url={new URL(created.invite.url, location.origin).href}
          expiresAt={created.invite.expiresAt}
        />
      )}
    </section>
  );
}
