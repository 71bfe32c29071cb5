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
  { keys: 'T', action: 'Any board: add a sticky note at the centre of the view, and write on it' },
  { keys: 'Ctrl/⌘+C', action: 'Copy the selected cards' },
  { keys: 'Ctrl/⌘+V', action: 'Paste the copied cards on the same board' },
  { keys: 'F', action: 'Fit the whole board in view' },
];

/** The workspace's panels, each opened and closed by a button in the header and a key. */
export type PanelName = 'navigator' | 'details' | 'people';

export const PANEL_KEYS: Record<PanelName, string> = { navigator: 'w', details: 'd', people: 'h' };

export const PANEL_LABELS: Record<PanelName, string> = {
  navigator: 'Workflow navigator',
  details: 'Card details',
  people: 'Who is here',
};

/** Listed in the help after the board's own. */
export const PANEL_SHORTCUTS: { keys: string; action: string }[] = (Object.keys(PANEL_KEYS) as PanelName[]).map((name) => ({
  keys: PANEL_KEYS[name].toUpperCase(),
  action: `Open or close the ${PANEL_LABELS[name].toLowerCase()} panel`,
}));
