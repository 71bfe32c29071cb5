import './collab.css';
import { useMemo, type CSSProperties } from 'react';
import { BOARD_LABELS } from '../../machines/entities.ts';
import { roleLabel } from '../contract/roles.ts';
import type { Awareness } from '../sync/index.ts';
import { useFacilitatorCursorsOnly } from './cursorFilter.ts';
import { usePeople, type Person } from './presence.ts';

/** One entry per person: the same name and role in two tabs is one person (the first tab wins). */
function distinct(people: readonly Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((person) => {
    const key = `${person.name}\u0000${person.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

interface Props {
  awareness: Awareness | null;
  /** Say which board each person is on (when they share it). */
  showBoards?: boolean;
}

/** The people who have the initiative open now, one entry each. */
export function usePeopleHere(awareness: Awareness | null): Person[] {
  const all = usePeople(awareness);
  return useMemo(() => distinct(all), [all]);
}

/** Who has the initiative open now: you first, then everyone else by name, with role and colour. */
export function WhoIsHere({ awareness, showBoards = true }: Props) {
  const people = usePeopleHere(awareness);
  if (people.length === 0) return <p className="who-is-here__empty">Nobody is connected yet.</p>;
  return (
    <section className="who-is-here" aria-label="Who is here">
      <ul className="who-is-here__list">
        {people.map((person) => {
          const role = roleLabel(person.role);
          const where = showBoards && person.board ? BOARD_LABELS[person.board] : null;
          return (
            <li
              key={person.clientId}
              className={`who-is-here__person${person.self ? ' is-self' : ''}`}
              style={{ '--peer-color': person.color } as CSSProperties}
              title={`${person.name}${person.self ? ' (you)' : ''}, ${role}${where ? `, on ${where}` : ''}`}
            >
              <span className="who-is-here__dot" aria-hidden="true" />
              <span className="who-is-here__name">
                {person.name}
                {person.self && <span className="who-is-here__you"> (you)</span>}
              </span>
              <span className="who-is-here__role">{role}</span>
              {where && <span className="who-is-here__board">{where}</span>}
            </li>
          );
        })}
      </ul>
      <CursorChoice />
    </section>
  );
}

/**
 * "Facilitators' cursors only": this browser's choice of which pointers the
 * boards draw (./cursorFilter.ts), beside the people whose pointers they are.
 */
function CursorChoice() {
  const [facilitatorsOnly, setFacilitatorsOnly] = useFacilitatorCursorsOnly();
  return (
    <label
      className="collab-cursor-choice"
      title="Show only the pointers of the backbone lead and the facilitators, not everyone's. Remembered in this browser."
    >
      <input type="checkbox" checked={facilitatorsOnly} onChange={(event) => setFacilitatorsOnly(event.target.checked)} />
      Facilitators’ cursors only
    </label>
  );
}
