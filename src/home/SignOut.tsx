import { lazy, Suspense, useState } from 'react';
import { api } from '../kit/api.ts';
import { forgetOfflineCopies, initiativesWithPendingEdits } from '../sync/offlineCopies.ts';

const SignOutDialog = lazy(() => import('./SignOutDialog.tsx'));

/**
 * Signs out and deletes the copies of initiatives this browser kept for
 * offline work, so nothing stays on a shared computer. When a copy holds edits
 * the server has not seen, it asks first: signing out would delete them.
 * "Sign out everywhere" also ends every other device's session of the same
 * people (a laptop left behind): their open pages lose access at once.
 */
export function SignOut() {
  const [asking, setAsking] = useState<{ everywhere: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  async function signOut(everywhere: boolean) {
    setBusy(true);
    try {
      await forgetOfflineCopies();
    } finally {
      await api.endSession({ everywhere }).catch(() => {});
      location.assign('/');
    }
  }

  const start = (everywhere: boolean) =>
    initiativesWithPendingEdits().length > 0 ? setAsking({ everywhere }) : void signOut(everywhere);

  return (
    <div className="sign-out">
      <button type="button" className="button button--ghost" disabled={busy} onClick={() => start(false)}>
        Sign out
      </button>
      <button
        type="button"
        className="button button--ghost"
        disabled={busy}
        title="Sign out on this browser and on every other device where you are signed in"
        onClick={() => start(true)}
      >
        Sign out everywhere
      </button>
      {asking && (
        <Suspense fallback={null}>
          <SignOutDialog onStay={() => setAsking(null)} onSignOut={() => void signOut(asking.everywhere)} />
        </Suspense>
      )}
    </div>
  );
}
