/**
 * Private brainstorming. During a `brainstorm` item people add cards that only
 * they see; the workshop holds them outside the shared document, and views
 * show each person their own only (./view.ts). The facilitator's reveal answers
 * the cards to place on the boards (text, author name or null, group label) and
 * the notes leave the private store: from then on they are cards of the shared
 * document, and the workshop keeps only how many were revealed.
 */
import { SECTOR_LABELS, SECTORS } from '../domain.ts';
import type { Board } from '../entities.ts';
import type { AgendaItem } from './agenda.ts';
import type { Attendee } from './attendance.ts';
import { hasText } from './outcome.ts';

/**
 * A private card's longest text is a sticky note's (src/schema/fields.ts reads it
 * from here), so a revealed card is placed whole; `heldMax` bounds the cards one
 * workshop holds before a reveal.
 */
export const NOTE_LIMITS = { textMax: 500, heldMax: 2000 } as const;

export const REVEAL_GROUPINGS = ['author', 'sector'] as const;
export type RevealGrouping = (typeof REVEAL_GROUPINGS)[number];

export interface PrivateNote {
  id: string;
  author: Pick<Attendee, 'id' | 'name' | 'sector'>;
  text: string;
  board: Board;
  /** The agenda item (index) it was written in. */
  item: number;
  at: string;
}

/** A card to create on a board at reveal. */
export interface Placement {
  note: string;
  text: string;
  board: Board;
  /** The author's name, or null for an anonymous reveal. */
  author: string | null;
  /** Where it is grouped: the author's name ("Person 2" when anonymous) or the sector's label. */
  group: string;
}

/** Why a private card cannot be added now, or null. */
export function noteProblem(
  item: AgendaItem | null,
  text: string,
  board: Board | undefined,
  held: number,
): string | null {
  if (!item || item.activity !== 'brainstorm') {
    return 'Private cards are written during a brainstorm item; the current item is not one.';
  }
  if (!hasText(text)) return 'A card needs text.';
  if (text.length > NOTE_LIMITS.textMax) return `A card holds at most ${NOTE_LIMITS.textMax} characters.`;
  if (!board && !item.board) return 'Say which board this card goes on: this item has no board.';
  if (held >= NOTE_LIMITS.heldMax) {
    return `The workshop holds at most ${NOTE_LIMITS.heldMax} private cards: reveal them before adding more.`;
  }
  return null;
}

export const NO_SECTOR_LABEL = 'Sector not given';

/**
 * The cards to place, grouped: by author (in the order they first wrote), or
 * by sector (in the domain's order); within a group, in the order written.
 */
export function revealPlacements(
  notes: readonly PrivateNote[],
  options: { anonymous: boolean; groupBy: RevealGrouping },
): Placement[] {
  const sorted = [...notes].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const authors = [...new Set(sorted.map((n) => n.author.id))];
  const groupOf = (note: PrivateNote): string => {
    if (options.groupBy === 'sector') return note.author.sector ? SECTOR_LABELS[note.author.sector] : NO_SECTOR_LABEL;
    return options.anonymous ? `Person ${authors.indexOf(note.author.id) + 1}` : note.author.name;
  };
  const rank = (note: PrivateNote): number =>
    options.groupBy === 'sector'
      ? note.author.sector
        ? SECTORS.indexOf(note.author.sector)
        : SECTORS.length
      : authors.indexOf(note.author.id);
  return sorted
    .map((note, order) => ({ note, order }))
    .sort((a, b) => rank(a.note) - rank(b.note) || a.order - b.order)
    .map(({ note }) => ({
      note: note.id,
      text: note.text.trim(),
      board: note.board,
      author: options.anonymous ? null : note.author.name,
      group: groupOf(note),
    }));
}
