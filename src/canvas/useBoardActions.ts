import { useCallback, useMemo, useRef, useState, type RefObject } from 'react';
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
import { FIT_MIN_ZOOM } from './zoom.ts';
import type { BoardDefinition, BoardEdge, BoardElements, BoardNode, Creator, NamedLayout, Positions } from './types.ts';

const CARD_OFFSET = { x: 100, y: 40 };
const RING = [[1, 0], [0, 1], [1, 1], [-1, 0], [0, -1], [-1, 1], [1, -1], [-1, -1]];
/** Fitted boards leave room at the bottom right for the minimap, so it never hides a card. */
export const FIT_VIEW_OPTIONS = {
  padding: { top: '24px', left: '56px', right: '24px', bottom: '110px' },
  maxZoom: 1,
  minZoom: FIT_MIN_ZOOM,
} as const;

/** What the actions read when they run, not when they are made. */
export interface BoardState {
  model: InitiativeModel;
  nodes: BoardNode[];
  edges: BoardEdge[];
}

interface Inputs {
  doc: InitiativeDoc;
  definition: BoardDefinition;
  /** The latest model, nodes and edges (see useLatest). */
  state: RefObject<BoardState>;
  undo: UndoControls;
  paneRef: RefObject<HTMLDivElement | null>;
  selectOnly: (ids: readonly string[]) => void;
}

/**
 * What the board's tools, keys and gestures do to the document. The actions
 * keep their identity while cards move or the document changes (they read the
 * latest state through `state`): they change only with the document, the
 * board, or whether a tidy is running.
 */
export function useBoardActions({ doc, definition, state, undo, paneRef, selectOnly }: Inputs) {
  const flow = useReactFlow<BoardNode, BoardEdge>();
  const { stopCapturing } = undo;
  const [tidying, setTidying] = useState(false);
  /** The card whose first field takes focus once its panel opens. */
  const focusNext = useRef<string | null>(null);
  /** The free spot nearest the centre of the view, so a new card never hides another. */
  const centre = useCallback((): Position => {
    const rect = paneRef.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    const at = flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
    const origin = { x: at.x - CARD_OFFSET.x, y: at.y - CARD_OFFSET.y };
    const cards = state.current.nodes.filter((n) => !isRegion(n)).map((n) => n.position);
    const free = (p: Position) => cards.every((c) => Math.abs(c.x - p.x) > 215 || Math.abs(c.y - p.y) > 105);
    for (let ring = 0; ring <= 4; ring++) {
      for (const [i, j] of ring === 0 ? [[0, 0]] : RING) {
        const candidate = { x: origin.x + i * 230 * ring, y: origin.y + j * 120 * ring };
        if (free(candidate)) return candidate;
      }
    }
    return origin;
  }, [flow, paneRef, state]);

  const create = useCallback(
    (creator: Creator, at?: Position) => {
      stopCapturing();
      const { model, nodes } = state.current;
      const selected = nodes.filter((n) => n.selected && !isRegion(n)).map((n) => n.id);
      const id = creator.create(doc, at ?? centre(), model, selected);
      focusNext.current = id;
      selectOnly([id]);
    },
    [doc, state, centre, selectOnly, stopCapturing],
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
      stopCapturing();
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
    [doc, stopCapturing],
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
      stopCapturing();
      for (const node of dragged) {
        if (isRegion(node)) continue;
        if (definition.onDrop) definition.onDrop(doc, state.current.model, node.id, node.position);
        else placeEntity(doc, definition.board, node.id, node.position);
      }
      stopCapturing();
    },
    [doc, state, definition, stopCapturing],
  );

  const copy = useCallback(() => {
    const { model, nodes } = state.current;
    const ids = nodes.filter((n) => n.selected && !isRegion(n)).map((n) => n.id);
    return ids.length > 0 && copyEntities(model, definition.board, ids) > 0;
  }, [state, definition.board]);

  const paste = useCallback(() => {
    stopCapturing();
    const ids = pasteEntities(doc, definition.board);
    if (ids.length > 0) selectOnly(ids);
    stopCapturing();
    return ids.length > 0;
  }, [doc, definition.board, selectOnly, stopCapturing]);

  const fit = useCallback(() => void flow.fitView(FIT_VIEW_OPTIONS), [flow]);

  /** Writes a whole layout as one undo step, then fits it in view. */
  const applyPositions = useCallback(
    (positions: Positions) => {
      stopCapturing();
      for (const [id, position] of Object.entries(positions)) placeEntity(doc, definition.board, id, position);
      stopCapturing();
      requestAnimationFrame(() => void flow.fitView(FIT_VIEW_OPTIONS));
    },
    [doc, definition.board, stopCapturing, flow],
  );

  /** Applies one of the board's named layouts (computed from the current model). */
  const applyLayout = useCallback(
    (layout: NamedLayout) => {
      applyPositions(layout.compute(state.current.model));
      layout.onApplied?.();
    },
    [applyPositions, state],
  );

  const tidy = useCallback(async () => {
    setTidying(true);
    try {
      const { model, nodes, edges } = state.current;
      const cards: BoardElements = { nodes: nodes.filter((n) => !isRegion(n)), edges };
      applyPositions(await (definition.layout ?? elkLayout)(model, cards));
    } finally {
      setTidying(false);
    }
  }, [state, definition, applyPositions]);

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

  return useMemo(
    () => ({ create, createAtScreen, select, remove, onDelete, drop, copy, paste, fit, tidy, tidying, applyPositions, applyLayout, takeFocus }),
    [create, createAtScreen, select, remove, onDelete, drop, copy, paste, fit, tidy, tidying, applyPositions, applyLayout, takeFocus],
  );
}
