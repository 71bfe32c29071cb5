import { AlertDialog } from 'radix-ui';

/**
 * The question before signing out deletes unsent offline edits (SignOut.tsx). Its own chunk: the dialog library
 * is needed only when there are such edits, and the home page (the 200-row portfolio) need not parse it first.
 */
export default function SignOutDialog({ onStay, onSignOut }: { onStay: () => void; onSignOut: () => void }) {
  return (
    <AlertDialog.Root open onOpenChange={(open) => !open && onStay()}>
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
              <button type="button" className="button button--danger" onClick={onSignOut}>
                Sign out and delete them
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
