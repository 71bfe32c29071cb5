import { ENTITY_KIND_LABELS, type Entity, type InitiativeModel, type Position } from '../../machines/entities.ts';
import { entityTitle } from '../canvas/labels.ts';
import type { BoardEdge, BoardNode, CardData } from '../canvas/types.ts';

/** A card node for an entity, at its placement or at `fallback`. */
export function cardNode(
  entity: Entity,
  type: string,
  position: Position,
  data: Record<string, unknown>,
  extra: Partial<BoardNode> = {},
): BoardNode {
  return {
    id: entity.id,
    type,
    position,
    data: { ...data, entityId: entity.id, kind: entity.kind } as CardData,
    ariaLabel: `${ENTITY_KIND_LABELS[entity.kind]}: ${entityTitle(entity)}`,
    ...extra,
  };
}

/** An edge for a reference held by `from` in `field` (removing the edge removes the reference). */
export function refEdge(from: string, field: string, to: string, single = false, label?: string, reverse = false): BoardEdge {
  return {
    id: `ref:${from}:${field}:${to}`,
    // Drawn from the referenced card when `reverse` (a parent above its parts, a strategy before its activities).
    source: reverse ? to : from,
    target: reverse ? from : to,
    label,
    data: { ref: { id: from, field, target: to, single } },
    className: `edge--${field}`,
  };
}

/** Names of the entities `ids` (stakeholders, strategies…), in order. */
export function namesOf(model: InitiativeModel, ids: readonly string[]): string[] {
  const byId = new Map<string, Entity>();
  for (const kind of ['stakeholder', 'strategy', 'indicator', 'group'] as const) {
    for (const e of model.entities[kind]) byId.set(e.id, e);
  }
  return ids.map((id) => byId.get(id)).filter((e): e is Entity => !!e).map((e) => entityTitle(e));
}

/** The placement on `board`, or the fallback. */
export function placed(model: InitiativeModel, board: keyof InitiativeModel['placements'], id: string, fallback: Position): Position {
  return model.placements[board][id] ?? fallback;
}
