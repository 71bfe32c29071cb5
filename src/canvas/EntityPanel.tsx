import { memo, useId } from 'react';
import { ENTITY_KIND_LABELS, type Entity, type InitiativeModel } from '../../machines/entities.ts';
import { FIELDS, findEntity, isSingleton, type FieldSpec, type InitiativeDoc } from '../schema/index.ts';
import { FieldControl } from './FieldControl.tsx';
import { entityTitle, enumLabel, fieldLabel, SCORE_LABELS } from './labels.ts';
import type { BoardDefinition } from './types.ts';

interface Props {
  doc: InitiativeDoc;
  model: InitiativeModel;
  entityId: string;
  editable: boolean;
  definition: BoardDefinition;
  onClose: () => void;
  onDelete: (id: string) => void;
}

/** The side panel: every field of the selected card, editable for editors and plain text for observers. */
export const EntityPanel = memo(function EntityPanel({ doc, model, entityId, editable, definition, onClose, onDelete }: Props) {
  const headingId = useId();
  const entity = findEntity(model, entityId);
  if (!entity) return null;
  const hidden = new Set(definition.hiddenFields?.[entity.kind] ?? []);
  const specs = Object.entries(FIELDS[entity.kind]).filter(
    ([field, spec]) => !hidden.has(field) && spec.type !== 'functions',
  );
  const Extra = definition.panelExtras?.[entity.kind];
  const kindLabel = ENTITY_KIND_LABELS[entity.kind];
  const deletable = editable && !isSingleton(entity.kind) && !definition.protectedKinds?.includes(entity.kind);

  return (
    <aside className="entity-panel" aria-labelledby={headingId} data-entity-panel>
      <div className="entity-panel__header">
        <h3 id={headingId}>{kindLabel}</h3>
        <button type="button" className="button button--ghost button--small" onClick={onClose}>
          Close
        </button>
      </div>
      {editable ? (
        <div className="entity-panel__form">
          {specs.map(([field, spec]) => (
            <FieldControl key={`${entity.id}.${field}`} doc={doc} model={model} entity={entity} field={field} spec={spec} />
          ))}
        </div>
      ) : (
        <dl className="entity-panel__facts">
          {specs.map(([field, spec]) => (
            <Fact key={field} model={model} entity={entity} field={field} spec={spec} />
          ))}
        </dl>
      )}
      {Extra && <Extra doc={doc} model={model} entityId={entity.id} editable={editable} />}
      {deletable && (
        <button type="button" className="button button--danger" onClick={() => onDelete(entity.id)}>
          Delete {kindLabel.toLowerCase()}
        </button>
      )}
    </aside>
  );
});

function Fact({ model, entity, field, spec }: { model: InitiativeModel; entity: Entity; field: string; spec: FieldSpec }) {
  const value = (entity as unknown as Record<string, unknown>)[field];
  const title = (id: unknown) => {
    const found = typeof id === 'string' ? findEntity(model, id) : undefined;
    return found ? entityTitle(found) : '—';
  };
  let text: string;
  if (spec.type === 'enum') text = value === null ? 'Not chosen yet' : enumLabel(field, String(value));
  else if (spec.type === 'score') text = SCORE_LABELS[value as number] ?? String(value);
  else if (spec.type === 'ref') text = value ? title(value) : 'None';
  else if (spec.type === 'refs') text = (value as string[]).map(title).join(', ') || 'None';
  else text = value === null || value === '' ? '—' : String(value);
  return (
    <>
      <dt>{fieldLabel(entity.kind, field)}</dt>
      <dd>{text}</dd>
    </>
  );
}
