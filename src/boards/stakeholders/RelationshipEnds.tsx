import { findEntity } from '../../schema/index.ts';
import { entityTitle } from '../../canvas/labels.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';

/** Who a relationship joins, in words (drawn as the link's ends on the map). */
export function RelationshipEnds({ model, entityId }: PanelExtraProps) {
  const relationship = findEntity(model, entityId);
  if (relationship?.kind !== 'relationship') return null;
  const name = (id: string) => {
    const party = findEntity(model, id);
    return party ? entityTitle(party) : '—';
  };
  return (
    <p className="entity-panel__ends">
      From <strong>{name(relationship.source)}</strong> to <strong>{name(relationship.target)}</strong>
    </p>
  );
}
