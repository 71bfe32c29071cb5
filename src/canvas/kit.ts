/**
 * The collaboration kit (src/collab) as the boards use it: presence, live
 * cursors, per-user undo, collaborative text, image export, shortcut help.
 */
export {
  CollaborativeText,
  exportBoardImage,
  LiveCursors,
  PeerSelectionOutline,
  selectionColors,
  ShortcutHelp,
  useLocalPresence,
  usePeers,
  useUndo,
  type PeerMark,
  type PeerState,
  type UndoControls,
} from '../collab/index.ts';
