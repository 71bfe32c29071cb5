import type { Entity, EntityKind, InitiativeModel } from '../../../machines/entities.ts';
import type { BoardEdge, BoardElements, BoardNode } from '../../canvas/types.ts';
import { cardNode, namesOf, refEdge } from '../common.ts';
import { roadmap, roadmapBackdrop } from './roadmap.ts';

function dataOf(model: InitiativeModel, entity: Entity): Record<string, unknown> {
  const { kind: _kind, id: _id, ...fields } = entity as unknown as Record<string, unknown>;
  if (entity.kind === 'activity') return { name: entity.name, owners: namesOf(model, entity.ownerIds) };
  // Its indicators: the card counts how many trend the right way. (An indicator's values are on the server, never in the document.)
  if (entity.kind === 'strategy') return { name: entity.name, horizon: entity.horizon, indicatorIds: entity.indicatorIds, servesId: entity.servesId };
  return fields;
}

const KINDS: EntityKind[] = ['problem', 'source', 'baseline', 'goal', 'strategy', 'activity', 'principle', 'evaluation', 'indicator'];

/** The framework's cards at their placements (the roadmap's place for the unplaced), with activity→strategy and strategy→indicator links. */
export function frameworkElements(model: InitiativeModel): BoardElements {
  const plan = roadmap(model);
  const nodes: BoardNode[] = roadmapBackdrop(plan);
  for (const kind of KINDS) {
    for (const entity of model.entities[kind] as Entity[]) {
      const position = model.placements.framework[entity.id] ?? plan.positions[entity.id] ?? { x: 0, y: 0 };
      const singleton = kind === 'problem' || kind === 'goal' || kind === 'evaluation';
      nodes.push(cardNode(entity, kind, position, dataOf(model, entity), singleton ? { deletable: false } : {}));
    }
  }
  const edges: BoardEdge[] = [];
  for (const a of model.entities.activity) if (a.strategyId) edges.push(refEdge(a.id, 'strategyId', a.strategyId, true, undefined, true));
  for (const s of model.entities.strategy) for (const i of s.indicatorIds) edges.push(refEdge(s.id, 'indicatorIds', i));
  return { nodes, edges };
}
