/**
 * The boards' own keyboard shortcuts, shown in the kit's help dialog after the
 * common ones (undo, redo, selection, delete, help: src/collab/shortcuts.ts).
 */
export const BOARD_SHORTCUTS: { keys: string; action: string }[] = [
  { keys: 'N', action: 'Add a card of the board’s main kind at the centre of the view, and name it' },
  { keys: 'Double-click on the board', action: 'Add a card of the board’s main kind there' },
  { keys: 'E', action: 'Stakeholder map: add an existing effort' },
  { keys: 'A / I / P / R / B', action: 'Framework: add an activity, indicator, principle, research source, baseline data' },
  { keys: 'S / G / U / B', action: 'Governance: add a steering committee, subgroup, sub-initiative, backbone' },
  { keys: 'Ctrl/⌘+C', action: 'Copy the selected cards' },
  { keys: 'Ctrl/⌘+V', action: 'Paste the copied cards on the same board' },
  { keys: 'F', action: 'Fit the whole board in view' },
];
