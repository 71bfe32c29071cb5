import './placement.css';

export interface Change {
  /** What happened, in words: "‘Domestic violence’ is now inside the boundary." */
  message: string;
  /** Puts things back as they were before the change. */
  undo: () => void;
}

/**
 * A change the board made on its own account (an item that crossed the
 * boundary), said in words with a way back. It stays until dismissed, undone
 * or replaced by the next change: no timer hides it before it is read.
 */
export function ChangeNotice({ change, onClose }: { change: Change | null; onClose: () => void }) {
  return (
    <div className="change-notice-region" role="status" aria-live="polite">
      {change && (
        <div className="change-notice">
          <p className="change-notice__message">{change.message}</p>
          <button
            type="button"
            className="button button--small"
            onClick={() => {
              change.undo();
              onClose();
            }}
          >
            Undo
          </button>
          <button
            type="button"
            className="button button--small button--ghost"
            onClick={onClose}
            aria-label="Dismiss the notice"
          >
            Dismiss
          </button>
        </div>
      )}
    </div>
  );
}
