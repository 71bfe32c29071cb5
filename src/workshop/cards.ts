/** The cards a vote is on, with the words that name them, read from the shared document's model. */
import type { Board, Entity, InitiativeModel } from '../../machines/entities.ts';
import { cardsOfBoard, entityTitle } from '../schema/cards.ts';

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
 * The cards of `board` a group chooses among (src/schema/cards.ts says which;
 * the server takes the same ones for a vote opened with only a board). A vote
 * sends this list, so it is on the cards the room sees.
 */
export function cardsOnBoard(model: InitiativeModel, board: Board): CardName[] {
  return cardsOfBoard(model, board).map((entity) => ({ id: entity.id, title: entityTitle(entity) }));
}
