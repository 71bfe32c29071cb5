import type { GroupKind } from '../../../machines/entities.ts';
import { createEntity, findEntity, toggleRef, updateEntity } from '../../schema/index.ts';
import { BoardCanvas } from '../../canvas/BoardCanvas.tsx';
import { BoardMeasuresProvider } from '../../measures/charts/boardMeasures.tsx';
import type { BoardDefinition, BoardProps, Creator } from '../../canvas/types.ts';
import { withNotes } from '../Note.tsx';
import { BackboneFunctions } from './BackboneFunctions.tsx';
import { LinkedInitiativePanel } from './LinkedInitiative.tsx';
import { LinksProvider } from '../links.tsx';
import { governanceElements } from './elements.ts';
import { governanceNodeTypes } from './nodes.tsx';

const place = (position: { x: number; y: number }) => [{ board: 'governance' as const, position }];

/** Added with a group selected, the new group is part of it (a subgroup, a sub-initiative's steering committee). */
function group(label: string, groupKind: GroupKind, name: string, key?: string): Creator {
  return {
    kind: 'group',
    label,
    key,
    create: (doc, position, model, selected) => {
      const parentId = model.entities.group.find((g) => selected.includes(g.id))?.id ?? null;
      return createEntity(doc, 'group', { name, groupKind, parentId }, place(position));
    },
  };
}

const definition: BoardDefinition = withNotes({
  board: 'governance',
  nodeTypes: governanceNodeTypes,
  toElements: governanceElements,
  creators: [
    group('Add working group', 'working-group', 'New working group', 'n'),
    group('Add steering committee', 'steering-committee', 'Steering committee', 's'),
    group('Add subgroup', 'subgroup', 'New subgroup', 'g'),
    group('Add sub-initiative', 'sub-initiative', 'New sub-initiative', 'u'),
    {
      kind: 'backbone',
      label: 'Add backbone',
      key: 'b',
      // Added with a sub-initiative selected, it is that sub-initiative's backbone.
      create: (doc, position, model, selected) => {
        const scope = model.entities.group.find((g) => g.groupKind === 'sub-initiative' && selected.includes(g.id));
        return createEntity(
          doc,
          'backbone',
          { name: scope ? `${scope.name.slice(0, 180)} backbone` : 'Backbone', scopeId: scope?.id ?? null },
          place(position),
        );
      },
    },
  ],
  /** Group → strategy: works on it; group → group below: the lower one is part of the upper one; backbone ↔ group: its backbone. */
  connect: (doc, model, source, target) => {
    const a = findEntity(model, source);
    const b = findEntity(model, target);
    if (!a || !b) return;
    if (a.kind === 'group' && b.kind === 'strategy') toggleRef(doc, a.id, 'strategyIds', b.id, true);
    else if (a.kind === 'strategy' && b.kind === 'group') toggleRef(doc, b.id, 'strategyIds', a.id, true);
    else if (a.kind === 'group' && b.kind === 'group') updateEntity(doc, b.id, { parentId: a.id });
    else if (a.kind === 'backbone' && b.kind === 'group') updateEntity(doc, a.id, { scopeId: b.id });
    else if (a.kind === 'group' && b.kind === 'backbone') updateEntity(doc, b.id, { scopeId: a.id });
  },
  protectedKinds: ['strategy'],
  panelExtras: { backbone: BackboneFunctions, group: LinkedInitiativePanel },
  // Chosen in the panels' own sections (./LinkedInitiative.tsx, ../framework/Serves.tsx), never typed.
  hiddenFields: { group: ['initiativeId'], strategy: ['servesId'] },
  emptyText: {
    editor:
      'Draw the cascading levels of linked collaboration: a steering committee, working groups around each strategy, subgroups, and the backbone that supports them.',
    observer: 'No governance structure yet. It appears here as the group builds it.',
  },
  minimapColor: (node) => (node.type === 'backbone' ? '#0f766e' : node.type === 'strategy' ? '#1f5fbf' : '#64748b'),
});

/** Governance: the steering committee, working groups linked to strategies, subgroups, sub-initiatives and backbones. */
export default function GovernanceBoard(props: BoardProps) {
  return (
    // The cards' measures, fetched once for the whole board.
    <BoardMeasuresProvider initiativeId={props.initiativeId}>
      <LinksProvider initiativeId={props.initiativeId} role={props.role}>
        <BoardCanvas
          {...props}
          definition={definition}
          footer={
            <p className="board-footer__note">
              Strategies are the framework’s own: rename or remove them on the Strategic action framework. Link a
              working group to the strategy it moves by dragging from its dot to the strategy.
            </p>
          }
        />
      </LinksProvider>
    </BoardMeasuresProvider>
  );
}
