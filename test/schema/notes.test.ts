/**
 * Sticky notes in the shared document (src/schema/notes.ts): placed on every
 * board, read defensively, and turned into typed cards of their board keeping
 * their text and place, in one undo step.
 */
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BOARD_KINDS, BOARDS, ENTITY_KIND_LABELS, type Board, type EntityKind } from '../../machines/entities.ts';
import { evaluatePhases } from '../../machines/evaluation.ts';
import { DEFAULT_THRESHOLDS } from '../../machines/thresholds.ts';
import {
  convertNote,
  createEntity,
  createUndo,
  findEntity,
  NOTE_TARGETS,
  NOTE_TEXT_FIELDS,
  placeEntity,
  readModel,
  SchemaError,
  updateEntity,
} from '../../src/schema/index.ts';

const at = (board: Board, x = 120, y = -40) => [{ board, position: { x, y } }];

function noteOn(doc: Y.Doc, board: Board, text: string, id = 'n1'): string {
  return createEntity(doc, 'note', { text }, at(board), id);
}

/** The sentence a refused write says. */
function refusal(write: () => unknown): string {
  try {
    write();
  } catch (error) {
    if (error instanceof SchemaError) return error.message;
    throw error;
  }
  throw new Error('the write was not refused');
}

describe('the note kind', () => {
  it('sits on every board, with its text, a colour of the palette, author and group', () => {
    const doc = new Y.Doc();
    BOARDS.forEach((board, i) => noteOn(doc, board, `Idea ${i}`, `n${i}`));
    const model = readModel(doc);
    expect(model.entities.note.map((n) => n.text)).toEqual(['Idea 0', 'Idea 1', 'Idea 2', 'Idea 3']);
    expect(model.entities.note[0]).toEqual({
      kind: 'note',
      id: 'n0',
      text: 'Idea 0',
      colour: 'yellow',
      author: '',
      group: '',
    });
    BOARDS.forEach((board, i) => expect(model.placements[board]).toEqual({ [`n${i}`]: { x: 120, y: -40 } }));
  });

  it('may be empty (it is written on the board), but not too long or of a colour outside the palette', () => {
    const doc = new Y.Doc();
    expect(readModel(doc).entities.note).toEqual([]);
    noteOn(doc, 'stakeholders', '');
    expect(findEntity(readModel(doc), 'n1')).toMatchObject({ text: '' });
    expect(refusal(() => updateEntity(doc, 'n1', { colour: 'red' }))).toBe(
      'Sticky note colour must be one of: yellow, pink, blue, green, orange, purple.',
    );
    expect(refusal(() => updateEntity(doc, 'n1', { text: 'x'.repeat(501) }))).toBe(
      'Sticky note text is at most 500 characters.',
    );
    updateEntity(doc, 'n1', { colour: 'green', author: 'Sam Ortega', group: 'Residents' });
    expect(findEntity(readModel(doc), 'n1')).toMatchObject({
      colour: 'green',
      author: 'Sam Ortega',
      group: 'Residents',
    });
  });
});

describe('the workflow', () => {
  it('counts no note: a board full of notes meets no step that an empty document does not', () => {
    const context = { thresholds: DEFAULT_THRESHOLDS, confirmations: {} };
    const empty = evaluatePhases(readModel(new Y.Doc()), context);
    const doc = new Y.Doc();
    const words = [
      'County council (champion)',
      'Youth council — residents',
      'Anchor funder',
      'Backbone staff',
      'Steering committee',
    ];
    let n = 0;
    for (const board of BOARDS) {
      for (const text of words)
        createEntity(doc, 'note', { text, group: 'Residents', author: 'Sam' }, at(board, n * 10), `n${n++}`);
    }
    expect(readModel(doc).entities.note).toHaveLength(20);
    expect(evaluatePhases(readModel(doc), context)).toEqual(empty);
  });

  it('counts the card a note became', () => {
    const context = { thresholds: DEFAULT_THRESHOLDS, confirmations: {} };
    const doc = new Y.Doc();
    noteOn(doc, 'stakeholders', 'Meadow County Council');
    const unmet = (d: Y.Doc) =>
      evaluatePhases(readModel(d), context).initiate.planning.steps.find((s) => s.id === 'initiate.planning.landscape')!
        .messages;
    const before = unmet(doc);
    convertNote(doc, 'n1', 'stakeholder');
    expect(unmet(doc)).not.toEqual(before);
  });
});

describe('convertNote', () => {
  it('turns a note into a stakeholder on the stakeholder map: same id, same place, its text as the name, the note gone', () => {
    const doc = new Y.Doc();
    noteOn(doc, 'stakeholders', '  Youth council  ');
    placeEntity(doc, 'stakeholders', 'n1', { x: 311, y: 97 });
    expect(convertNote(doc, 'n1', 'stakeholder')).toBe('n1');
    const model = readModel(doc);
    expect(model.entities.note).toEqual([]);
    expect(model.entities.stakeholder).toEqual([
      {
        kind: 'stakeholder',
        id: 'n1',
        name: 'Youth council',
        organisation: '',
        sector: 'government',
        role: 'partner',
        influence: 3,
        interest: 3,
      },
    ]);
    expect(model.placements.stakeholders).toEqual({ n1: { x: 311, y: 97 } });
  });

  it('keeps a position that is not a whole number exactly (an imported one)', () => {
    const doc = new Y.Doc();
    noteOn(doc, 'boundaries', 'Rural townships');
    doc.getMap('placements.boundaries').set('n1', { x: 10.5, y: -0.25 });
    convertNote(doc, 'n1', 'boundary');
    expect(readModel(doc).placements.boundaries).toEqual({ n1: { x: 10.5, y: -0.25 } });
    expect(findEntity(readModel(doc), 'n1')).toMatchObject({ kind: 'boundary', label: 'Rural townships' });
  });

  it('puts the text in each kind’s main field, on one line', () => {
    for (const board of BOARDS) {
      for (const kind of NOTE_TARGETS[board]) {
        const doc = new Y.Doc();
        noteOn(doc, board, 'Parent\nevenings   at school');
        convertNote(doc, 'n1', kind);
        const card = findEntity(readModel(doc), 'n1') as unknown as Record<string, unknown>;
        expect({ board, kind: card.kind, text: card[NOTE_TEXT_FIELDS[kind]!.field] }).toEqual({
          board,
          kind,
          text: 'Parent evenings at school',
        });
        expect(readModel(doc).placements[board]).toEqual({ n1: { x: 120, y: -40 } });
      }
    }
  });

  it('is one undo step: undo brings the note back with its text and place, redo makes the card again', () => {
    const doc = new Y.Doc();
    const undo = createUndo(doc);
    noteOn(doc, 'framework', 'Mentoring by older students');
    undo.stopCapturing();
    convertNote(doc, 'n1', 'strategy');
    expect(findEntity(readModel(doc), 'n1')).toMatchObject({ kind: 'strategy', name: 'Mentoring by older students' });
    undo.undo();
    const back = readModel(doc);
    expect(findEntity(back, 'n1')).toEqual({
      kind: 'note',
      id: 'n1',
      text: 'Mentoring by older students',
      colour: 'yellow',
      author: '',
      group: '',
    });
    expect(back.entities.strategy).toEqual([]);
    expect(back.placements.framework).toEqual({ n1: { x: 120, y: -40 } });
    expect(undo.canUndo()).toBe(true); // the note's creation, a step of its own
    undo.redo();
    expect(findEntity(readModel(doc), 'n1')).toMatchObject({ kind: 'strategy', name: 'Mentoring by older students' });
    undo.destroy();
  });

  it('reaches another client as one update that replaces the note', () => {
    const doc = new Y.Doc();
    const other = new Y.Doc();
    noteOn(doc, 'governance', 'Data working group');
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    convertNote(doc, 'n1', 'group');
    expect(updates).toHaveLength(1);
    Y.applyUpdate(other, updates[0]);
    expect(readModel(other)).toEqual(readModel(doc));
    expect(findEntity(readModel(other), 'n1')).toMatchObject({ kind: 'group', name: 'Data working group' });
  });

  it('refuses a kind the board does not offer, saying which it does, and changes nothing', () => {
    const cases: [Board, EntityKind, string][] = [
      [
        'boundaries',
        'stakeholder',
        'On the Boundaries board a sticky note can become a boundary item, not a stakeholder.',
      ],
      [
        'stakeholders',
        'relationship',
        'On the Stakeholder map board a sticky note can become a stakeholder or an existing effort, not a relationship.',
      ],
      [
        'framework',
        'problem',
        'On the Strategic action framework board a sticky note can become a strategy, an activity, an indicator, a principle, a research source or baseline data, not a problem description.',
      ],
      [
        'governance',
        'strategy',
        'On the Governance board a sticky note can become a group or a backbone, not a strategy.',
      ],
      [
        'stakeholders',
        'note',
        'On the Stakeholder map board a sticky note can become a stakeholder or an existing effort, not a sticky note.',
      ],
      [
        'stakeholders',
        'spaceship' as EntityKind,
        'On the Stakeholder map board a sticky note can become a stakeholder or an existing effort, not "spaceship".',
      ],
    ];
    for (const [board, kind, sentence] of cases) {
      const doc = new Y.Doc();
      noteOn(doc, board, 'Something');
      const before = Y.encodeStateVector(doc);
      expect(refusal(() => convertNote(doc, 'n1', kind))).toBe(sentence);
      expect(Y.encodeStateVector(doc)).toEqual(before);
    }
  });

  it('refuses an empty note, an unknown one, one on no board, one on two boards without the board', () => {
    const doc = new Y.Doc();
    noteOn(doc, 'stakeholders', '   ');
    expect(refusal(() => convertNote(doc, 'n1', 'stakeholder'))).toBe(
      'This sticky note is empty: write on it first, its words become the name of the stakeholder.',
    );
    expect(refusal(() => convertNote(doc, 'gone', 'stakeholder'))).toBe(
      'This sticky note is no longer on the board: someone may have turned it into a card or deleted it.',
    );
    createEntity(doc, 'stakeholder', { name: 'Hospital' }, at('stakeholders'), 's1');
    expect(refusal(() => convertNote(doc, 's1', 'effort'))).toMatch(/^This sticky note is no longer on the board/);
    createEntity(doc, 'note', { text: 'Floating' }, [], 'n2');
    expect(refusal(() => convertNote(doc, 'n2', 'stakeholder'))).toBe(
      'This sticky note is on no board: place it on a board before turning it into a card.',
    );
    createEntity(doc, 'note', { text: 'Twice' }, [...at('stakeholders'), ...at('governance')], 'n3');
    expect(refusal(() => convertNote(doc, 'n3', 'stakeholder'))).toBe(
      'This sticky note is on 2 boards: say on which one it becomes a card.',
    );
    expect(refusal(() => convertNote(doc, 'n3', 'boundary', 'boundaries'))).toBe(
      'This sticky note is not on the Boundaries board.',
    );
    // On the board named, it becomes the card; the other board, which does not show stakeholders, lets it go.
    convertNote(doc, 'n3', 'stakeholder', 'stakeholders');
    const model = readModel(doc);
    expect(findEntity(model, 'n3')).toMatchObject({ kind: 'stakeholder', name: 'Twice' });
    expect(doc.getMap('placements.governance').has('n3')).toBe(false);
    expect(model.placements.stakeholders.n3).toEqual({ x: 120, y: -40 });
  });

  it('a long note: a kind with a longer text keeps it whole there; a kind without one is refused with the limit', () => {
    const long = `${'Weekend drop-in hours at the library for teens '.repeat(5)}end`;
    const doc = new Y.Doc();
    noteOn(doc, 'stakeholders', long);
    expect(refusal(() => convertNote(doc, 'n1', 'stakeholder'))).toBe(
      `This sticky note has ${long.length} characters; the name of a stakeholder holds at most 200. Shorten the note first.`,
    );
    convertNote(doc, 'n1', 'effort');
    const effort = findEntity(readModel(doc), 'n1') as { name: string; description: string };
    expect(effort.description).toBe(long);
    expect(effort.name.length).toBeLessThanOrEqual(200);
    expect(effort.name.endsWith('…')).toBe(true);
    expect(long.startsWith(effort.name.slice(0, -1))).toBe(true);
  });

  it('offers on each board only kinds that board shows and that have a main text field', () => {
    for (const board of BOARDS) {
      expect(NOTE_TARGETS[board].length).toBeGreaterThan(0);
      for (const kind of NOTE_TARGETS[board]) {
        expect(NOTE_TEXT_FIELDS[kind], `${board} ${ENTITY_KIND_LABELS[kind]}`).toBeDefined();
        expect(BOARD_KINDS[board]).toContain(kind);
      }
    }
  });
});
