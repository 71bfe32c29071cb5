/**
 * On a strategy or working group card: how many of its measures trend the
 * right way ("2 of 3 measures trending the right way"), counting only those
 * whose trend the viewer may see (its title says what is left out).
 */
import { useBoardMeasures, rightWayCount, rightWayWords } from './boardMeasures.tsx';

function useRightWay(indicatorIds: readonly string[] | undefined) {
  const measures = useBoardMeasures();
  if (!measures || !indicatorIds || indicatorIds.length === 0) return null;
  const count = rightWayCount(measures, indicatorIds);
  const words = rightWayWords(count);
  return words && { count, words };
}

export function RightWay({ indicatorIds }: { indicatorIds: readonly string[] | undefined }) {
  const rightWay = useRightWay(indicatorIds);
  if (!rightWay) return null;
  const { words, count } = rightWay;
  return (
    <div className="card__line card__right-way" title={words.title}>
      {words.text}
      {/* The title's caveat, for screen readers too. */}
      {count.restricted > 0 && count.seen > 0 && <span className="visually-hidden"> ({words.title})</span>}
    </div>
  );
}

/** Zoomed out: "2/3 right way" beside the name, the full words for screen readers and in its title. */
export function RightWayBadge({ indicatorIds }: { indicatorIds: readonly string[] | undefined }) {
  const rightWay = useRightWay(indicatorIds);
  if (!rightWay || rightWay.count.seen === 0) return null;
  return (
    <span className="card__badge-count" title={rightWay.words.text}>
      <span aria-hidden="true">
        {rightWay.count.right}/{rightWay.count.seen} right way
      </span>
      <span className="visually-hidden">{rightWay.words.text}</span>
    </span>
  );
}
