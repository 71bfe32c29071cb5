import './collab.css';
import { Dialog } from 'radix-ui';
import { SHORTCUTS, type Shortcut } from './shortcuts.ts';

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Board-specific shortcuts, listed after the common ones. */
  extra?: Shortcut[];
}

/** The keyboard shortcuts, in a modal dialog (focus kept inside; Escape or Close to leave). */
export function ShortcutHelp({ open, onOpenChange, extra = [] }: Props) {
  const all = [...SHORTCUTS, ...extra];
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="collab-dialog__overlay" />
        <Dialog.Content className="collab-dialog">
          <Dialog.Title className="collab-dialog__title">Keyboard shortcuts</Dialog.Title>
          <Dialog.Description className="collab-dialog__description">
            Shortcuts work when the focus is on a board, not inside a text field.
          </Dialog.Description>
          <table className="shortcut-table">
            <thead>
              <tr>
                <th scope="col">Keys</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {all.map((shortcut) => (
                <tr key={`${shortcut.keys} ${shortcut.action}`}>
                  <td>
                    <kbd>{shortcut.keys}</kbd>
                  </td>
                  <td>{shortcut.action}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="collab-dialog__actions">
            <Dialog.Close className="button button--primary">Close</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
