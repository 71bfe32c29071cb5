import { useId, useState } from 'react';
import type { Entity, EntityKind, InitiativeModel } from '../../machines/entities.ts';
import { tidyLabels, toggleRef, updateEntity, type FieldSpec, type InitiativeDoc } from '../schema/index.ts';
import { CollaborativeText } from './kit.ts';
import { entityTitle, enumLabel, fieldLabel, SCORE_LABELS } from './labels.ts';
import { DraftInput } from './DraftInput.tsx';
import { UnitField } from './UnitField.tsx';

interface Props {
  doc: InitiativeDoc;
  model: InitiativeModel;
  entity: Entity;
  field: string;
  spec: FieldSpec;
}

/** The entities a reference field may point to, by title. */
export function candidates(model: InitiativeModel, to: readonly EntityKind[], except?: string): Entity[] {
  return to
    .flatMap((kind) => model.entities[kind] as Entity[])
    .filter((e) => e.id !== except)
    .sort((a, b) => entityTitle(a).localeCompare(entityTitle(b)));
}

function useWrite(doc: InitiativeDoc, id: string) {
  const [error, setError] = useState<string | null>(null);
  /** Writes `patch`; answers false, with the reason kept in `error`, when the schema refuses it. */
  const write = (patch: Record<string, unknown>): boolean => {
    try {
      updateEntity(doc, id, patch);
      setError(null);
      return true;
    } catch (problem) {
      setError(problem instanceof Error ? problem.message : String(problem));
      return false;
    }
  };
  const clear = () => setError(null);
  return { error, write, clear };
}

/** One editable field of the side panel, chosen by its FIELDS spec. */
export function FieldControl({ doc, model, entity, field, spec }: Props) {
  const id = useId();
  const label = fieldLabel(entity.kind, field);
  const value = (entity as unknown as Record<string, unknown>)[field];
  const { error, write, clear } = useWrite(doc, entity.id);
  const errorText = error && (
    <p id={`${id}-error`} className="field-error" role="alert">
      {error}
    </p>
  );

  switch (spec.type) {
    case 'text':
      return (
        <CollaborativeText
          key={`${entity.id}.${field}`}
          doc={doc}
          entityId={entity.id}
          field={field}
          label={label}
          multiline={spec.max > 200}
          maxLength={spec.max}
        />
      );
    case 'string':
      if (entity.kind === 'indicator' && field === 'unit')
        return <UnitField key={`${entity.id}.${field}`} label={label} value={String(value ?? '')} write={(unit) => write({ unit })} error={error} />;
      return (
        <DraftInput
          key={`${entity.id}.${field}`}
          label={label}
          type="text"
          value={value === null || value === undefined ? '' : String(value)}
          maxLength={spec.max}
          onCommit={(next) => write({ [field]: next })}
          onCancel={clear}
          error={error}
        />
      );
    case 'date':
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <input id={id} type="date" value={String(value ?? '')} onChange={(e) => write({ [field]: e.target.value })} />
          {errorText}
        </div>
      );
    case 'enum':
    case 'score': {
      const options =
        spec.type === 'score'
          ? [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: SCORE_LABELS[n] }))
          : spec.values.map((v) => ({ value: v, label: enumLabel(field, v) }));
      const nullable = spec.type === 'enum' && spec.nullable;
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <select
            id={id}
            value={value === null || value === undefined ? '' : String(value)}
            onChange={(e) => {
              const raw = e.target.value;
              write({ [field]: spec.type === 'score' ? Number(raw) : raw === '' ? null : raw });
            }}
          >
            {nullable && <option value="">Not chosen yet</option>}
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          {errorText}
        </div>
      );
    }
    case 'ref': {
      const options = candidates(model, spec.to, entity.id);
      return (
        <div className="field">
          <label htmlFor={id}>{label}</label>
          <select
            id={id}
            value={typeof value === 'string' ? value : ''}
            onChange={(e) => write({ [field]: e.target.value === '' ? null : e.target.value })}
          >
            {!spec.required && <option value="">None</option>}
            {options.map((o) => (
              <option key={o.id} value={o.id}>
                {entityTitle(o)}
              </option>
            ))}
          </select>
          {errorText}
        </div>
      );
    }
    case 'refs': {
      const chosen = new Set(Array.isArray(value) ? (value as string[]) : []);
      const options = candidates(model, spec.to, entity.id);
      return (
        <fieldset className="field checklist">
          <legend>{label}</legend>
          {options.length === 0 && <p className="checklist__empty">None on the boards yet.</p>}
          {options.map((o) => (
            <label key={o.id} className="checklist__item">
              <input
                type="checkbox"
                checked={chosen.has(o.id)}
                onChange={(e) => toggleRef(doc, entity.id, field, o.id, e.target.checked)}
              />
              {entityTitle(o)}
            </label>
          ))}
        </fieldset>
      );
    }
    case 'labels': {
      const labels = Array.isArray(value) ? (value as string[]) : [];
      return (
        <DraftInput
          key={`${entity.id}.${field}`}
          label={`${label} (separated by commas)`}
          type="text"
          value={labels.join(', ')}
          onCommit={(next) => write({ [field]: tidyLabels(next.split(','), spec) })}
          onCancel={clear}
          error={error}
        />
      );
    }
    default:
      return null;
  }
}
