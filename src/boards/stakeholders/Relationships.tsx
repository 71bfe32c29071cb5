import { useId, useState, type FormEvent } from 'react';
import { RELATION_KINDS, RELATION_LABELS, type RelationKind } from '../../../machines/entities.ts';
import { createEntity, deleteEntities, findEntity } from '../../schema/index.ts';
import { entityTitle } from '../../canvas/labels.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';

/**
 * A card's relationships as a list, and a form to add one: the keyboard's way
 * to draw a link (the mouse drags from dot to dot).
 */
export function Relationships({ doc, model, entityId, editable }: PanelExtraProps) {
  const id = useId();
  const [other, setOther] = useState('');
  const [relation, setRelation] = useState<RelationKind>('partners');
  const links = model.entities.relationship.filter((r) => r.source === entityId || r.target === entityId);
  const parties = [...model.entities.stakeholder, ...model.entities.effort]
    .filter((p) => p.id !== entityId)
    .sort((a, b) => a.name.localeCompare(b.name));
  const name = (partyId: string) => {
    const party = findEntity(model, partyId);
    return party ? entityTitle(party) : '—';
  };

  function add(event: FormEvent) {
    event.preventDefault();
    if (!other) return;
    const exists = links.some((r) => (r.source === other || r.target === other) && r.relation === relation);
    if (!exists) createEntity(doc, 'relationship', { source: entityId, target: other, relation });
    setOther('');
  }

  return (
    <section className="relationships" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>Relationships</h4>
      {links.length === 0 ? (
        <p className="measurements__empty">No relationships yet.</p>
      ) : (
        <ul className="measurements__list" aria-label="Relationships">
          {links.map((r) => (
            <li key={r.id}>
              <span>
                {r.source === entityId
                  ? `${RELATION_LABELS[r.relation]} ${name(r.target)}`
                  : `${name(r.source)} ${RELATION_LABELS[r.relation]} this`}
              </span>
              {editable && (
                <button
                  type="button"
                  className="button button--ghost button--small"
                  aria-label={`Remove the relationship with ${name(r.source === entityId ? r.target : r.source)}`}
                  onClick={() => deleteEntities(doc, [r.id])}
                >
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {editable && parties.length > 0 && (
        <form className="measurements__form" onSubmit={add} aria-label="Add a relationship">
          <div className="field">
            <label htmlFor={`${id}-kind`}>Kind of relationship</label>
            <select id={`${id}-kind`} value={relation} onChange={(e) => setRelation(e.target.value as RelationKind)}>
              {RELATION_KINDS.map((k) => (
                <option key={k} value={k}>
                  {RELATION_LABELS[k]}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-other`}>With</label>
            <select id={`${id}-other`} value={other} onChange={(e) => setOther(e.target.value)}>
              <option value="">Choose…</option>
              {parties.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" className="button button--small" disabled={!other}>
            Add relationship
          </button>
        </form>
      )}
    </section>
  );
}
