import { useCallback, useRef, useState, type RefObject } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { InitiativeModel, Position } from '../../machines/entities.ts';
import {
  deleteEntities,
  placeEntity,
  toggleRef,
  updateEntity,
  type InitiativeDoc,
} from '../schema/index.ts';
import { copyEntities, pasteEntities } from './clipboard.ts';
import type { UndoControls } from './kit.ts';
import { elkLayout } from './layout.ts';
import { isRegion } from './Region.tsx';
import type { BoardDefinition, BoardEdge, BoardElements, BoardNode, Creator, Positions } from './types.ts';

const CARD_OFFSET = { x: 100, y: 40 };
const RING = [[1, 0], [0, 1], [1, 1], [-1, 0], [0, -1], [-1, 1], [1, -1], [-1, -1]];
/** Fitted boards leave room at the bottom right for the minimap, so it never hides a card. */
export const FIT_VIEW_OPTIONS = {
  padding: { top: '24px', left: '56px', right: '24px', bottom: '110px' },
  maxZoom: 1,
} as const;

interface Inputs {
  doc: InitiativeDoc;
  model: InitiativeModel;
  definition: BoardDefinition;
  nodes: BoardNode[];
  edges: BoardEdge[];
  undo: UndoControls;
  paneRef: RefObject<HTMLDivElement | null>;
  selectOnly: (ids: readonly string[]) => void;
}

/** What the board's tools, keys and gestures do to the document. */
export function useBoardActions({ doc, model, definition, nodes, edges, undo, paneRef, selectOnly }: Inputs) {
  const flow = useReactFlow<BoardNode, BoardEdge>();
  const [tidying, setTidying] = useState(false);
  /** The card whose first field takes focus once its panel opens. */
  const focusNext = useRef<string | null>(null);
  /** The free spot nearest the centre of the view, so a new card never hides another. */
  const centre = useCallback((): Position => {
    const rect = paneRef.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    const at = flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    const origin = { x: at.x - CARD_OFFSET.x, y: at.y - CARD_OFFSET.y };
    const cards = nodes.filter((n) => !isRegion(n)).map((n) => n.position);
    const free = (p: Position) => cards.every((c) => Math.abs(c.x - p.x) > 215 || Math.abs(c.y - p.y) > 105);
    for (let ring = 0; ring <= 4; ring++) {
      for (const [i, j] of ring === 0 ? [[0, 0]] : RING) {
        const candidate = { x: origin.x + i * 230 * ring, y: origin.y + j * 120 * ring };
        if (free(candidate)) return candidate;
      }
    }
    return origin;
  }, [flow, paneRef, nodes]);

  const create = useCallback(
    (creator: Creator, at?: Position) => {
      undo.stopCapturing();
      const selected = nodes.filter((n) => n.selected && !isRegion(n)).map((n) => n.id);
      const id = creator.create(doc, at ?? centre(), model, selected);
      focusNext.current = id;
      selectOnly([id]);
    },
    [doc, model, nodes, centre, selectOnly, undo],
  );

  const createAtScreen = useCallback(
    (creator: Creator, screen: Position) => {
      const at = flow.screenToFlowPosition(screen);
      create(creator, { x: at.x - CARD_OFFSET.x, y: at.y - CARD_OFFSET.y });
    },
    [create, flow],
  );

  const remove = useCallback(
    (nodeIds: readonly string[], removedEdges: readonly BoardEdge[]) => {
      undo.stopCapturing();
      const ids = new Set(nodeIds);
      for (const edge of removedEdges) {
        const data = edge.data;
        if (data?.entityId) ids.add(data.entityId);
        else if (data?.ref && !ids.has(data.ref.id)) {
          if (data.ref.single) updateEntity(doc, data.ref.id, { [data.ref.field]: null });
          else toggleRef(doc, data.ref.id, data.ref.field, data.ref.target, false);
        }
      }
      deleteEntities(doc, [...ids]);
    },
    [doc, undo],
  );

  const onDelete = useCallback(
    ({ nodes: gone, edges: goneEdges }: { nodes: BoardNode[]; edges: BoardEdge[] }) =>
      remove(
        gone.filter((n) => !isRegion(n)).map((n) => n.data.entityId),
        goneEdges,
      ),
    [remove],
  );

  const drop = useCallback(
    (dragged: BoardNode[]) => {
      undo.stopCapturing();
      for (const node of dragged) {
        if (isRegion(node)) continue;
        if (definition.onDrop) definition.onDrop(doc, model, node.id, node.position);
        else placeEntity(doc, definition.board, node.id, node.position);
      }
      undo.stopCapturing();
    },
    [doc, model, definition, undo],
  );

  const copy = useCallback(() => {
    const ids = nodes.filter((n) => n.selected && !isRegion(n)).map((n) => n.id);
    return ids.length > 0 && copyEntities(model, definition.board, ids) > 0;
  }, [nodes, model, definition.board]);

  const paste = useCallback(() => {
    undo.stopCapturing();
    const ids = pasteEntities(doc, definition.board);
    if (ids.length > 0) selectOnly(ids);
    undo.stopCapturing();
    return ids.length > 0;
  }, [doc, definition.board, selectOnly, undo]);

  const fit = useCallback(() => void flow.fitView(FIT_VIEW_OPTIONS), [flow]);

  /** Writes a whole layout as one undo step, then fits it in view. */
  const applyPositions = useCallback(
    (positions: Positions) => {
      undo.stopCapturing();
      for (const [id, position] of Object.entries(positions)) placeEntity(doc, definition.board, id, position);
      undo.stopCapturing();
      requestAnimationFrame(() => void flow.fitView(FIT_VIEW_OPTIONS));
    },
    [doc, definition.board, undo, flow],
  );

  const tidy = useCallback(async () => {
    setTidying(true);
    try {
      const cards: BoardElements = { nodes: nodes.filter((n) => !isRegion(n)), edges };
      applyPositions(await (definition.layout ?? elkLayout)(model, cards));
    } finally {
      setTidying(false);
    }
  }, [nodes, edges, definition, model, applyPositions]);

  /** Selects one card or link; with `focus`, its panel's first field takes focus. */
  const select = useCallback(
    (id: string, focus = false) => {
      if (focus) focusNext.current = id;
      selectOnly([id]);
    },
    [selectOnly],
  );

  /** True (once) when `id` is the card just added, whose first field should take focus. */
  const takeFocus = useCallback((id: string) => {
    if (focusNext.current !== id) return false;
    focusNext.current = null;
    return true;
  }, []);

  return { create, createAtScreen, select, remove, onDelete, drop, copy, paste, fit, tidy, tidying, applyPositions, takeFocus };
}
