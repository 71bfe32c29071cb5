/**
 * Sticky notes (kind `note`, docs/schema.md): what a note may become on each
 * board, and `convertNote`, which turns a note into a typed card of its board
 * in one transaction (one undo step), keeping its text, its id and its place.
 */
import * as Y from 'yjs';
import {
  BOARD_KINDS,
  BOARD_LABELS,
  BOARDS,
  ENTITY_KIND_LABELS,
  type Board,
  type EntityKind,
} from '../../machines/entities.ts';
import { FIELDS, isEntityKind } from './fields.ts';
import { fieldWordInSentence } from './words.ts';
import { entryOf, placementsOf } from './codec.ts';
import { createEntity, SchemaError } from './writes.ts';

type Doc = Y.Doc;

/**
 * Where a note's text goes in each kind it may become: `field`, the kind's main
 * words (its name, label, title or statement); `more`, a longer text of the
 * kind that takes the whole note when it does not fit in `field`.
 */
export const NOTE_TEXT_FIELDS: Partial<Record<EntityKind, { field: string; more?: string }>> = {
  stakeholder: { field: 'name' },
  effort: { field: 'name', more: 'description' },
  boundary: { field: 'label', more: 'rationale' },
  source: { field: 'title' },
  baseline: { field: 'statement' },
  strategy: { field: 'name', more: 'description' },
  activity: { field: 'name' },
  principle: { field: 'statement' },
  indicator: { field: 'name', more: 'definition' },
  group: { field: 'name' },
  backbone: { field: 'name' },
};

/**
 * The kinds a note may become on each board: the board's own kinds that have
 * words of their own. Not the one-per-initiative texts (problem, goal,
 * evaluation: edit them instead), not relationships (a link needs two ends),
 * and not strategies on the governance board (they are the framework's own).
 */
export const NOTE_TARGETS: Record<Board, readonly EntityKind[]> = {
  stakeholders: ['stakeholder', 'effort'],
  boundaries: ['boundary'],
  framework: ['strategy', 'activity', 'indicator', 'principle', 'source', 'baseline'],
  governance: ['group', 'backbone'],
};

/** "a stakeholder", "an existing effort", "baseline data". */
export function kindInSentence(kind: EntityKind): string {
  const words = ENTITY_KIND_LABELS[kind].toLowerCase();
  if (kind === 'baseline') return words;
  return /^[aeiou]/.test(words) ? `an ${words}` : `a ${words}`;
}

function orList(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The boards a note is placed on, in board order. */
export function noteBoards(doc: Doc, noteId: string): Board[] {
  return BOARDS.filter((board) => placementsOf(doc, board).has(noteId));
}

/** Cuts one line of words to at most `max` characters, at a space when there is one, ending with "…". */
function clip(words: string, max: number): string {
  const cut = words.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * The fields a note's text gives a card of `kind`: the text on one line in the
 * kind's main field; when it is longer than that field holds and the kind has a
 * longer text, the main field takes its start and the longer one the whole note.
 * Throws a SchemaError when the text is empty or does not fit.
 */
function fieldsFromText(text: string, kind: EntityKind): Record<string, string> {
  const target = NOTE_TEXT_FIELDS[kind]!;
  const spec = FIELDS[kind][target.field] as { max: number };
  const line = text.replace(/\s+/g, ' ').trim();
  const main = fieldWordInSentence(kind, target.field);
  if (!line) {
    throw new SchemaError(
      `This sticky note is empty: write on it first, its words become the ${main} of the ${ENTITY_KIND_LABELS[kind].toLowerCase()}.`,
      'text',
    );
  }
  if (line.length <= spec.max) return { [target.field]: line };
  if (target.more) return { [target.field]: clip(line, spec.max), [target.more]: text.trim() };
  throw new SchemaError(
    `This sticky note has ${line.length} characters; the ${main} of ${kindInSentence(kind)} holds at most ${spec.max}. Shorten the note first.`,
    'text',
  );
}

/**
 * Turns a sticky note into a card of `kind`, in one transaction (one undo
 * step): the card takes the note's id, so it keeps the note's place on every
 * board (placements on boards that do not show `kind` are removed), and the
 * note's text (NOTE_TEXT_FIELDS says where). The note's colour, author and
 * group are not kept. `board` is the board it is turned on; it may be left out
 * when the note sits on one board only. Answers the card's id.
 *
 * Refused with a SchemaError, writing nothing: an id that is no note, a note on
 * no board (or on several, without `board`), a kind the board does not offer
 * (NOTE_TARGETS), an empty note, a text the kind cannot hold.
 */
export function convertNote(doc: Doc, noteId: string, kind: EntityKind, board?: Board): string {
  const entry = entryOf(doc, noteId);
  if (!entry || entry.get('kind') !== 'note') {
    throw new SchemaError(
      'This sticky note is no longer on the board: someone may have turned it into a card or deleted it.',
      'id',
    );
  }
  const boards = noteBoards(doc, noteId);
  if (board !== undefined && !boards.includes(board)) {
    throw new SchemaError(`This sticky note is not on the ${BOARD_LABELS[board] ?? String(board)} board.`, 'board');
  }
  if (board === undefined && boards.length !== 1) {
    throw new SchemaError(
      boards.length === 0
        ? 'This sticky note is on no board: place it on a board before turning it into a card.'
        : `This sticky note is on ${boards.length} boards: say on which one it becomes a card.`,
      'board',
    );
  }
  const on = board ?? boards[0];
  const allowed = NOTE_TARGETS[on];
  if (!isEntityKind(kind) || !allowed.includes(kind)) {
    const what = isEntityKind(kind) ? kindInSentence(kind) : `"${String(kind)}"`;
    throw new SchemaError(
      `On the ${BOARD_LABELS[on]} board a sticky note can become ${orList(allowed.map(kindInSentence))}, not ${what}.`,
      'kind',
    );
  }
  const text = entry.get('text');
  const fields = fieldsFromText(text instanceof Y.Text ? text.toString() : '', kind);
  doc.transact(() => {
    // The same id: the note's placement on this board is the card's, untouched.
    createEntity(doc, kind, fields, [], noteId);
    for (const other of boards) {
      if (!BOARD_KINDS[other].includes(kind)) placementsOf(doc, other).delete(noteId);
    }
  });
  return noteId;
}
