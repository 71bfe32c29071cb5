import { MarkerType } from '@xyflow/react';
import type { Sector, StakeholderRole } from '../../../machines/domain.ts';
import { RELATION_LABELS, type InitiativeModel, type StakeholderEntity } from '../../../machines/entities.ts';
import { regionNode } from '../../canvas/Region.tsx';
import type { BoardEdge, BoardElements, BoardNode, Positions } from '../../canvas/types.ts';
import { cardNode, placed } from '../common.ts';

export interface StakeholderFilters {
  sector: Sector | 'all';
  role: StakeholderRole | 'all';
  /** Shows the power–interest quadrants behind the cards. */
  grid: boolean;
}

const COL = 240;
const ROW = 140;

/** Where the power–interest grid puts each stakeholder (interest across, influence up), with existing efforts in a row below. */
export function powerInterestPositions(model: InitiativeModel): Positions {
  const stakeholders: readonly StakeholderEntity[] = model.entities.stakeholder;
  const cells = new Map<string, number>();
  const positions: Positions = {};
  for (const s of stakeholders) {
    const key = `${s.interest}:${s.influence}`;
    const k = cells.get(key) ?? 0;
    cells.set(key, k + 1);
    positions[s.id] = { x: (s.interest - 1) * COL + 10 + (k % 4) * 14, y: (5 - s.influence) * ROW + 30 + (k % 4) * 34 };
  }
  model.entities.effort.forEach((e, i) => (positions[e.id] = { x: i * COL + 10, y: 5 * ROW + 40 }));
  return positions;
}

/** High is 4 or 5: the quadrant lines fall between 3 and 4. */
function quadrants(): BoardNode[] {
  const left = 3 * COL;
  const right = 2 * COL;
  const top = 2 * ROW;
  const bottom = 3 * ROW;
  return [
    regionNode('keep-satisfied', 'Keep satisfied', { x: 0, y: 0, width: left, height: top }, 'amber', 'High influence, lower interest'),
    regionNode('manage-closely', 'Manage closely', { x: left, y: 0, width: right, height: top }, 'red', 'High influence, high interest'),
    regionNode('monitor', 'Monitor', { x: 0, y: top, width: left, height: bottom }, 'neutral', 'Lower influence, lower interest'),
    regionNode('keep-informed', 'Keep informed', { x: left, y: top, width: right, height: bottom }, 'blue', 'Lower influence, high interest'),
  ];
}

function fallback(index: number) {
  return { x: (index % 5) * 240, y: Math.floor(index / 5) * 150 };
}

export function stakeholderElements(model: InitiativeModel, filters: StakeholderFilters): BoardElements {
  const shown = model.entities.stakeholder.filter(
    (s) => (filters.sector === 'all' || s.sector === filters.sector) && (filters.role === 'all' || s.role === filters.role),
  );
  const nodes: BoardNode[] = filters.grid ? quadrants() : [];
  shown.forEach((s, i) =>
    nodes.push(
      cardNode(s, 'stakeholder', placed(model, 'stakeholders', s.id, fallback(i)), {
        name: s.name,
        organisation: s.organisation,
        sector: s.sector,
        role: s.role,
        influence: s.influence,
        interest: s.interest,
      }),
    ),
  );
  const offset = shown.length;
  model.entities.effort.forEach((e, i) =>
    nodes.push(
      cardNode(e, 'effort', placed(model, 'stakeholders', e.id, fallback(offset + i)), {
        name: e.name,
        description: e.description,
        stakeholders: e.stakeholderIds.length,
      }),
    ),
  );
  const visible = new Set(nodes.map((n) => n.id));
  const names = new Map<string, string>([...model.entities.stakeholder, ...model.entities.effort].map((e) => [e.id, e.name || '(unnamed)']));
  const edges: BoardEdge[] = model.entities.relationship
    .filter((r) => visible.has(r.source) && visible.has(r.target))
    .map((r) => ({
      id: r.id,
      source: r.source,
      target: r.target,
      label: RELATION_LABELS[r.relation],
      // Read out by its parties: "Meadow County Community Foundation funds Meadow County Prevention Council".
      ariaLabel: `${names.get(r.source)} ${RELATION_LABELS[r.relation]} ${names.get(r.target)}`,
      data: { entityId: r.id },
      className: `edge--${r.relation}`,
      // "Partners with" goes both ways; funds, member of and reports to have a direction.
      markerEnd: r.relation === 'partners' ? undefined : { type: MarkerType.ArrowClosed, width: 16, height: 16 },
    }));
  return { nodes, edges };
}
