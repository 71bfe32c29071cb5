import { COMPONENT_LABELS, stepById, type Unmet } from '../../machines/index.ts';

/** Where an unmet condition belongs, in words: "Strategic planning · Map the landscape". */
export function unmetPlace(item: Unmet): string | null {
  const parts: string[] = [];
  if (item.component) parts.push(COMPONENT_LABELS[item.component] ?? item.component);
  if (item.step) parts.push(stepById(item.step)?.title ?? item.step);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** Conditions that are not met, each with the component and step it belongs to. */
export function UnmetList({ unmet, id }: { unmet: Unmet[]; id?: string }) {
  return (
    <ul className="wf-unmet" id={id}>
      {unmet.map((item, index) => {
        const place = unmetPlace(item);
        return (
          <li key={`${item.step ?? item.precondition ?? 'unmet'}-${index}`}>
            {place && <span className="wf-unmet__place">{place}: </span>}
            {item.message}
          </li>
        );
      })}
    </ul>
  );
}
