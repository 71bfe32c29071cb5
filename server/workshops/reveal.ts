/**
 * Where revealed private cards land (the `notesRevealed` effect): each becomes
 * a `note` entity on its board, one column per group, to the right of what the
 * board already holds. Its id is made from the workshop's and the private
 * card's, so a reveal repeated (after a crash between the document write and
 * the snapshot) places nothing twice.
 */
import type * as Y from 'yjs';
import type { Board } from '../../machines/entities.ts';
import type { Placement } from '../../machines/workshop/index.ts';
import { createEntity, FIELDS, readModel } from '../../src/schema/index.ts';
import type { PlacedCard } from './types.ts';

const COLUMN = 260;
const ROW = 150;
/** A note's text is shorter than a private card's (1000): a longer card is cut here. */
const NOTE_TEXT_MAX = (FIELDS.note.text as { max: number }).max;

/** Creates the notes of `placements` in `doc`; answers what the record keeps of them. */
export function placeNotes(doc: Y.Doc, workshopId: string, placements: Placement[], item: number | null, at: string): PlacedCard[] {
  const model = readModel(doc);
  const placed: PlacedCard[] = [];
  const columns = new Map<string, { column: number; rows: number }>();
  const left = new Map<Board, number>();
  for (const p of placements) {
    if (!left.has(p.board)) {
      const xs = Object.values(model.placements[p.board]).map((pos) => pos.x);
      left.set(p.board, xs.length === 0 ? 0 : Math.max(...xs) + COLUMN);
    }
    const key = `${p.board}\n${p.group}`;
    let column = columns.get(key);
    if (!column) {
      column = { column: [...columns.keys()].filter((k) => k.startsWith(`${p.board}\n`)).length, rows: 0 };
      columns.set(key, column);
    }
    const entity = `${workshopId}-${p.note}`;
    const text = p.text.slice(0, NOTE_TEXT_MAX);
    if (!model.placements[p.board][entity]) {
      const position = { x: left.get(p.board)! + column.column * COLUMN, y: column.rows * ROW };
      createEntity(doc, 'note', { text, author: p.author ?? '', group: p.group }, [{ board: p.board, position }], entity);
    }
    column.rows++;
    placed.push({ entity, board: p.board, text, author: p.author, group: p.group, item, at });
  }
  return placed;
}
