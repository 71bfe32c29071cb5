/**
 * Every board takes sticky notes (src/boards/Note.tsx): its note cards, the
 * "Add sticky note" creator, and "Turn into…" in a note's details.
 */
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../machines/entities.ts';
import { createEntity, createInitiativeDoc, readModel } from '../../src/schema/index.ts';
import type { BoardDefinition } from '../../src/canvas/types.ts';
import { NoteNode, withNotes } from '../../src/boards/Note.tsx';

const plain = (board: BoardDefinition['board']): BoardDefinition => ({
  board,
  nodeTypes: {},
  toElements: () => ({ nodes: [], edges: [] }),
  creators: [{ kind: 'stakeholder', label: 'Add stakeholder', key: 'n', create: () => 'x' }],
  emptyText: { editor: '', observer: '' },
  minimapColor: () => '#123456',
});

describe('withNotes', () => {
  it('shows on each board the notes placed on it, as text, with their colour, author and group', () => {
    const doc = createInitiativeDoc();
    createEntity(doc, 'note', { text: 'On the map', author: 'Sam', group: 'Residents' }, [{ board: 'stakeholders', position: { x: 5, y: 6 } }], 'n1');
    createEntity(doc, 'note', { text: 'In governance', colour: 'blue' }, [{ board: 'governance', position: { x: 0, y: 0 } }], 'n2');
    createEntity(doc, 'note', { text: 'Nowhere' }, [], 'n3');
    const model = readModel(doc);
    const shown = Object.fromEntries(
      BOARDS.map((board) => [board, withNotes(plain(board)).toElements(model).nodes.map((n) => [n.id, n.type, n.data.text])]),
    );
    expect(shown).toEqual({
      stakeholders: [['n1', 'note', 'On the map']],
      boundaries: [],
      framework: [],
      governance: [['n2', 'note', 'In governance']],
    });
    const [node] = withNotes(plain('stakeholders')).toElements(model).nodes;
    expect(node).toMatchObject({
      position: { x: 5, y: 6 },
      ariaLabel: 'Sticky note: On the map',
      data: { entityId: 'n1', kind: 'note', colour: 'yellow', author: 'Sam', group: 'Residents' },
    });
  });

  it('adds "Add sticky note" (T) after the board’s own creators, which adds an empty note on that board', () => {
    for (const board of BOARDS) {
      const definition = withNotes(plain(board));
      expect(definition.creators.map((c) => [c.label, c.key])).toEqual([
        ['Add stakeholder', 'n'],
        ['Add sticky note', 't'],
      ]);
      const doc = createInitiativeDoc();
      const model = readModel(doc);
      const id = definition.creators[1].create(doc, { x: 40, y: 50 }, model, []);
      const after = readModel(doc);
      expect(after.entities.note).toEqual([{ kind: 'note', id, text: '', colour: 'yellow', author: '', group: '' }]);
      expect(after.placements[board]).toEqual({ [id]: { x: 40, y: 50 } });
    }
  });

  it('keeps node types stable per board definition, with the note’s added, and colours notes in the minimap', () => {
    const base = plain('framework');
    const first = withNotes(base);
    expect(withNotes(base).nodeTypes).toBe(first.nodeTypes);
    expect(first.nodeTypes.note).toBe(NoteNode);
    expect(first.panelExtras?.note).toBeDefined();
    const note = { id: 'n', position: { x: 0, y: 0 }, type: 'note', data: { entityId: 'n', kind: 'note' as const, colour: 'pink' } };
    expect(first.minimapColor!(note)).toBe('#fbcfe8');
    expect(first.minimapColor!({ ...note, type: 'strategy', data: { entityId: 's', kind: 'strategy' } })).toBe('#123456');
  });
});
