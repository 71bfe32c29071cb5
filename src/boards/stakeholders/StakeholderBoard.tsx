import { useCallback, useMemo, useState } from 'react';
import { createEntity } from '../../schema/index.ts';
import { BoardCanvas } from '../../canvas/BoardCanvas.tsx';
import { RegionNode } from '../../canvas/Region.tsx';
import { withNotes } from '../Note.tsx';
import { useModel } from '../../sync/useModel.ts';
import { SECTOR_COLORS, type BoardDefinition, type BoardProps } from '../../canvas/types.ts';
import { isSector, isStakeholderRole, type Sector } from '../../../machines/domain.ts';
import { sameRelationship } from '../../../machines/relationships.ts';
import { powerInterestPositions, stakeholderElements, type StakeholderFilters } from './elements.ts';
import { StakeholderLegend } from './Legend.tsx';
import { EffortNode, StakeholderNode } from './nodes.tsx';
import { RelationshipEnds } from './RelationshipEnds.tsx';
import { Relationships } from './Relationships.tsx';
import { AddStakeholderDialog, StakeholderTools, type NewStakeholderFields } from './StakeholderTools.tsx';

const nodeTypes = { stakeholder: StakeholderNode, effort: EffortNode, region: RegionNode };

/** The stakeholder map: who is in the room, how they are connected, and the work already under way. */
export default function StakeholderBoard(props: BoardProps) {
  const { doc } = props;
  const model = useModel(doc);
  const [filters, setFilters] = useState<StakeholderFilters>({ sector: 'all', role: 'all', grid: false });
  // While the add form is open: what places the new card when the form is sent.
  // `preset`: what a navigator link asked for (a person affected by the issue, a missing sector).
  const [adding, setAdding] = useState<{
    place: (fields: Record<string, unknown>) => void;
    preset?: Record<string, unknown>;
  } | null>(null);
  const add = useCallback(
    (fields: NewStakeholderFields) => {
      adding?.place({ ...fields });
      setAdding(null);
    },
    [adding],
  );
  const cancelAdd = useCallback(() => setAdding(null), []);

  const definition = useMemo<BoardDefinition>(
    () => withNotes({
      board: 'stakeholders',
      nodeTypes,
      toElements: (m) => stakeholderElements(m, filters),
      creators: [
        {
          kind: 'stakeholder',
          label: 'Add stakeholder',
          key: 'n',
          // The name, sector and role are asked first: the group chooses them, no default decides.
          prompt: (place, preset) => setAdding({ place, preset }),
          create: (d, position, _m, _s, fields) => createEntity(d, 'stakeholder', { name: 'New stakeholder', ...fields }, [{ board: 'stakeholders', position }]),
        },
        {
          kind: 'effort',
          label: 'Add existing effort',
          key: 'e',
          create: (d, position) => createEntity(d, 'effort', { name: 'New existing effort' }, [{ board: 'stakeholders', position }]),
        },
      ],
      connect: (d, m, source, target) => {
        // "Partners with" until someone says otherwise: the new link's panel opens on its kind.
        // Drawn again, the existing partnership is selected rather than repeated.
        const link = { source, target, relation: 'partners' } as const;
        return sameRelationship(m.entities.relationship, link)?.id ?? createEntity(d, 'relationship', link);
      },
      hiddenFields: { relationship: ['source', 'target'] },
      panelExtras: { relationship: RelationshipEnds, stakeholder: Relationships, effort: Relationships },
      emptyText: {
        editor:
          'No stakeholders on the map yet. Get the system in the room: add the organisations and people who shape this issue, across sectors, including people affected by it.',
        observer: 'No stakeholders on the map yet. They appear here as the group maps them.',
      },
      minimapColor: (node) => (node.type === 'effort' ? '#334155' : (SECTOR_COLORS[node.data.sector as Sector] ?? '#94a3b8')),
    }),
    [filters],
  );

  const layouts = useMemo(
    () => [
      {
        label: 'Place on power–interest grid',
        compute: powerInterestPositions,
        onApplied: () => setFilters((f) => ({ ...f, grid: true })),
      },
    ],
    [],
  );

  return (
    <BoardCanvas
      {...props}
      definition={definition}
      tools={
        <>
          <StakeholderTools filters={filters} onChange={setFilters} />
          <AddStakeholderDialog
            open={adding !== null}
            sector={isSector(adding?.preset?.sector) ? adding.preset.sector : filters.sector}
            role={isStakeholderRole(adding?.preset?.role) ? adding.preset.role : undefined}
            onAdd={add}
            onCancel={cancelAdd}
          />
        </>
      }
      layouts={layouts}
      footer={<StakeholderLegend model={model} />}
    />
  );
}
