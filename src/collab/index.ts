/** The collaboration kit of the boards: presence, cursors, undo, live text, export, shortcuts. */
export {
  usePeers,
  usePeople,
  useLocalPresence,
  createLocalPresence,
  readPeer,
  peerDragPositions,
  type PeerState,
  type Person,
  type Point,
  type DragPosition,
  type LocalPresence,
} from './presence.ts';
export { LiveCursors, PeerSelectionOutline, selectionColors, peerSelectionStyle, OVERLAY_CLASS, type PeerMark } from './LiveCursors.tsx';
export { useUndo, type UndoControls } from './useUndo.ts';
export { CollaborativeText } from './CollaborativeText.tsx';
export { shiftCaret, shiftSelection, diffText } from './caret.ts';
export { exportBoardImage, exportFileName, includeInExport } from './exportImage.ts';
export {
  SHORTCUTS,
  MOD,
  isUndoKey,
  isRedoKey,
  isHelpKey,
  isEditableTarget,
  useUndoShortcuts,
  useHelpShortcut,
  type Shortcut,
} from './shortcuts.ts';
export { ShortcutHelp } from './ShortcutHelp.tsx';
export { WhoIsHere } from './WhoIsHere.tsx';
export { cursorShown, cursorChoice, useFacilitatorCursorsOnly, FACILITATOR_CURSORS_KEY } from './cursorFilter.ts';
