import type { CSSProperties } from 'react';
import type { PresentPerson } from '../sync/usePresence.ts';

/** Who else has this initiative open right now. */
export function Presence({ people }: { people: PresentPerson[] }) {
  const others = people.filter((person) => !person.self);
  if (others.length === 0) return null;
  return (
    <ul className="presence" aria-label="Also here now">
      {others.map((person) => (
        <li
          key={person.clientId}
          className="presence__person"
          style={{ '--person-color': person.color } as CSSProperties}
          title={`${person.name} (${person.role})`}
        >
          <span className="presence__initial" aria-hidden="true">
            {person.name.trim().charAt(0).toUpperCase() || '?'}
          </span>
          <span className="presence__name">{person.name}</span>
        </li>
      ))}
    </ul>
  );
}
