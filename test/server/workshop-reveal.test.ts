/**
 * Where a reveal places private cards (server/workshops/reveal.ts): one note
 * per card on its board, a column per group to the right of what the board
 * holds, with ids made from the workshop's and the card's, so a reveal
 * repeated after a crash places nothing twice.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Placement } from '../../machines/workshop/index.ts';
import { createEntity, readModel } from '../../src/schema/index.ts';
import { placeNotes } from '../../server/workshops/reveal.ts';

const placements: Placement[] = [
  { note: 'note-1', text: 'Youth council', board: 'stakeholders', author: 'Rosa Delgado', group: 'Rosa Delgado' },
  { note: 'note-3', text: 'Faith leaders', board: 'stakeholders', author: 'Rosa Delgado', group: 'Rosa Delgado' },
  { note: 'note-2', text: 'Bus drivers', board: 'stakeholders', author: 'Lee Park', group: 'Lee Park' },
  { note: 'note-4', text: 'After-school hours', board: 'framework', author: null, group: 'Person 1' },
];

describe('placing revealed cards', () => {
  it('creates one note per card, in columns per group right of the board’s cards, and nothing twice when repeated', () => {
    const doc = new Y.Doc();
    createEntity(doc, 'stakeholder', { name: 'County health department' }, [{ board: 'stakeholders', position: { x: 400, y: 80 } }]);
    const placed = placeNotes(doc, 'w1', placements, 1, '2026-03-05T09:30:00.000Z');
    expect(placed.map((p) => [p.entity, p.text, p.author, p.group, p.item])).toEqual([
      ['w1-note-1', 'Youth council', 'Rosa Delgado', 'Rosa Delgado', 1],
      ['w1-note-3', 'Faith leaders', 'Rosa Delgado', 'Rosa Delgado', 1],
      ['w1-note-2', 'Bus drivers', 'Lee Park', 'Lee Park', 1],
      ['w1-note-4', 'After-school hours', null, 'Person 1', 1],
    ]);
    const model = readModel(doc);
    expect(model.entities.note.map((n) => [n.id, n.text, n.author, n.group])).toEqual([
      ['w1-note-1', 'Youth council', 'Rosa Delgado', 'Rosa Delgado'],
      ['w1-note-2', 'Bus drivers', 'Lee Park', 'Lee Park'],
      ['w1-note-3', 'Faith leaders', 'Rosa Delgado', 'Rosa Delgado'],
      ['w1-note-4', 'After-school hours', '', 'Person 1'],
    ]);
    expect(model.placements.stakeholders['w1-note-1']).toEqual({ x: 660, y: 0 });
    expect(model.placements.stakeholders['w1-note-3']).toEqual({ x: 660, y: 150 });
    expect(model.placements.stakeholders['w1-note-2']).toEqual({ x: 920, y: 0 });
    expect(model.placements.framework['w1-note-4']).toEqual({ x: 0, y: 0 });

    // The same reveal again (the server died before its snapshot was stored): nothing new.
    placeNotes(doc, 'w1', placements, 1, '2026-03-05T09:31:00.000Z');
    expect(readModel(doc).entities.note).toHaveLength(4);
    doc.destroy();
  });

  it('cuts a card longer than a note holds at the note’s length', () => {
    const doc = new Y.Doc();
    const long = 'x'.repeat(900);
    const [placed] = placeNotes(doc, 'w1', [{ note: 'note-1', text: long, board: 'boundaries', author: null, group: 'Person 1' }], 0, '2026-03-05T09:30:00.000Z');
    expect(placed.text).toHaveLength(500);
    expect(readModel(doc).entities.note[0].text).toHaveLength(500);
    doc.destroy();
  });
});
