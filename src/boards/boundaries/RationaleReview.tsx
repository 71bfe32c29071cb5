import { useEffect, useRef } from 'react';
import { updateEntity } from '../../schema/index.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';

/**
 * In a boundary item's panel: the flag raised when the item crossed the
 * boundary, until someone reviews the rationale. Editing the rationale clears
 * it, and so does "Mark as reviewed".
 */
export function RationaleReview({ doc, model, entityId, editable }: PanelExtraProps) {
  const item = model.entities.boundary.find((b) => b.id === entityId);
  const flagged = item?.rationaleNeedsReview ?? false;
  const rationale = item?.rationale ?? '';
  // The rationale as it was when the flag was first seen here: an edit to it is the review.
  const seen = useRef<string | null>(null);
  useEffect(() => {
    if (!flagged) {
      seen.current = null;
      return;
    }
    if (seen.current === null) seen.current = rationale;
    else if (editable && seen.current !== rationale) updateEntity(doc, entityId, { rationaleNeedsReview: false });
  }, [flagged, rationale, editable, doc, entityId]);

  if (!item || !flagged) return null;
  return (
    <div className="review-flag" role="note" aria-label="Needs review">
      <p>
        This item moved {item.side} the boundary: its rationale was written for the other side. Review it, and say why
        it is {item.side} now.
      </p>
      {editable && (
        <button
          type="button"
          className="button button--small"
          onClick={() => updateEntity(doc, entityId, { rationaleNeedsReview: false })}
        >
          Mark as reviewed
        </button>
      )}
    </div>
  );
}
