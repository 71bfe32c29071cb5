/**
 * Copy and paste of cards on one board: the copied entities keep their fields
 * and are pasted with new ids, a little offset, on the same board. References
 * between copied entities (an activity's strategy, a relationship's ends)
 * point to the copies.
 */
import { FIELDS, createEntity, findEntity, isSingleton, type InitiativeDoc } from '../schema/index.ts';
import type { Board, Entity, InitiativeModel, Position } from '../../machines/entities.ts';

interface Copied {
  entity: Entity;
  position: Position | null;
}

interface Clipboard {
  board: Board;
  items: Copied[];
  pastes: number;
}

let clipboard: Clipboard | null = null;

const PASTE_OFFSET = 40;

/** Remembers the entities `ids` (and the relationships among them). Answers how many were copied. */
export function copyEntities(model: InitiativeModel, board: Board, ids: readonly string[]): number {
  const chosen = new Set(ids.filter((id) => !isSingleton(id)));
  const items: Copied[] = [];
  for (const id of chosen) {
    const entity = findEntity(model, id);
    if (entity) items.push({ entity, position: model.placements[board][id] ?? null });
  }
  for (const r of model.entities.relationship) {
    if (chosen.has(r.source) && chosen.has(r.target)) items.push({ entity: r, position: null });
  }
  clipboard = items.length > 0 ? { board, items, pastes: 0 } : null;
  return items.length;
}

export function canPaste(board: Board): boolean {
  return clipboard !== null && clipboard.board === board;
}

function remap(value: unknown, ids: Map<string, string>): unknown {
  if (typeof value === 'string') return ids.get(value) ?? value;
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? (ids.get(v) ?? v) : v));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, remap(v, ids)]));
  }
  return value;
}

/** Pastes the copied entities on `board`. Answers the new ids. */
export function pasteEntities(doc: InitiativeDoc, board: Board): string[] {
  if (!clipboard || clipboard.board !== board) return [];
  clipboard.pastes += 1;
  const offset = PASTE_OFFSET * clipboard.pastes;
  const ids = new Map(clipboard.items.map(({ entity }) => [entity.id, crypto.randomUUID()]));
  const created: string[] = [];
  for (const { entity, position } of clipboard.items) {
    const values = entity as unknown as Record<string, unknown>;
    const fields: Record<string, unknown> = {};
    for (const [field, spec] of Object.entries(FIELDS[entity.kind])) {
      const value = values[field];
      fields[field] = spec.type === 'ref' || spec.type === 'refs' || spec.type === 'functions' ? remap(value, ids) : value;
    }
    const placements = position ? [{ board, position: { x: position.x + offset, y: position.y + offset } }] : [];
    try {
      created.push(createEntity(doc, entity.kind, fields, placements, ids.get(entity.id)));
    } catch {
      // A copy that no longer fits (an emptied name) is left out.
    }
  }
  return created;
}
