/**
 * On a strategy or working group card: how many of its measures trend the
 * right way ("2 of 3 measures trending the right way"), counting only those
 * whose trend the viewer may see (its title says what is left out).
 */
import { useBoardMeasures, rightWayCount, rightWayWords } from './boardMeasures.tsx';

export function RightWay({ indicatorIds }: { indicatorIds: readonly string[] | undefined }) {
  const measures = useBoardMeasures();
  if (!measures || !indicatorIds || indicatorIds.length === 0) return null;
  const words = rightWayWords(rightWayCount(measures, indicatorIds));
  if (!words) return null;
  return (
    <div className="card__line card__right-way" title={words.title}>
      {words.text}
    </div>
  );
}
