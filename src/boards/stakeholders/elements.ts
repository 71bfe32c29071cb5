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

/** One card's room in a grid cell: a stakeholder card is 200 px wide and at most about 150 px tall. */
const SLOT = { width: 220, height: 170 };
const PAD = 16;
/** Room at the top of each quadrant for its name and note, which no card covers. */
const LABEL_BAND = 64;
/** High is 4 or 5: the quadrant lines fall between 3 and 4. */
const HIGH = 4;

export interface PowerInterestGrid {
  positions: Positions;
  /** Where the quadrant lines fall and where the grid ends. */
  split: { x: number; y: number };
  size: { width: number; height: number };
}

/**
 * The power–interest grid (interest across, influence up), sized to its
 * cards: stakeholders who share a score are packed side by side in their cell,
 * and a cell's column and row grow to hold them, so every name stays readable.
 * Each quadrant keeps a band at its top for its name. Existing efforts go in a
 * row below.
 */
export function powerInterestGrid(model: InitiativeModel): PowerInterestGrid {
  const cells = new Map<string, StakeholderEntity[]>();
  const key = (interest: number, influence: number) => `${interest}:${influence}`;
  for (const s of model.entities.stakeholder) cells.set(key(s.interest, s.influence), [...(cells.get(key(s.interest, s.influence)) ?? []), s]);
  const count = (interest: number, influence: number) => cells.get(key(interest, influence))?.length ?? 0;
  const scores = [1, 2, 3, 4, 5];
  // Cards across in each interest column, then rows in each influence row.
  const across = scores.map((i) => Math.max(1, ...scores.map((f) => Math.ceil(Math.sqrt(count(i, f))))));
  const down = scores.map((f) => Math.max(1, ...scores.map((i) => Math.ceil(count(i, f) / across[i - 1]))));

  const columnX: number[] = [];
  let x = PAD;
  for (const i of scores) {
    if (i === HIGH) x += 2 * PAD;
    columnX[i] = x;
    x += across[i - 1] * SLOT.width;
  }
  const width = x + PAD;
  const splitX = columnX[HIGH] - PAD;
  const rowY: number[] = [];
  let y = LABEL_BAND;
  for (const f of [5, 4, 3, 2, 1]) {
    if (f === HIGH - 1) y += PAD + LABEL_BAND;
    rowY[f] = y;
    y += down[f - 1] * SLOT.height;
  }
  const height = y + PAD;
  const splitY = rowY[HIGH - 1] - LABEL_BAND;

  const positions: Positions = {};
  for (const members of cells.values()) {
    members.forEach((s, k) => {
      const n = across[s.interest - 1];
      positions[s.id] = { x: columnX[s.interest] + (k % n) * SLOT.width, y: rowY[s.influence] + Math.floor(k / n) * SLOT.height };
    });
  }
  model.entities.effort.forEach((e, i) => (positions[e.id] = { x: i * SLOT.width + PAD, y: height + 40 }));
  return { positions, split: { x: splitX, y: splitY }, size: { width, height } };
}

/** Where "Place on power–interest grid" puts each card. */
export function powerInterestPositions(model: InitiativeModel): Positions {
  return powerInterestGrid(model).positions;
}

/** The four quadrants behind the grid, drawn from the same layout as the cards. */
function quadrants(model: InitiativeModel): BoardNode[] {
  const { split, size } = powerInterestGrid(model);
  const right = size.width - split.x;
  const bottom = size.height - split.y;
  return [
    regionNode('keep-satisfied', 'Keep satisfied', { x: 0, y: 0, width: split.x, height: split.y }, 'amber', 'High influence, lower interest'),
    regionNode('manage-closely', 'Manage closely', { x: split.x, y: 0, width: right, height: split.y }, 'red', 'High influence, high interest'),
    regionNode('monitor', 'Monitor', { x: 0, y: split.y, width: split.x, height: bottom }, 'neutral', 'Lower influence, lower interest'),
    regionNode('keep-informed', 'Keep informed', { x: split.x, y: split.y, width: right, height: bottom }, 'blue', 'Lower influence, high interest'),
  ];
}

function fallback(index: number) {
  return { x: (index % 5) * 240, y: Math.floor(index / 5) * 150 };
}

export function stakeholderElements(model: InitiativeModel, filters: StakeholderFilters): BoardElements {
  const shown = model.entities.stakeholder.filter(
    (s) => (filters.sector === 'all' || s.sector === filters.sector) && (filters.role === 'all' || s.role === filters.role),
  );
  const nodes: BoardNode[] = filters.grid ? quadrants(model) : [];
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
