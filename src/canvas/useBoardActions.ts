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
import { freeSpot, type Box, type Size } from './freeSpace.ts';
import { elkLayout } from './layout.ts';
import { isRegion } from './Region.tsx';
import { FIT_MIN_ZOOM } from './zoom.ts';
import type { BoardDefinition, BoardEdge, BoardElements, BoardNode, Creator, NamedLayout, Positions } from './types.ts';

/** A card's size until it is measured (the widest cards are 250 px; most are 200–220 by 80–160). */
const DEFAULT_CARD = { width: 220, height: 120 };
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
  /** The centre of the view, in flow coordinates. */
  const viewCentre = useCallback((): Position => {
    const rect = paneRef.current?.getBoundingClientRect();
    if (!rect) return { x: 0, y: 0 };
    return flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
  }, [flow, paneRef]);

  /**
   * Adds a card of `creator`'s kind in the free spot nearest `centre` (flow
   * coordinates; default the view's centre), so it hides no other. A creator
   * that asks first (`prompt`) places its card when its form is sent.
   */
  const create = useCallback(
    (creator: Creator, centre?: Position) => {
      const wanted = centre ?? viewCentre();
      const place = (fields: Record<string, unknown> = {}) => {
        stopCapturing();
        const { model, nodes } = state.current;
        const cards = nodes.filter((n) => !isRegion(n));
        const selected = cards.filter((n) => n.selected).map((n) => n.id);
        const at = freeSpot(wanted, sizeOfKind(cards, creator.kind), cards.map(boxOf));
        const id = creator.create(doc, at, model, selected, fields);
        focusNext.current = id;
        selectOnly([id]);
      };
      if (creator.prompt) creator.prompt(place);
      else place();
    },
    [doc, state, viewCentre, selectOnly, stopCapturing],
  );

  /** Adds a card at a point of the screen (a double-click), or in the free spot nearest it. */
  const createAtScreen = useCallback(
    (creator: Creator, screen: Position) => create(creator, flow.screenToFlowPosition(screen)),
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
        if (definition.onDrop) definition.onDrop(doc, state.current.model, node.id, node.position, boxOf(node));
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

/** A card's box on the board: its measured size once rendered. */
function boxOf(node: BoardNode): Box {
  return {
    x: node.position.x,
    y: node.position.y,
    width: node.measured?.width ?? node.width ?? DEFAULT_CARD.width,
    height: node.measured?.height ?? node.height ?? DEFAULT_CARD.height,
  };
}

/** The size a new card of `kind` will take: the largest of that kind on the board, else the default. */
function sizeOfKind(cards: readonly BoardNode[], kind: string): Size {
  const same = cards.filter((n) => n.data.kind === kind && n.measured?.width && n.measured.height);
  if (same.length === 0) return DEFAULT_CARD;
  return {
    width: Math.max(...same.map((n) => n.measured!.width!)),
    height: Math.max(...same.map((n) => n.measured!.height!)),
  };
}
