import { useState } from 'react';
import { AlertDialog } from 'radix-ui';
import { api } from '../kit/api.ts';
import { forgetOfflineCopies, initiativesWithPendingEdits } from '../sync/offlineCopies.ts';

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
    <AlertDialog.Root open={asking !== null} onOpenChange={(open) => !open && setAsking(null)}>
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
      </div>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title>Sign out and delete unsent edits?</AlertDialog.Title>
          <AlertDialog.Description className="dialog__description">
            Some edits you made without a connection are kept only in this browser and have not reached the server yet.
            Signing out deletes them. Open the initiative while online to send them first.
          </AlertDialog.Description>
          <div className="dialog__actions">
            <AlertDialog.Cancel asChild>
              <button type="button" className="button button--primary">
                Stay signed in
              </button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button
                type="button"
                className="button button--danger"
                onClick={() => void signOut(asking?.everywhere ?? false)}
              >
                Sign out and delete them
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
