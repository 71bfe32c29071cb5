/**
 * "Fix this": what the phase navigator asks the workspace to show when a person
 * follows an unmet item. The navigator (src/workflow) sends it; the workspace
 * shell opens the board; the board selects and highlights the cards or opens its
 * add form with the preset fields.
 */
import type { Board, EntityKind } from '../../machines/entities.ts';

export interface FixTarget {
  board: Board;
  /** Entity ids to select and highlight on that board. */
  select?: string[];
  /** Open the add form for this kind, with these fields preset (for example `{ role: 'affected' }`). */
  add?: { kind: EntityKind; preset?: Record<string, unknown> };
}
