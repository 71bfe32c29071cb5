import './join.css';
import { useId, useState, type FormEvent } from 'react';
import type { Invite } from '../contract/answers.ts';
import { LIMITS } from '../contract/limits.ts';
import { ROLE_IN_A_SENTENCE } from '../contract/roles.ts';
import { api } from '../kit/api.ts';
import { Loading, Notice } from '../kit/Notice.tsx';
import { initiativePath, navigate } from '../kit/router.ts';
import { useAsync } from '../kit/useAsync.ts';

/**
 * Reads the invite; when its holder already chose a name, signs in at once and
 * goes to the initiative (answers null then).
 */
async function openInvite(token: string): Promise<Invite | null> {
  const invite = await api.getInvite(token);
  if (invite.name === null) return invite;
  const { initiativeId } = await api.startSession(token);
  navigate(initiativePath(initiativeId || invite.initiativeId), { replace: true });
  return null;
}

/** `/join/:token`: accept an invite, choosing a name the first time. */
export function JoinPage({ token }: { token: string }) {
  const result = useAsync(() => openInvite(token), token);
  if (result.state === 'loading') return <Loading what="your invite" />;
  if (result.state === 'failed') {
    return (
      <Notice title="This invite link does not work" tone="error">
        <p>{result.error.message}</p>
        <p>Ask the backbone lead of your initiative for a new link.</p>
      </Notice>
    );
  }
  // A null invite means the holder was signed in and is on the way to the initiative.
  if (!result.value) return <Loading what="your initiative" />;
  return <AcceptInvite token={token} invite={result.value} />;
}

function AcceptInvite({ token, invite }: { token: string; invite: Invite }) {
  const id = useId();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function join(chosenName: string) {
    setBusy(true);
    setError(null);
    try {
      const { initiativeId } = await api.startSession(token, chosenName);
      navigate(initiativePath(initiativeId || invite.initiativeId), { replace: true });
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
      setBusy(false);
    }
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
