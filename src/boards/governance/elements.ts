import { BACKBONE_FUNCTIONS, type InitiativeModel, type Position } from '../../../machines/entities.ts';
import type { BoardEdge, BoardElements, BoardNode, Positions } from '../../canvas/types.ts';
import { cardNode, namesOf, refEdge } from '../common.ts';

const COL = 260;
const ROW = 190;

/** Where unplaced cards go: groups in rows by depth (steering committees on top), backbones to the right, strategies below. */
export function defaultPositions(model: InitiativeModel): Positions {
  const groups = new Map(model.entities.group.map((g) => [g.id, g]));
  const depth = (id: string): number => {
    let d = 0;
    for (let at = groups.get(id)?.parentId ?? null; at && d < 10; at = groups.get(at)?.parentId ?? null) d++;
    return d;
  };
  const rows = new Map<number, number>();
  const p: Positions = {};
  let maxDepth = 0;
  for (const g of model.entities.group) {
    const d = depth(g.id);
    maxDepth = Math.max(maxDepth, d);
    const i = rows.get(d) ?? 0;
    rows.set(d, i + 1);
    p[g.id] = { x: i * COL, y: d * ROW };
  }
  const widest = Math.max(1, ...rows.values());
  model.entities.backbone.forEach((b, i) => (p[b.id] = { x: (widest + 0.3) * COL, y: i * 330 }));
  const strategyRow = (maxDepth + 1) * ROW + 40;
  model.entities.strategy.forEach((s, i) => (p[s.id] = { x: i * COL, y: strategyRow }));
  return p;
}

/** Groups, backbones and strategies, with their links: part of, works on, backbone of. */
export function governanceElements(model: InitiativeModel): BoardElements {
  const fallback = defaultPositions(model);
  const at = (id: string): Position => model.placements.governance[id] ?? fallback[id] ?? { x: 0, y: 0 };
  const names = (ids: string[]) => namesOf(model, ids);
  const nodes: BoardNode[] = [];
  for (const g of model.entities.group) {
    nodes.push(
      cardNode(g, 'team', at(g.id), {
        name: g.name,
        groupKind: g.groupKind,
        parent: g.parentId ? (names([g.parentId])[0] ?? null) : null,
        leads: names(g.leadIds),
        members: names(g.memberIds.filter((id) => !g.leadIds.includes(id))),
        // The shared measures it works to move: its card counts how many trend the right way.
        indicatorIds: g.indicatorIds,
        // The real sub-initiative it stands for: its card shows that initiative's phase and share (../links.tsx).
        initiativeId: g.initiativeId,
      }),
    );
  }
  for (const b of model.entities.backbone) {
    nodes.push(
      cardNode(b, 'backbone', at(b.id), {
        name: b.name,
        structure: b.structure,
        scope: b.scopeId ? (names([b.scopeId])[0] ?? null) : null,
        functions: Object.fromEntries(BACKBONE_FUNCTIONS.map((fn) => [fn, names(b.functions[fn])])),
      }),
    );
  }
  for (const s of model.entities.strategy) {
    nodes.push(cardNode(s, 'strategy', at(s.id), { name: s.name, horizon: s.horizon, indicatorIds: s.indicatorIds, servesId: s.servesId }, { deletable: false }));
  }
  const edges: BoardEdge[] = [];
  for (const g of model.entities.group) {
    if (g.parentId) edges.push(refEdge(g.id, 'parentId', g.parentId, true, 'part of', true));
    for (const s of g.strategyIds) edges.push(refEdge(g.id, 'strategyIds', s, false, 'works on'));
  }
  for (const b of model.entities.backbone) if (b.scopeId) edges.push(refEdge(b.id, 'scopeId', b.scopeId, true, 'backbone of'));
  return { nodes, edges };
}
