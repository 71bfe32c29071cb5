import { COMPONENT_LABELS, stepById, type Unmet } from '../../machines/index.ts';
import { FixableMessage, type Guide } from './FixLink.tsx';

/** Where an unmet condition belongs, in words: "Strategic planning · Map the landscape". */
export function unmetPlace(item: Unmet): string | null {
  const parts: string[] = [];
  if (item.component) parts.push(COMPONENT_LABELS[item.component] ?? item.component);
  if (item.step) parts.push(stepById(item.step)?.title ?? item.step);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/**
 * Conditions that are not met, each with the component and step it belongs to;
 * with a `guide`, each one fixed on a board is a button that opens it there.
 */
export function UnmetList({ unmet, id, guide }: { unmet: Unmet[]; id?: string; guide?: Guide }) {
  return (
    <ul className="wf-unmet" id={id}>
      {unmet.map((item, index) => {
        const place = unmetPlace(item);
        return (
          <li key={`${item.step ?? item.precondition ?? 'unmet'}-${index}`}>
            {place && <span className="wf-unmet__place">{place}: </span>}
            <FixableMessage item={item} guide={guide} />
          </li>
        );
      })}
    </ul>
  );
}
