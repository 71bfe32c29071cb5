import { useId, useMemo, useRef, useState, type FormEvent } from 'react';
import { RELATION_KINDS, RELATION_LABELS, type RelationKind } from '../../../machines/entities.ts';
import { sameRelationship } from '../../../machines/relationships.ts';
import { createEntity, deleteEntities, findEntity } from '../../schema/index.ts';
import { entityTitle } from '../../canvas/labels.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';

/**
 * A card's relationships as a list, and a form to add one: the keyboard's way
 * to draw a link (the mouse drags from dot to dot). The form opens on demand:
 * its list of everyone else on the map is a thousand options on a large map,
 * too slow to build each time a card is selected or dragged.
 */
export function Relationships({ doc, model, entityId, editable }: PanelExtraProps) {
  const id = useId();
  const [adding, setAdding] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const links = model.entities.relationship.filter((r) => r.source === entityId || r.target === entityId);
  const others = model.entities.stakeholder.length + model.entities.effort.length - 1;
  const name = (partyId: string) => {
    const party = findEntity(model, partyId);
    return party ? entityTitle(party) : '—';
  };

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
      {editable && others > 0 && (
        <button
          ref={toggle}
          type="button"
          className="button button--small"
          aria-expanded={adding}
          aria-controls={adding ? `${id}-add` : undefined}
          onClick={() => setAdding((open) => !open)}
        >
          Add a relationship…
        </button>
      )}
      {editable && others > 0 && adding && (
        <AddRelationship
          id={`${id}-add`}
          doc={doc}
          model={model}
          entityId={entityId}
          onDone={() => {
            setAdding(false);
            toggle.current?.focus();
          }}
        />
      )}
    </section>
  );
}

/** The form: a kind and the other party (focused when it opens); it closes after adding, or with Cancel. */
function AddRelationship({
  id,
  doc,
  model,
  entityId,
  onDone,
}: Omit<PanelExtraProps, 'editable'> & { id: string; onDone: () => void }) {
  const [other, setOther] = useState('');
  const [relation, setRelation] = useState<RelationKind>('partners');
  const parties = useMemo(
    () =>
      [...model.entities.stakeholder, ...model.entities.effort]
        .filter((p) => p.id !== entityId)
        .sort((a, b) => a.name.localeCompare(b.name)),
    [model, entityId],
  );

  function add(event: FormEvent) {
    event.preventDefault();
    if (!other) return;
    const link = { source: entityId, target: other, relation };
    if (!sameRelationship(model.entities.relationship, link)) createEntity(doc, 'relationship', link);
    onDone();
  }

  return (
    <form id={id} className="measurements__form" onSubmit={add} aria-label="Add a relationship">
      <div className="field">
        <label htmlFor={`${id}-kind`}>Kind of relationship</label>
        <select
          id={`${id}-kind`}
          value={relation}
          onChange={(e) => setRelation(e.target.value as RelationKind)}
          autoFocus
        >
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
      <button type="button" className="button button--small button--ghost" onClick={onDone}>
        Cancel
      </button>
    </form>
  );
}
