import { useCallback, useState } from 'react';
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import {
  SECTOR_LABELS,
  STAKEHOLDER_ROLE_LABELS,
  type InitiativeSnapshot,
  type Stakeholder,
  type StakeholderLink,
} from '../../machines/domain.ts';
import type { LinkFlowEdge, StakeholderFlowNode } from './types.ts';

function ariaLabel(s: Stakeholder): string {
  return `${s.name}: ${SECTOR_LABELS[s.sector]}, ${STAKEHOLDER_ROLE_LABELS[s.role]}`;
}

/**
 * Folds a new snapshot into the current nodes: keeps each node's identity when
 * nothing changed, its selection and measurements always, and its local position
 * while it is being dragged (the drag's end writes the position to the document).
 */
export function mergeNodes(previous: StakeholderFlowNode[], snapshot: InitiativeSnapshot): StakeholderFlowNode[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  return snapshot.stakeholders.map((s) => {
    const old = byId.get(s.id);
    if (!old) {
      return {
        id: s.id,
        type: 'stakeholder',
        position: { x: s.x, y: s.y },
        data: { name: s.name, sector: s.sector, role: s.role },
        ariaLabel: ariaLabel(s),
      };
    }
    const samePosition = old.dragging || (old.position.x === s.x && old.position.y === s.y);
    const sameData = old.data.name === s.name && old.data.sector === s.sector && old.data.role === s.role;
    if (samePosition && sameData) return old;
    return {
      ...old,
      position: samePosition ? old.position : { x: s.x, y: s.y },
      data: sameData ? old.data : { name: s.name, sector: s.sector, role: s.role },
      ariaLabel: ariaLabel(s),
    };
  });
}

export function mergeEdges(previous: LinkFlowEdge[], links: StakeholderLink[]): LinkFlowEdge[] {
  const byId = new Map(previous.map((edge) => [edge.id, edge]));
  return links.map((link) => {
    const old = byId.get(link.id);
    if (old && old.source === link.source && old.target === link.target) return old;
    return { id: link.id, source: link.source, target: link.target, selected: old?.selected ?? false };
  });
}

/**
 * React Flow's nodes and edges, held locally (for selection and in-progress
 * drags) and refreshed from every new document snapshot.
 */
export function useFlowElements(snapshot: InitiativeSnapshot) {
  const [seen, setSeen] = useState<InitiativeSnapshot | null>(null);
  const [nodes, setNodes] = useState<StakeholderFlowNode[]>([]);
  const [edges, setEdges] = useState<LinkFlowEdge[]>([]);

  // Adjust local state while rendering when the snapshot changed (no effect, no extra paint).
  if (seen !== snapshot) {
    setSeen(snapshot);
    setNodes((current) => mergeNodes(current, snapshot));
    setEdges((current) => mergeEdges(current, snapshot.links));
  }

  const onNodesChange = useCallback(
    (changes: NodeChange<StakeholderFlowNode>[]) => setNodes((current) => applyNodeChanges(changes, current)),
    [],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<LinkFlowEdge>[]) => setEdges((current) => applyEdgeChanges(changes, current)),
    [],
  );

  const clearSelection = useCallback(() => {
    setNodes((current) => current.map((node) => (node.selected ? { ...node, selected: false } : node)));
    setEdges((current) => current.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)));
  }, []);

  return { nodes, edges, onNodesChange, onEdgesChange, clearSelection };
}
