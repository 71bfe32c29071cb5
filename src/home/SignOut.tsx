import { useState } from 'react';
import { AlertDialog } from 'radix-ui';
import { api } from '../kit/api.ts';
import { forgetOfflineCopies, initiativesWithPendingEdits } from '../sync/index.ts';

/**
 * Signs out and deletes the copies of initiatives this browser kept for
 * offline work, so nothing stays on a shared computer. When a copy holds edits
 * the server has not seen, it asks first: signing out would delete them.
 */
export function SignOut() {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);

  async function signOut() {
    setBusy(true);
    try {
      await forgetOfflineCopies();
    } finally {
      await api.endSession().catch(() => {});
      location.assign('/');
    }
  }

  return (
    <AlertDialog.Root open={asking} onOpenChange={setAsking}>
      <button
        type="button"
        className="button button--ghost"
        disabled={busy}
        onClick={() => (initiativesWithPendingEdits().length > 0 ? setAsking(true) : void signOut())}
      >
        Sign out
      </button>
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
              <button type="button" className="button button--danger" onClick={() => void signOut()}>
                Sign out and delete them
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
