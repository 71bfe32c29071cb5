import '@xyflow/react/dist/style.css';
import './canvas.css';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent, type PointerEvent } from 'react';
import {
  Background,
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type NodeChange,
  type OnNodeDrag,
  type OnSelectionChangeParams,
  type ReactFlowInstance,
  type ReactFlowState,
} from '@xyflow/react';
import { BOARD_LABELS, type Board } from '../../machines/entities.ts';
import { can, refusalFor } from '../contract/permissions.ts';
import { BoardDocContext } from './boardDoc.ts';
import { BoardToolbar } from './BoardToolbar.tsx';
import { EntityPanel } from './EntityPanel.tsx';
import { exportBoardImage, LiveCursors, ShortcutHelp, useLocalPresence, usePeers, useUndo } from './kit.ts';
import { isRegion } from './Region.tsx';
import { BOARD_SHORTCUTS, PANEL_SHORTCUTS } from './shortcuts.ts';
import type { BoardChrome, BoardDefinition, BoardEdge, BoardNode, BoardProps, ViewLink } from './types.ts';
import { FIT_VIEW_OPTIONS, useBoardActions } from './useBoardActions.ts';
import { useBoardElements } from './useBoardElements.ts';
import { useBoardKeys } from './useBoardKeys.ts';
import { useFocusRequest, withHighlight } from './useFocusRequest.ts';
import { useLatest } from './useLatest.ts';
import { useModel } from '../sync/useModel.ts';
import { DETAIL_ZOOM } from './zoom.ts';

// Props handed to React Flow are constants or stable callbacks: each one that
// changes costs a pass over every card's store selector (see useLatest).
const DELETE_KEYS = ['Delete', 'Backspace'];
const MULTI_SELECT_KEYS = ['Meta', 'Control'];
const HELP_SHORTCUTS = [...BOARD_SHORTCUTS, ...PANEL_SHORTCUTS];
const MINIMAP_SIZE = { width: 140, height: 90 };
/**
 * Zoomed out past DETAIL_ZOOM the cards show their name and colour only (canvas.css).
 * One selector for the whole board, answering a boolean: it re-renders the
 * board only when the zoom crosses the line, never per card or per frame.
 */
const isOverview = (s: ReactFlowState) => s.transform[2] < DETAIL_ZOOM;

type Props = BoardProps & BoardChrome & { definition: BoardDefinition };

/** The entity whose panel shows: the one selected card, or else the one selected link. */
function panelEntity(nodes: BoardNode[], edges: BoardEdge[]): string | null {
  const cards = nodes.filter((n) => n.selected && !isRegion(n));
  if (cards.length === 1) return cards[0].data.entityId;
  const links = edges.filter((e) => e.selected);
  return cards.length === 0 && links.length === 1 ? (links[0].data?.entityId ?? null) : null;
}

/**
 * The board's side of a `ViewLink` (a workshop's Follow): a board opened to be
 * taken to a view starts there instead of fitting its cards; later requests
 * move it; its moves are reported, and a move a person starts is told apart.
 */
function useViewLink(board: Board, view: ViewLink | undefined, flow: ReactFlowInstance<BoardNode, BoardEdge>) {
  const latest = useLatest(view);
  const store = useStoreApi<BoardNode, BoardEdge>();
  const goTo = view?.goTo;
  const [initial] = useState(() => (goTo && goTo.board === board ? goTo : undefined));
  useEffect(() => {
    if (goTo && goTo.board === board && goTo.nonce !== initial?.nonce) void flow.setViewport(goTo.viewport, { duration: 150 });
  }, [goTo, board, flow, initial]);
  // Every change of the view (a gesture, a fit, the first fit of the cards) is reported, without re-rendering the
  // board; and the view as it is when someone starts listening.
  const listening = !!view?.onMove;
  useEffect(() => {
    if (!listening) return;
    let last = store.getState().transform;
    latest.current?.onMove?.(board, { x: last[0], y: last[1], zoom: last[2] });
    return store.subscribe((state) => {
      if (state.transform === last) return;
      last = state.transform;
      latest.current?.onMove?.(board, { x: last[0], y: last[1], zoom: last[2] });
    });
  }, [store, latest, board, listening]);
  // React Flow hands the gesture's event, or null when the view was set by code (a fit, a Follow).
  const onMoveStart = useCallback((event: unknown) => event && latest.current?.onUserMoveStart?.(), [latest]);
  return { initial: initial?.viewport, onMoveStart };
}

/** A shared board: cards and links on React Flow, a side panel for the selected card, and the board's tools. */
export function BoardCanvas(props: Props) {
  return (
    <ReactFlowProvider>
      <BoardView {...props} />
    </ReactFlowProvider>
  );
}

function BoardView({ doc, awareness, initiativeId, role, editable, focus, details = true, view, definition, tools, layouts, footer }: Props) {
  const board = definition.board;
  const label = BOARD_LABELS[board];
  const model = useModel(doc);
  const elements = useMemo(() => definition.toElements(model), [definition, model]);
  const allPeers = usePeers(awareness);
  const peers = useMemo(() => allPeers.filter((p) => p.board === board), [allPeers, board]);
  const presence = useLocalPresence(awareness);
  const { nodes, edges, onNodesChange, onEdgesChange, selectOnly } = useBoardElements(elements, peers, board);
  const undo = useUndo(doc);
  const flow = useReactFlow<BoardNode, BoardEdge>();
  const paneRef = useRef<HTMLDivElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const state = useLatest({ model, nodes, edges });
  const openHelp = useCallback(() => setHelpOpen(true), []);
  const clearSelection = useCallback(() => selectOnly([]), [selectOnly]);
  const actions = useBoardActions({ doc, definition, state, undo, paneRef, selectOnly });
  const overview = useStore(isOverview);
  const boardDoc = useMemo(() => ({ doc, editable }), [doc, editable]);
  const viewLink = useViewLink(board, view, flow);

  useEffect(() => {
    presence.setBoard(board);
  }, [presence, board]);

  // While cards are dragged the side panel keeps what it showed: a card that a
  // drag selects gets its panel when it is dropped, so opening the panel (a
  // layout of the page) does not stall the first frames of the move.
  const [heldPanel, setHeldPanel] = useState<string | null | undefined>(undefined);
  const panelId = heldPanel !== undefined ? heldPanel : panelEntity(nodes, edges);

  // A card just added gets its first field focused, so it can be named at once.
  const { takeFocus } = actions;
  useEffect(() => {
    if (!panelId || !takeFocus(panelId)) return;
    const first = panelRef.current?.querySelector<HTMLElement>('input, textarea, select');
    first?.focus();
    // Selecting another field than the first would move the focus there (a note's text comes before its author).
    if (first instanceof HTMLInputElement || first instanceof HTMLTextAreaElement) first.select();
  }, [panelId, takeFocus]);

  const creators = definition.creators;
  const { highlight, pinned } = useFocusRequest({ focus, doc, editable, nodes, edges, creators, selectOnly, create: actions.create });
  const shownNodes = useMemo(() => withHighlight(nodes, highlight), [nodes, highlight]);
  // A card a navigator link pointed at shows its panel even when this person keeps the panel closed.
  const showPanel = details || (!!panelId && panelId === pinned);
  const addKeys = useMemo(() => {
    const keys: Record<string, () => void> = {};
    creators.forEach((creator, i) => {
      const key = creator.key ?? (i === 0 ? 'n' : undefined);
      if (key) keys[key.toLowerCase()] = () => actions.create(creator);
    });
    return keys;
  }, [creators, actions]);

  useBoardKeys({
    editable,
    addKeys,
    undo: undo.undo,
    redo: undo.redo,
    copy: actions.copy,
    paste: actions.paste,
    fit: actions.fit,
    help: openHelp,
    clear: clearSelection,
  });

  // Cards moved with the arrow keys are stored at once (a mouse drag is stored when it ends).
  const { drop } = actions;
  const onNodesChangeAndStore = useCallback(
    (changes: NodeChange<BoardNode>[]) => {
      onNodesChange(changes);
      if (!editable) return;
      const moved = changes.filter((c) => c.type === 'position' && c.position && !c.dragging);
      if (moved.length === 0) return;
      const byId = new Map(state.current.nodes.map((n) => [n.id, n]));
      drop(
        moved.flatMap((c) => {
          const node = c.type === 'position' ? byId.get(c.id) : undefined;
          return node && c.type === 'position' && c.position ? [{ ...node, position: c.position }] : [];
        }),
      );
    },
    [onNodesChange, editable, state, drop],
  );

  const onNodeDragStart: OnNodeDrag<BoardNode> = useCallback(
    // The latest committed nodes: the selection from before this drag.
    () => setHeldPanel(panelEntity(state.current.nodes, state.current.edges)),
    [state],
  );
  const onNodeDrag: OnNodeDrag<BoardNode> = useCallback(
    (_event, _node, dragged) => presence.setDragging(dragged.map((n) => ({ id: n.id, x: n.position.x, y: n.position.y }))),
    [presence],
  );
  const onNodeDragStop: OnNodeDrag<BoardNode> = useCallback(
    (_event, _node, dragged) => {
      setHeldPanel(undefined);
      presence.setDragging(null);
      drop(dragged);
    },
    [presence, drop],
  );
  const { stopCapturing } = undo;
  const { select } = actions;
  const onConnect = useCallback(
    (c: Connection) => {
      if (c.source === c.target || !definition.connect) return;
      stopCapturing();
      const created = definition.connect(doc, state.current.model, c.source, c.target);
      if (created) select(created, true);
    },
    [definition, doc, state, stopCapturing, select],
  );
  const onSelectionChange = useCallback(
    ({ nodes: chosen }: OnSelectionChangeParams) => presence.setSelection(chosen.map((n) => n.id)),
    [presence],
  );
  const onPointerMove = useCallback(
    (event: PointerEvent) => presence.setCursor(flow.screenToFlowPosition({ x: event.clientX, y: event.clientY })),
    [presence, flow],
  );
  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      if (!editable || creators.length === 0) return;
      if (!(event.target instanceof Element) || !event.target.closest('.react-flow__pane')) return;
      actions.createAtScreen(creators[0], { x: event.clientX, y: event.clientY });
    },
    [editable, creators, actions],
  );
  const exportImage = useCallback(
    (format: 'png' | 'svg') => {
      const element = paneRef.current?.querySelector<HTMLElement>('.react-flow');
      if (element) void exportBoardImage(element, format, `${board}.${format}`);
    },
    [board],
  );
  const minimapColor = useCallback(
    (node: BoardNode) => (isRegion(node) ? '#eef1f5' : (definition.minimapColor?.(node) ?? '#94a3b8')),
    [definition],
  );
  const { create, tidy, remove } = actions;
  const onTidy = useCallback(() => void tidy(), [tidy]);
  const removeOne = useCallback((id: string) => remove([id], []), [remove]);

  const cards = nodes.filter((n) => !isRegion(n)).length;
  return (
    <div className={`board board--${board}${editable ? '' : ' is-readonly'}`}>
      {!editable && (
        <p className="observer-note" role="note">
          {refusalFor('editCanvas')}
        </p>
      )}
      <BoardToolbar
        boardLabel={label}
        editable={editable}
        creators={creators}
        onCreate={create}
        undo={undo}
        onTidy={onTidy}
        tidying={actions.tidying}
        layouts={layouts}
        onLayout={actions.applyLayout}
        onFit={actions.fit}
        onExportImage={exportImage}
        initiativeId={initiativeId}
        canExport={can(role, 'exportInitiative')}
        canImport={can(role, 'importInitiative')}
        onHelp={openHelp}
        tools={tools}
      />
      <div className="board__body">
        <div
          className={`board__pane${overview ? ' board__pane--overview' : ''}`}
          ref={paneRef}
          role="region"
          aria-label={label}
          onPointerMove={onPointerMove}
          onPointerLeave={() => presence.setCursor(null)}
          onDoubleClick={onDoubleClick}
        >
          <BoardDocContext.Provider value={boardDoc}>
            <ReactFlow<BoardNode, BoardEdge>
              nodes={shownNodes}
              edges={edges}
              nodeTypes={definition.nodeTypes}
              onNodesChange={onNodesChangeAndStore}
              onEdgesChange={onEdgesChange}
              onNodeDragStart={editable ? onNodeDragStart : undefined}
              onNodeDrag={editable ? onNodeDrag : undefined}
              onNodeDragStop={editable ? onNodeDragStop : undefined}
              onConnect={editable ? onConnect : undefined}
              onDelete={editable ? actions.onDelete : undefined}
              onSelectionChange={onSelectionChange}
              nodesDraggable={editable}
              nodesConnectable={editable && !!definition.connect}
              edgesReconnectable={false}
              deleteKeyCode={editable ? DELETE_KEYS : null}
              selectionKeyCode="Shift"
              multiSelectionKeyCode={MULTI_SELECT_KEYS}
              zoomOnDoubleClick={!editable}
              connectionMode={ConnectionMode.Loose}
              onMoveStart={viewLink.onMoveStart}
              fitView={viewLink.initial === undefined}
              defaultViewport={viewLink.initial}
              fitViewOptions={FIT_VIEW_OPTIONS}
              minZoom={0.1}
              maxZoom={2}
            >
              <Background gap={24} />
              <Controls showInteractive={false} />
              <MiniMap
                pannable
                zoomable
                ariaLabel={`Overview of the ${label.toLowerCase()}`}
                style={MINIMAP_SIZE}
                nodeColor={minimapColor}
              />
              <LiveCursors peers={peers} board={board} />
            </ReactFlow>
          </BoardDocContext.Provider>
          {cards === 0 && (
            <div className="board__empty">
              <p>{editable ? definition.emptyText.editor : definition.emptyText.observer}</p>
            </div>
          )}
        </div>
        {/* Beside the board, and there while nothing is selected, so selecting never resizes the board under the cards. */}
        {showPanel && (
          <div ref={panelRef} className={`board__panel${panelId ? '' : ' board__panel--empty'}`}>
            {panelId ? (
              <EntityPanel
                key={panelId}
                doc={doc}
                model={model}
                entityId={panelId}
                editable={editable}
                definition={definition}
                onClose={clearSelection}
                onDelete={removeOne}
              />
            ) : (
              <p className="board__panel-hint">
                {editable
                  ? 'Select a card or a link to see and edit its details. Add cards from the toolbar, with N, or by double-clicking the board.'
                  : 'Select a card or a link to see its details.'}
              </p>
            )}
          </div>
        )}
      </div>
      {footer}
      <ShortcutHelp open={helpOpen} onOpenChange={setHelpOpen} extra={HELP_SHORTCUTS} />
    </div>
  );
}
