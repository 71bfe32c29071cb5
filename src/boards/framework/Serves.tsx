/**
 * Which of the parent initiative's strategies a sub-initiative's strategy
 * serves (issue #13, point 1): chosen in the strategy's panel among the
 * parent's strategies (listed only to those who may see the parent's boards),
 * and said on its card ("Serves: <name>"). The document holds the id only.
 */
import { useId } from 'react';
import type { PanelExtraProps } from '../../canvas/types.ts';
import { findEntity, updateEntity } from '../../schema/index.ts';
import { servesWords, useLinks } from '../links.tsx';

/** The line a strategy card adds when it serves one of the parent's strategies. */
export function ServesLine({ servesId }: { servesId: string }) {
  const { links } = useLinks();
  const words = servesWords(links, servesId);
  return words ? <div className="card__line card__serves">{words}</div> : null;
}

export function ServesPanel({ doc, model, entityId, editable }: PanelExtraProps) {
  const { links } = useLinks();
  const selectId = useId();
  const strategy = findEntity(model, entityId);
  const parent = links?.parent;
  if (strategy?.kind !== 'strategy' || !parent) return null;
  const strategies = parent.strategies;
  const known = strategies?.some((s) => s.id === strategy.servesId) ?? false;
  return (
    <section className="serves" aria-label="Serves">
      <h4>Serves</h4>
      {strategies === null ? (
        <p className="muted">
          Only members of {parent.name} can choose which of its strategies this one serves.
          {strategy.servesId ? ' It serves one of them now.' : ''}
        </p>
      ) : editable ? (
        <div className="field">
          <label htmlFor={selectId}>Strategy of {parent.name} it serves</label>
          <select
            id={selectId}
            value={strategy.servesId}
            onChange={(e) => updateEntity(doc, strategy.id, { servesId: e.target.value })}
          >
            <option value="">None</option>
            {strategies.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            {strategy.servesId && !known && (
              <option value={strategy.servesId}>A strategy {parent.name} no longer has</option>
            )}
          </select>
        </div>
      ) : (
        <p>{strategies.find((s) => s.id === strategy.servesId)?.name ?? 'None'}</p>
      )}
    </section>
  );
}
