/** The cards a vote is on, with the words that name them, read from the shared document's model. */
import type { Board, Entity, InitiativeModel } from '../../machines/entities.ts';
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

/** The cards placed on `board`, as the server counts them for a vote on all of a board's cards. */
export function cardsOnBoard(model: InitiativeModel, board: Board, titles = cardTitles(model)): CardName[] {
  return Object.keys(model.placements[board] ?? {})
    .filter((id) => titles.has(id))
    .map((id) => ({ id, title: titles.get(id)! }));
}
