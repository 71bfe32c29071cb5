import { BACKBONE_FUNCTIONS, BACKBONE_FUNCTION_LABELS } from '../../../machines/entities.ts';
import { findEntity, toggleBackboneFunction } from '../../schema/index.ts';
import type { PanelExtraProps } from '../../canvas/types.ts';
import { namesOf } from '../common.ts';

/** Who carries each of the backbone's six functions: stakeholders from the map. */
export function BackboneFunctions({ doc, model, entityId, editable }: PanelExtraProps) {
  const backbone = findEntity(model, entityId);
  if (backbone?.kind !== 'backbone') return null;
  const stakeholders = [...model.entities.stakeholder].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="backbone-functions" aria-label="Backbone functions">
      <h4>Backbone functions</h4>
      {BACKBONE_FUNCTIONS.map((fn) =>
        editable ? (
          <fieldset key={fn} className="field checklist">
            <legend>{BACKBONE_FUNCTION_LABELS[fn]}</legend>
            {stakeholders.length === 0 && <p className="checklist__empty">Add stakeholders to the map first.</p>}
            {stakeholders.map((s) => (
              <label key={s.id} className="checklist__item">
                <input
                  type="checkbox"
                  checked={backbone.functions[fn].includes(s.id)}
                  onChange={(e) => toggleBackboneFunction(doc, backbone.id, fn, s.id, e.target.checked)}
                />
                {s.name}
              </label>
            ))}
          </fieldset>
        ) : (
          <p key={fn}>
            <strong>{BACKBONE_FUNCTION_LABELS[fn]}:</strong> {namesOf(model, backbone.functions[fn]).join(', ') || 'nobody yet'}
          </p>
        ),
      )}
    </section>
  );
}
