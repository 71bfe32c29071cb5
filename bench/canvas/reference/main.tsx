/**
 * The reference of `npm run bench:canvas`: the benchmark's graph on a plain React
 * Flow page, with no Yjs, no sync and no presence. Nodes and edges live in
 * React state (useNodesState / useEdgesState); the cards look like the
 * stakeholder map's (same size and content), and the canvas has the same
 * settings and built-in chrome (background, controls, minimap, fitted view that
 * stops at the same legible zoom), and the same overview below DETAIL_ZOOM
 * (name and colour only, by one zoom selector and CSS, as src/canvas does).
 * `?w=&h=` sizes the canvas like the board it is compared with.
 */
import '@xyflow/react/dist/style.css';
import './reference.css';
import { memo, useEffect, type CSSProperties } from 'react';
import { createRoot } from 'react-dom/client';
import {
  Background,
  ConnectionMode,
  Controls,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  useEdgesState,
  useNodesState,
  useStore,
  type Edge,
  type Node,
  type NodeProps,
  type ReactFlowState,
} from '@xyflow/react';
import type { ReferenceGraph } from '../graph.ts';
// The same sector colours as the boards, so the two pages paint alike.
import { SECTOR_COLORS } from '../../../src/canvas/types.ts';
import { DETAIL_ZOOM, FIT_MIN_ZOOM } from '../../../src/canvas/zoom.ts';

type CardNode = Node<Record<string, string | number>>;

/** The same settings as src/canvas (FIT_VIEW_OPTIONS, zoom limits, minimap size). */
const FIT_VIEW_OPTIONS = {
  padding: { top: '24px', left: '56px', right: '24px', bottom: '110px' },
  maxZoom: 1,
  minZoom: FIT_MIN_ZOOM,
} as const;
const MINIMAP_SIZE = { width: 140, height: 90 };

const StakeholderCard = memo(function StakeholderCard({ data, selected, isConnectable }: NodeProps<CardNode>) {
  const style = { '--sector-color': (SECTOR_COLORS as Record<string, string>)[String(data.sector)] } as CSSProperties;
  return (
    <div className={`card card--stakeholder${selected ? ' is-selected' : ''}`} style={style}>
      <Handle type="target" position={Position.Top} isConnectable={isConnectable} className="card__handle" />
      <div className="card__title">{String(data.name)}</div>
      <div className="card__details">
        {data.organisation ? <div className="card__line">{String(data.organisation)}</div> : null}
        <div className="card__meta">
          <span className="sector-chip">
            <span className="sector-chip__swatch" aria-hidden="true" />
            {String(data.sectorLabel)}
          </span>
          <span>{String(data.roleLabel)}</span>
        </div>
        <div className="card__scores">
          <span>Influence {String(data.influence)}/5</span>
          <span>Interest {String(data.interest)}/5</span>
        </div>
      </div>
      <Handle type="source" position={Position.Bottom} isConnectable={isConnectable} className="card__handle" />
    </div>
  );
});

const nodeTypes = { stakeholder: StakeholderCard };

const isOverview = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;

/** Marks the page as zoomed out (reference.css then shows names and colours only). */
function Overview() {
  const overview = useStore(isOverview);
  useEffect(() => {
    document.getElementById('root')!.classList.toggle('overview', overview);
  }, [overview]);
  return null;
}

function Reference({ graph }: { graph: ReferenceGraph }) {
  const [nodes, , onNodesChange] = useNodesState<CardNode>(
    graph.nodes.map((n) => ({ ...n, ariaLabel: `Stakeholder: ${String(n.data.name)}` })),
  );
  const [edges, , onEdgesChange] = useEdgesState<Edge>(
    graph.edges.map(({ arrow, ...e }) => ({
      ...e,
      markerEnd: arrow ? { type: MarkerType.ArrowClosed, width: 16, height: 16 } : undefined,
    })),
  );
  return (
    <ReactFlow
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      onNodesChange={onNodesChange}
      onEdgesChange={onEdgesChange}
      connectionMode={ConnectionMode.Loose}
      fitView
      fitViewOptions={FIT_VIEW_OPTIONS}
      minZoom={0.1}
      maxZoom={2}
    >
      <Background gap={24} />
      <Controls showInteractive={false} />
      <Overview />
      <MiniMap
        pannable
        zoomable
        style={MINIMAP_SIZE}
        nodeColor={(n) => (SECTOR_COLORS as Record<string, string>)[String(n.data.sector)] ?? '#94a3b8'}
      />
    </ReactFlow>
  );
}

const params = new URLSearchParams(location.search);
const root = document.getElementById('root')!;
root.style.width = `${Number(params.get('w') ?? 1200)}px`;
root.style.height = `${Number(params.get('h') ?? 800)}px`;
void fetch('/graph.json')
  .then((response) => response.json() as Promise<ReferenceGraph>)
  .then((graph) => createRoot(root).render(<Reference graph={graph} />));
