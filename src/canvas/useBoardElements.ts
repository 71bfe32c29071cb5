import { useCallback, useMemo, useState } from 'react';
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { selectionColors, type PeerState } from './kit.ts';
import type { Board } from '../../machines/entities.ts';
import type { BoardEdge, BoardElements, BoardNode } from './types.ts';

const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/**
 * Folds freshly computed nodes into the current ones: keeps a node's identity
 * when nothing changed, its selection and measurements always, and its local
 * position while it is being dragged (the drag's end writes the position).
 * Nodes named in `select` arrive selected, and the rest are deselected then.
 */
export function mergeNodes(previous: BoardNode[], next: BoardNode[], select: ReadonlySet<string>): BoardNode[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  const arriving = next.some((node) => select.has(node.id) && !byId.has(node.id));
  return next.map((node) => {
    const old = byId.get(node.id);
    const selected = select.has(node.id) ? true : arriving ? false : (old?.selected ?? false);
    if (!old) return { ...node, selected };
    const samePosition = old.dragging || (old.position.x === node.position.x && old.position.y === node.position.y);
    const sameRest =
      old.type === node.type &&
      old.className === node.className &&
      old.draggable === node.draggable &&
      old.deletable === node.deletable &&
      old.ariaLabel === node.ariaLabel &&
      old.width === node.width &&
      old.height === node.height &&
      same(old.data, node.data);
    if (samePosition && sameRest && old.selected === selected) return old;
    return {
      ...old,
      ...node,
      position: samePosition ? old.position : node.position,
      data: same(old.data, node.data) ? old.data : node.data,
      selected,
      measured: old.measured,
      dragging: old.dragging,
    };
  });
}

export function mergeEdges(previous: BoardEdge[], next: BoardEdge[], select: ReadonlySet<string> = new Set()): BoardEdge[] {
  const byId = new Map(previous.map((edge) => [edge.id, edge]));
  return next.map((edge) => {
    const old = byId.get(edge.id);
    if (!old) return select.has(edge.id) ? { ...edge, selected: true } : edge;
    if (old.source === edge.source && old.target === edge.target && old.label === edge.label && old.ariaLabel === edge.ariaLabel && same(old.data, edge.data)) {
      return old;
    }
    return { ...edge, selected: old.selected };
  });
}

/**
 * React Flow's nodes and edges for one board, held locally (selection,
 * in-progress drags) and refreshed from every new reading of the document.
 * Cards that someone else is dragging are shown where they are dragging them.
 */
export function useBoardElements(elements: BoardElements, peers: PeerState[], board: Board) {
  const [seen, setSeen] = useState<BoardElements | null>(null);
  const [nodes, setNodes] = useState<BoardNode[]>([]);
  const [edges, setEdges] = useState<BoardEdge[]>([]);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());

  if (seen !== elements) {
    setSeen(elements);
    setNodes((current) => mergeNodes(current, elements.nodes, pending));
    setEdges((current) => mergeEdges(current, elements.edges, pending));
    if (pending.size > 0 && [...elements.nodes, ...elements.edges].some((e) => pending.has(e.id))) setPending(new Set());
  }

  const onNodesChange = useCallback(
    (changes: NodeChange<BoardNode>[]) => setNodes((current) => applyNodeChanges(changes, current)),
    [],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<BoardEdge>[]) => setEdges((current) => applyEdgeChanges(changes, current)),
    [],
  );

  /** Selects exactly `ids`, cards or links (now, or as soon as they arrive). */
  const selectOnly = useCallback((ids: readonly string[]) => {
    const wanted = new Set(ids);
    setPending(wanted);
    setNodes((current) =>
      current.map((node) => (node.selected === wanted.has(node.id) ? node : { ...node, selected: wanted.has(node.id) })),
    );
    setEdges((current) =>
      current.map((edge) => (edge.selected === wanted.has(edge.id) ? edge : { ...edge, selected: wanted.has(edge.id) })),
    );
  }, []);

  const moving = useMemo(() => {
    const positions = new Map<string, { x: number; y: number }>();
    for (const peer of peers) for (const d of peer.dragging ?? []) positions.set(d.id, { x: d.x, y: d.y });
    return positions;
  }, [peers]);

  const marks = useMemo(() => selectionColors(peers, board), [peers, board]);

  // Cards others drag move live; cards others have selected carry their colour and name.
  const shown = useMemo(() => {
    if (moving.size === 0 && marks.size === 0) return nodes;
    return nodes.map((node) => {
      const at = moving.get(node.id);
      const mark = marks.get(node.id);
      if (!mark && !(at && !node.dragging)) return node;
      return {
        ...node,
        position: at && !node.dragging ? at : node.position,
        data: mark ? { ...node.data, peer: mark } : node.data,
        ariaLabel: mark ? `${node.ariaLabel ?? ''} (selected by ${mark.name})` : node.ariaLabel,
      };
    });
  }, [nodes, moving, marks]);

  return { nodes: shown, edges, onNodesChange, onEdgesChange, selectOnly };
}
