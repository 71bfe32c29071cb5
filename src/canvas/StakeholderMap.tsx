import '@xyflow/react/dist/style.css';
import { useCallback, useMemo, useRef } from 'react';
import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  type Connection,
  type NodeTypes,
  type OnNodeDrag,
} from '@xyflow/react';
import {
  addLink,
  addStakeholder,
  moveStakeholder,
  removeLinks,
  removeStakeholders,
  updateStakeholder,
} from '../schema/index.ts';
import type { InitiativeDoc, StakeholderPatch } from '../schema/index.ts';
import { useInitiative } from '../sync/useInitiative.ts';
import { AddStakeholderForm, type StakeholderDraft } from './AddStakeholderForm.tsx';
import { StakeholderNode } from './StakeholderNode.tsx';
import { StakeholderPanel } from './StakeholderPanel.tsx';
import { SECTOR_COLORS, type LinkFlowEdge, type StakeholderFlowNode } from './types.ts';
import { useFlowElements } from './useFlowElements.ts';

const nodeTypes: NodeTypes = { stakeholder: StakeholderNode };
const DELETE_KEYS = ['Delete', 'Backspace'];
const FIT_VIEW_OPTIONS = { maxZoom: 1, padding: 0.3 };
const MINIMAP_SIZE = { width: 168, height: 112 };
const CARD_WIDTH = 200;
const CARD_HEIGHT = 72;

interface Props {
  doc: InitiativeDoc;
  /** Editors (lead, facilitator, participant) change the map; observers only watch. */
  editable: boolean;
}

/** The stakeholder map: who is in the room, and how they are connected. */
export function StakeholderMap(props: Props) {
  return (
    <ReactFlowProvider>
      <StakeholderCanvas {...props} />
    </ReactFlowProvider>
  );
}

function StakeholderCanvas({ doc, editable }: Props) {
  const snapshot = useInitiative(doc);
  const { nodes, edges, onNodesChange, onEdgesChange, clearSelection } = useFlowElements(snapshot);
  const { screenToFlowPosition } = useReactFlow();
  const paneRef = useRef<HTMLDivElement>(null);

  const selectedIds = useMemo(() => nodes.filter((node) => node.selected).map((node) => node.id), [nodes]);
  const selected =
    selectedIds.length === 1 ? (snapshot.stakeholders.find((s) => s.id === selectedIds[0]) ?? null) : null;

  const add = useCallback(
    (draft: StakeholderDraft) => {
      const rect = paneRef.current?.getBoundingClientRect();
      const centre = rect
        ? screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
        : { x: 0, y: 0 };
      // Stagger new cards a little so several additions in a row do not stack exactly.
      const step = (snapshot.stakeholders.length % 6) * 24;
      addStakeholder(doc, { ...draft, x: centre.x - CARD_WIDTH / 2 + step, y: centre.y - CARD_HEIGHT / 2 + step });
    },
    [doc, screenToFlowPosition, snapshot.stakeholders.length],
  );

  const onNodeDragStop: OnNodeDrag<StakeholderFlowNode> = useCallback(
    (_event, _node, dragged) => {
      for (const node of dragged) moveStakeholder(doc, node.id, node.position);
    },
    [doc],
  );
  const onConnect = useCallback(
    (connection: Connection) => {
      addLink(doc, connection.source, connection.target);
    },
    [doc],
  );
  const onNodesDelete = useCallback(
    (deleted: StakeholderFlowNode[]) =>
      removeStakeholders(
        doc,
        deleted.map((node) => node.id),
      ),
    [doc],
  );
  const onEdgesDelete = useCallback(
    (deleted: LinkFlowEdge[]) =>
      removeLinks(
        doc,
        deleted.map((edge) => edge.id),
      ),
    [doc],
  );

  const change = useCallback(
    (patch: StakeholderPatch) => {
      if (selected) updateStakeholder(doc, selected.id, patch);
    },
    [doc, selected],
  );
  const remove = useCallback(() => {
    if (selected) removeStakeholders(doc, [selected.id]);
  }, [doc, selected]);

  return (
    <div className={`stakeholder-map${editable ? '' : ' is-readonly'}`}>
      {editable ? (
        <AddStakeholderForm onAdd={add} />
      ) : (
        <p className="observer-note" role="note">
          You are observing: you can see changes live but not edit.
        </p>
      )}
      <div className="stakeholder-map__body">
        <div className="stakeholder-map__pane" ref={paneRef} role="region" aria-label="Stakeholder map">
          <ReactFlow<StakeholderFlowNode, LinkFlowEdge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onNodeDragStop={editable ? onNodeDragStop : undefined}
            onConnect={editable ? onConnect : undefined}
            onNodesDelete={editable ? onNodesDelete : undefined}
            onEdgesDelete={editable ? onEdgesDelete : undefined}
            nodesDraggable={editable}
            nodesConnectable={editable}
            edgesReconnectable={false}
            deleteKeyCode={editable ? DELETE_KEYS : null}
            connectionMode={ConnectionMode.Loose}
            fitView
            fitViewOptions={FIT_VIEW_OPTIONS}
            minZoom={0.2}
            maxZoom={2}
            proOptions={{ hideAttribution: false }}
          >
            <Background gap={24} />
            <Controls showInteractive={false} />
            <MiniMap
              pannable
              zoomable
              ariaLabel="Overview of the stakeholder map"
              style={MINIMAP_SIZE}
              nodeColor={(node) => SECTOR_COLORS[(node as StakeholderFlowNode).data.sector] ?? '#64748b'}
            />
          </ReactFlow>
          {snapshot.stakeholders.length === 0 && (
            <div className="stakeholder-map__empty">
              <p>
                <strong>No stakeholders on the map yet.</strong>
              </p>
              <p>
                {editable
                  ? 'Get the system in the room: add the organisations and people who shape this issue, across sectors, including people affected by it.'
                  : 'Stakeholders appear here as the group maps them.'}
              </p>
            </div>
          )}
        </div>
        {selected && (
          <StakeholderPanel
            stakeholder={selected}
            editable={editable}
            onChange={change}
            onDelete={remove}
            onClose={clearSelection}
          />
        )}
      </div>
      {editable && (
        <p className="stakeholder-map__hint">
          Drag a card to move it. Drag from one card’s dot to another’s to link them. Select a card to rename it; press
          Delete to remove what is selected.
        </p>
      )}
    </div>
  );
}
