import { useId, useState, type FormEvent } from 'react';
import { api } from '../kit/api.ts';

interface Props {
  /** Why the sign-in link this page was opened with did not work, if it did not. */
  linkProblem: string | null;
  /** Whether this browser is signed in as a member (not the administrator). */
  member: boolean;
  onSignedIn: () => void;
}

/**
 * Sign in as the administrator by pasting the admin token. It goes to
 * /api/session, which answers with an httpOnly cookie; the field is cleared at
 * once and the token is kept nowhere a page script could read it again.
 */
export function TokenForm({ linkProblem, member, onSignedIn }: Props) {
  const id = useId();
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // The link's problem is news until the person tries the token instead.
  const [linkNews, setLinkNews] = useState(linkProblem);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = token.trim();
    setToken('');
    setLinkNews(null);
    if (!value) {
      setError('Paste the admin token first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const started = await api.startSession(value);
      if (!started.admin) {
        setError('That was not the admin token: it signed this browser in as a member instead.');
        return;
      }
      onSignedIn();
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="admin-signin" aria-labelledby={`${id}-title`}>
      <p className="eyebrow">Administration</p>
      <h1 id={`${id}-title`}>Sign in as the administrator</h1>
      {linkNews && (
        <p className="notice notice--error" role="alert">
          The sign-in link did not work: {linkNews}
        </p>
      )}
      <p>
        Open the admin sign-in link Convene printed when it started, or paste the admin token (from the server's
        start-up output or <code>DATA_DIR/admin-token</code>).
        {member && ' This browser is signed in as a member, which does not open the administration.'}
      </p>
      <form className="admin-signin__form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-token`}>Admin token</label>
          <input
            id={`${id}-token`}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={token}
            onChange={(event) => setToken(event.target.value)}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : undefined}
          />
        </div>
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
