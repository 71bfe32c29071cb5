/** The words the side panel uses for fields and enum values (docs/domain.md vocabulary). */
import { SECTOR_LABELS, STAKEHOLDER_ROLE_LABELS } from '../../machines/domain.ts';
import {
  BACKBONE_STRUCTURE_LABELS,
  BOUNDARY_DIMENSION_LABELS,
  GROUP_KIND_LABELS,
  INDICATOR_DIRECTION_LABELS,
  NOTE_COLOUR_LABELS,
  RELATION_LABELS,
  STRATEGY_HORIZON_LABELS,
  type BoundarySide,
} from '../../machines/entities.ts';
import { FREQUENCY_LABELS } from '../../machines/measures/periods.ts';

export const BOUNDARY_SIDE_LABELS: Record<BoundarySide, string> = {
  inside: 'Inside the effort',
  outside: 'Outside the effort',
};

/** The panel names fields with the schema's words, so an import problem names them the same way. */
export { fieldWord as fieldLabel } from '../schema/index.ts';

const ENUM_LABELS: Record<string, Record<string, string>> = {
  sector: SECTOR_LABELS,
  role: STAKEHOLDER_ROLE_LABELS,
  relation: RELATION_LABELS,
  dimension: BOUNDARY_DIMENSION_LABELS,
  side: BOUNDARY_SIDE_LABELS,
  horizon: STRATEGY_HORIZON_LABELS,
  direction: INDICATOR_DIRECTION_LABELS,
  groupKind: GROUP_KIND_LABELS,
  structure: BACKBONE_STRUCTURE_LABELS,
  colour: NOTE_COLOUR_LABELS,
  frequency: FREQUENCY_LABELS,
};

export function enumLabel(field: string, value: string): string {
  return ENUM_LABELS[field]?.[value] ?? value;
}

export const SCORE_LABELS: Record<number, string> = {
  1: '1 – very low',
  2: '2 – low',
  3: '3 – medium',
  4: '4 – high',
  5: '5 – very high',
};

/** The words that name an entity: the schema's rule, shared with the server (the workshop record). */
export { entityTitle } from '../schema/cards.ts';
