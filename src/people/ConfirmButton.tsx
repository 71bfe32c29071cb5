import { useState, type ReactNode } from 'react';
import { AlertDialog } from 'radix-ui';

interface Props {
  /** The button's words ("Remove"), and its accessible name when `name` is not given. */
  children: ReactNode;
  /** The button's accessible name, naming whom it concerns ("Remove Sam Rivera"). */
  name?: string;
  title: string;
  description: string;
  confirm: string;
  disabled?: boolean;
  onConfirm: () => void;
}

/** A small danger button that asks first, in an alert dialog (Escape or "Cancel" keeps everything as it was). */
export function ConfirmButton({ children, name, title, description, confirm, disabled, onConfirm }: Props) {
  const [open, setOpen] = useState(false);
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger asChild>
        <button type="button" className="button button--danger button--small" aria-label={name} disabled={disabled}>
          {children}
        </button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title>{title}</AlertDialog.Title>
          <AlertDialog.Description className="dialog__description">{description}</AlertDialog.Description>
          <div className="dialog__actions">
            <AlertDialog.Cancel asChild>
              <button type="button" className="button">
                Cancel
              </button>
            </AlertDialog.Cancel>
            <AlertDialog.Action asChild>
              <button type="button" className="button button--danger" onClick={onConfirm}>
                {confirm}
              </button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
