import type { CSSProperties } from 'react';
import { SECTORS, SECTOR_LABELS } from '../../../machines/domain.ts';
import { RELATION_KINDS, RELATION_LABELS, type InitiativeModel } from '../../../machines/entities.ts';
import { SECTOR_COLORS } from '../../canvas/types.ts';

/** The key to the map, and which sectors are not in the room yet. */
export function StakeholderLegend({ model }: { model: InitiativeModel }) {
  const present = new Set(model.entities.stakeholder.map((s) => s.sector));
  const missing = SECTORS.filter((s) => !present.has(s));
  return (
    <div className="board-footer">
      <p className="board-footer__note" role="note" aria-label="Sectors not yet represented">
        {missing.length === 0 ? (
          'Every sector is represented on the map.'
        ) : (
          <>
            <strong>Not yet represented:</strong> {missing.map((s) => SECTOR_LABELS[s]).join(', ')}. Get the system in the
            room.
          </>
        )}
      </p>
      <section className="legend" aria-label="Legend">
        <ul className="legend__list">
          {SECTORS.map((s) => (
            <li key={s} className="sector-chip" style={{ '--sector-color': SECTOR_COLORS[s] } as CSSProperties}>
              <span className="sector-chip__swatch" aria-hidden="true" />
              {SECTOR_LABELS[s]}
            </li>
          ))}
          <li className="legend__shape legend__shape--stakeholder">Stakeholder</li>
          <li className="legend__shape legend__shape--effort">Existing effort</li>
          <li className="legend__edges">Links: {RELATION_KINDS.map((k) => RELATION_LABELS[k]).join(' · ')}</li>
        </ul>
      </section>
    </div>
  );
}
