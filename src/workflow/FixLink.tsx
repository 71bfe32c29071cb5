import type { FixTarget } from '../kit/focus.ts';
import { fixLabel, type FixableItem } from './fixTargets.ts';

/** How the navigator leads a person to where an unmet item is fixed (WorkflowPanel's `onFix`). */
export interface Guide {
  targetOf(item: FixableItem): FixTarget | null;
  onFix(target: FixTarget): void;
}

/**
 * An unmet item's message: a button that opens the board where it is fixed
 * when there is one (and the workspace listens), plain text otherwise.
 */
export function FixableMessage({ item, guide }: { item: FixableItem; guide?: Guide }) {
  const target = guide?.targetOf(item) ?? null;
  if (!guide || !target) return <>{item.message}</>;
  return (
    <button type="button" className="wf-fix" onClick={() => guide.onFix(target)}>
      <span className="wf-fix__message">{item.message}</span>{' '}
      <span className="wf-fix__action">
        {fixLabel(target)}
        <span aria-hidden="true"> →</span>
      </span>
    </button>
  );
}
