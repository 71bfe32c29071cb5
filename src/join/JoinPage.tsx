import './join.css';
import { useId, useState, type FormEvent } from 'react';
import type { Sector } from '../../machines/domain.ts';
import type { Invite } from '../contract/answers.ts';
import { LIMITS } from '../contract/limits.ts';
import { ROLE_IN_A_SENTENCE } from '../contract/roles.ts';
import { ApiError, api } from '../kit/api.ts';
import { Link } from '../kit/Link.tsx';
import { Loading, Notice } from '../kit/Notice.tsx';
import { SectorSelect } from '../kit/SectorSelect.tsx';
import { initiativePath, navigate } from '../kit/router.ts';
import { signInOnce } from '../kit/signIn.ts';
import { useAsync } from '../kit/useAsync.ts';

type Opened =
  | { kind: 'invite'; invite: Invite }
  /** A sign-in link for an existing member: signed in, on the way to the initiative. */
  | { kind: 'signed-in' }
  /** The server refused the link (410 used, expired or revoked; 404 unknown; 429 too many attempts). */
  | { kind: 'refused'; status: number; message: string; signedIn: boolean };

/**
 * Reads the link. A sign-in link (made for an existing member, `name` set)
 * signs in at once and goes to the initiative; an invite for someone new asks
 * for a name; a link that no longer works says so in the server's words.
 */
async function openLink(token: string): Promise<Opened> {
  try {
    const invite = await api.getInvite(token);
    if (invite.name === null) return { kind: 'invite', invite };
    const started = await signInOnce(token);
    navigate(initiativePath(started.initiativeId ?? invite.initiativeId), { replace: true });
    return { kind: 'signed-in' };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500) throw error;
    const signedIn = await api.getSession().then(
      () => true,
      () => false,
    );
    return { kind: 'refused', status: error.status, message: error.message, signedIn };
  }
}

/** `/join/:token`: accept an invite, choosing a name the first time; or sign in with a sign-in link. */
export function JoinPage({ token }: { token: string }) {
  const result = useAsync(() => openLink(token), token);
  if (result.state === 'loading') return <Loading what="your invite" />;
  if (result.state === 'failed') {
    return (
      <Notice title="This invite link could not be opened" tone="error">
        <p>{result.error.message}</p>
      </Notice>
    );
  }
  const opened = result.value;
  if (opened.kind === 'signed-in') return <Loading what="your initiative" />;
  if (opened.kind === 'refused') return <Refused {...opened} />;
  return <AcceptInvite token={token} invite={opened.invite} />;
}

/** A link that signs nobody in: why, in the server's words (who to ask), and no name form. */
function Refused({ status, message, signedIn }: { status: number; message: string; signedIn: boolean }) {
  const title =
    status === 410
      ? 'This link no longer works'
      : status === 429
        ? 'Too many attempts'
        : 'This invite link does not work';
  return (
    <Notice title={title} tone="error">
      <p data-testid="join-refusal">{message}</p>
      {status !== 410 && status !== 429 && <p>Ask the backbone lead of your initiative for a new link.</p>}
      {signedIn && (
        <p>
          This browser is already signed in: <Link to="/">go to your initiatives</Link>.
        </p>
      )}
    </Notice>
  );
}

const messageOf = (problem: unknown) => (problem instanceof Error ? problem.message : String(problem));

/**
 * The name (required), then the organisation and sector the person speaks for
 * (optional, for workshop attendance by sector), saved with
 * `PATCH /api/initiatives/:id/me` right after joining. If only that save is
 * refused, the person has joined all the same: the page says so and leads on.
 */
function AcceptInvite({ token, invite }: { token: string; invite: Invite }) {
  const id = useId();
  const [name, setName] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [sector, setSector] = useState<Sector | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [joinedWithout, setJoinedWithout] = useState<{ path: string; reason: string } | null>(null);

  async function join(chosenName: string) {
    setBusy(true);
    setError(null);
    let path: string;
    try {
      const started = await signInOnce(token, chosenName);
      path = initiativePath(started.initiativeId ?? invite.initiativeId);
    } catch (problem) {
      setError(messageOf(problem));
      setBusy(false);
      return;
    }
    const said = organisation.trim();
    if (said || sector) {
      try {
        await api.changeMyProfile(invite.initiativeId, { ...(said ? { organisation: said } : {}), ...(sector ? { sector } : {}) });
      } catch (problem) {
        setJoinedWithout({ path, reason: messageOf(problem) });
        return;
      }
    }
    navigate(path, { replace: true });
  }

  if (joinedWithout) {
    return (
      <Notice title={`You joined ${invite.initiativeName}`} tone="error">
        <p role="alert">Your organisation and sector were not saved: {joinedWithout.reason}</p>
        <p>
          A backbone lead can set them on the members screen. <Link to={joinedWithout.path}>Go to the initiative</Link>
        </p>
      </Notice>
    );
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) {
      setError('Tell the group your name.');
      return;
    }
    void join(name.trim());
  }

  return (
    <section className="join" aria-labelledby="join-title">
      <p className="eyebrow">Invitation</p>
      <h1 id="join-title">
        You’re invited to {invite.initiativeName} as {ROLE_IN_A_SENTENCE[invite.role]}
      </h1>
      <form className="join__form" onSubmit={submit}>
        <p>Choose the name the rest of the group will see next to your changes. You only do this once.</p>
        <div className="field">
          <label htmlFor={`${id}-name`}>Your name</label>
          <input
            id={`${id}-name`}
            value={name}
            autoComplete="name"
            maxLength={LIMITS.memberName}
            required
            onChange={(event) => setName(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-organisation`}>
            Your organisation <span className="muted">(optional)</span>
          </label>
          <input
            id={`${id}-organisation`}
            value={organisation}
            autoComplete="organization"
            maxLength={LIMITS.inviteLabel}
            onChange={(event) => setOrganisation(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-sector`}>
            Sector <span className="muted">(optional)</span>
          </label>
          <SectorSelect id={`${id}-sector`} value={sector} onChange={setSector} aria-describedby={`${id}-sector-hint`} />
          <p id={`${id}-sector-hint`} className="join__hint muted">
            The part of the community you speak for: workshops record which sectors were in the room.
          </p>
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Joining…' : 'Join the initiative'}
        </button>
      </form>
      {error && (
        <p id={`${id}-error`} className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
