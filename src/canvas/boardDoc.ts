import { createContext, useContext } from 'react';
import type { InitiativeDoc } from '../schema/index.ts';

/** The board's document and whether this person may edit it, for cards edited in place (a sticky note's words). */
export interface BoardDoc {
  doc: InitiativeDoc;
  editable: boolean;
}

export const BoardDocContext = createContext<BoardDoc | null>(null);

/** The document of the board a card is drawn on (null outside a board). */
export function useBoardDoc(): BoardDoc | null {
  return useContext(BoardDocContext);
}
