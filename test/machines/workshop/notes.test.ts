import { describe, expect, it } from 'vitest';
import {
  closeVote,
  decisionProblem,
  markSeen,
  missingSectors,
  NO_SECTOR_LABEL,
  noteProblem,
  NOTE_LIMITS,
  openVote,
  revealPlacements,
  setAttendance,
  type ClosedVote,
  type OpenVote,
  type PrivateNote,
} from '../../../machines/workshop/index.ts';
import { AGENDA, facilitator, funder, resident, teacher } from './fixtures.ts';

const brainstorm = AGENDA[1];
const at = (minute: number) => `2026-12-03T09:${String(minute).padStart(2, '0')}:00.000Z`;
const author = (p: typeof resident) => ({ id: p.id, name: p.name, sector: p.sector });

const NOTES: PrivateNote[] = [
  { id: 'note-1', author: author(funder), text: 'The hospital ', board: 'stakeholders', item: 1, at: at(12) },
  { id: 'note-2', author: author(resident), text: 'Youth council', board: 'stakeholders', item: 1, at: at(11) },
  { id: 'note-3', author: author(funder), text: 'Parents', board: 'stakeholders', item: 1, at: at(14) },
  {
    id: 'note-4',
    author: { ...author(teacher), sector: null },
    text: 'Bus drivers',
    board: 'governance',
    item: 1,
    at: at(13),
  },
];

describe('private cards: when they can be written', () => {
  it('only during a brainstorm item, with text, on a board', () => {
    expect(noteProblem(AGENDA[0], 'x', undefined, 0)).toBe(
      'Private cards are written during a brainstorm item; the current item is not one.',
    );
    expect(noteProblem(null, 'x', undefined, 0)).toMatch(/^Private cards are written during a brainstorm item/);
    expect(noteProblem(brainstorm, '  \n', undefined, 0)).toBe('A card needs text.');
    expect(noteProblem(brainstorm, 'x'.repeat(NOTE_LIMITS.textMax + 1), undefined, 0)).toBe(
      `A card holds at most ${NOTE_LIMITS.textMax} characters.`,
    );
    const boardless = { ...brainstorm, board: undefined };
    expect(noteProblem(boardless, 'x', undefined, 0)).toBe(
      'Say which board this card goes on: this item has no board.',
    );
    expect(noteProblem(boardless, 'x', 'boundaries', 0)).toBeNull();
    expect(noteProblem(brainstorm, 'x', undefined, NOTE_LIMITS.heldMax)).toMatch(/reveal them before adding more/);
    expect(noteProblem(brainstorm, 'Youth council', undefined, 3)).toBeNull();
  });
});

describe('private cards: reveal', () => {
  it('groups by author with names, authors in the order they first wrote, cards in the order written', () => {
    expect(revealPlacements(NOTES, { anonymous: false, groupBy: 'author' })).toEqual([
      { note: 'note-2', text: 'Youth council', board: 'stakeholders', author: 'Rosa Delgado', group: 'Rosa Delgado' },
      { note: 'note-1', text: 'The hospital', board: 'stakeholders', author: 'Priya Nair', group: 'Priya Nair' },
      { note: 'note-3', text: 'Parents', board: 'stakeholders', author: 'Priya Nair', group: 'Priya Nair' },
      { note: 'note-4', text: 'Bus drivers', board: 'governance', author: 'Tom Okafor', group: 'Tom Okafor' },
    ]);
  });

  it('groups by author without names when anonymous: "Person 1", "Person 2"…, and no name anywhere', () => {
    const placements = revealPlacements(NOTES, { anonymous: true, groupBy: 'author' });
    expect(placements.map((p) => [p.note, p.author, p.group])).toEqual([
      ['note-2', null, 'Person 1'],
      ['note-1', null, 'Person 2'],
      ['note-3', null, 'Person 2'],
      ['note-4', null, 'Person 3'],
    ]);
    const json = JSON.stringify(placements);
    for (const p of [resident, funder, teacher]) {
      expect(json).not.toContain(p.name);
      expect(json).not.toContain(p.id);
    }
  });

  it('groups by sector in the domain’s order, the unknown sector last', () => {
    const placements = revealPlacements(NOTES, { anonymous: true, groupBy: 'sector' });
    expect(placements.map((p) => [p.note, p.group, p.author])).toEqual([
      ['note-1', 'Philanthropy', null],
      ['note-3', 'Philanthropy', null],
      ['note-2', 'Residents', null],
      ['note-4', NO_SECTOR_LABEL, null],
    ]);
    expect(revealPlacements(NOTES, { anonymous: false, groupBy: 'sector' })[0].author).toBe('Priya Nair');
    expect(revealPlacements([], { anonymous: false, groupBy: 'sector' })).toEqual([]);
  });
});

describe('decisions', () => {
  const open = openVote('vote-1', { cards: ['a'], budget: 1, maxPerCard: 1, anonymous: true }, at(0), 0) as OpenVote;
  const closed = closeVote(open, at(5)) as ClosedVote;

  it('need text, a known and closed vote, and a judgement step', () => {
    expect(decisionProblem({ text: ' ' }, [])).toBe('A decision needs text: say what was decided.');
    expect(decisionProblem({ text: 'x'.repeat(4001) }, [])).toBe('A decision holds at most 4000 characters.');
    expect(decisionProblem({ text: 'Go', voteId: 'vote-9' }, [open])).toBe(
      'There is no vote "vote-9" in this workshop.',
    );
    expect(decisionProblem({ text: 'Go', voteId: 'vote-1' }, [open])).toBe(
      'That vote is still open: close it before recording what it decided.',
    );
    expect(decisionProblem({ text: 'Go', voteId: 'vote-1' }, [closed])).toBeNull();
    expect(decisionProblem({ text: 'Go', step: 'initiate.nothing' }, [])).toBe('There is no step "initiate.nothing".');
    expect(decisionProblem({ text: 'Go', step: 'initiate.planning.landscape' }, [])).toBe(
      '"Map the landscape" completes by itself once the canvas shows it: a decision cannot confirm it.',
    );
    expect(decisionProblem({ text: 'Go', step: 'initiate.community.outreach' }, [])).toBeNull();
  });
});

describe('attendance', () => {
  it('marks people seen by presence, lets the facilitator correct it, and names the sectors missing', () => {
    let list = markSeen([], resident, at(1));
    list = markSeen(list, funder, at(2));
    list = markSeen(list, resident, at(3));
    expect(list.map((e) => [e.id, e.present, e.source, e.at])).toEqual([
      [resident.id, true, 'presence', at(1)],
      [funder.id, true, 'presence', at(2)],
    ]);
    list = setAttendance(list, funder, false, at(4));
    // The facilitator's word wins over presence.
    list = markSeen(list, funder, at(5));
    list = setAttendance(list, teacher, true, at(6));
    expect(list.map((e) => [e.id, e.present, e.source])).toEqual([
      [resident.id, true, 'presence'],
      [funder.id, false, 'facilitator'],
      [teacher.id, true, 'facilitator'],
    ]);
    expect(missingSectors(list)).toEqual([
      'government',
      'business',
      'philanthropy',
      'nonprofit',
      'health',
      'faith',
      'media',
    ]);
    expect(missingSectors(markSeen(list, facilitator, at(7)))).not.toContain('nonprofit');
  });
});
