/**
 * How a card is named and which cards of a board a group chooses among: one
 * rule for the browser (the canvas, a vote's cards) and the server (a vote
 * opened on a board, the workshop record).
 */
import {
  BOARD_KINDS,
  SINGLETON_KINDS,
  type Board,
  type Entity,
  type EntityKind,
  type InitiativeModel,
} from '../../machines/entities.ts';

/**
 * Each kind's main text, the words that name one of its cards. A relationship
 * has none: it is named by its two ends.
 */
export const TITLE_FIELDS: Record<EntityKind, string | null> = {
  stakeholder: 'name',
  relationship: null,
  effort: 'name',
  boundary: 'label',
  problem: 'description',
  source: 'title',
  baseline: 'statement',
  goal: 'statement',
  strategy: 'name',
  activity: 'name',
  principle: 'statement',
  evaluation: 'approach',
  indicator: 'name',
  group: 'name',
  backbone: 'name',
  note: 'text',
};

/** The words that name an entity: its kind's main text, or `blank` when that is empty. */
export function entityTitle(entity: Entity, blank = '(unnamed)'): string {
  const field = TITLE_FIELDS[entity.kind];
  const value = field === null ? undefined : (entity as unknown as Record<string, unknown>)[field];
  return typeof value === 'string' && value.trim() ? value : blank;
}

/**
 * The cards of `board` a group chooses among (a vote on a board is on these):
 * every entity of its kinds (an unplaced one sits at a default place), sticky
 * notes only where they were placed; links and the framework's one-of-a-kind
 * cards (the problem, the goal, the evaluation: single statements are not
 * voted on) left out.
 */
export function cardsOfBoard(model: InitiativeModel, board: Board): Entity[] {
  const placed = model.placements[board] ?? {};
  return BOARD_KINDS[board]
    .filter((kind: EntityKind) => kind !== 'relationship' && !(SINGLETON_KINDS as readonly EntityKind[]).includes(kind))
    .flatMap((kind) => (model.entities[kind] as Entity[]).filter((e) => kind !== 'note' || e.id in placed));
}
