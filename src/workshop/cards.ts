/** The cards a vote is on, with the words that name them, read from the shared document's model. */
import {
  BOARD_KINDS,
  SINGLETON_KINDS,
  type Board,
  type Entity,
  type EntityKind,
  type InitiativeModel,
} from '../../machines/entities.ts';
import { entityTitle } from '../canvas/labels.ts';

export interface CardName {
  id: string;
  title: string;
}

/** Every entity's words by id. */
export function cardTitles(model: InitiativeModel): Map<string, string> {
  const titles = new Map<string, string>();
  for (const list of Object.values(model.entities) as Entity[][]) {
    for (const entity of list) titles.set(entity.id, entityTitle(entity));
  }
  return titles;
}

/**
 * The cards of `board` a group chooses among: every entity of its kinds (an
 * unplaced one sits at a default place), sticky notes only where they were
 * placed; links and the framework's one-of-a-kind cards (the problem, the
 * goal, the evaluation) left out. A vote sends this list, so it is on the
 * cards the room sees.
 */
export function cardsOnBoard(model: InitiativeModel, board: Board): CardName[] {
  const placed = model.placements[board] ?? {};
  return BOARD_KINDS[board]
    .filter((kind: EntityKind) => kind !== 'relationship' && !(SINGLETON_KINDS as readonly EntityKind[]).includes(kind))
    .flatMap((kind) => (model.entities[kind] as Entity[]).filter((e) => kind !== 'note' || e.id in placed))
    .map((entity) => ({ id: entity.id, title: entityTitle(entity) }));
}
