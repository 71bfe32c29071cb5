import { memo, type CSSProperties } from 'react';
import type { NodeProps } from '@xyflow/react';
import { SECTOR_LABELS, STAKEHOLDER_ROLE_LABELS, type Sector, type StakeholderRole } from '../../../machines/domain.ts';
import { SECTOR_COLORS, type BoardNode } from '../../canvas/types.ts';
import { Card, truncate } from '../Card.tsx';

/** A stakeholder: name, organisation, sector (colour and words), role, influence and interest. */
function StakeholderView({ data, selected, isConnectable }: NodeProps<BoardNode>) {
  const sector = data.sector as Sector;
  const style = { '--sector-color': SECTOR_COLORS[sector] } as CSSProperties;
  return (
    <Card variant="stakeholder" title={String(data.name)} selected={selected} peer={data.peer} connectable={isConnectable} style={style}>
      {data.organisation ? <div className="card__line">{String(data.organisation)}</div> : null}
      <div className="card__meta">
        <span className="sector-chip">
          <span className="sector-chip__swatch" aria-hidden="true" />
          {SECTOR_LABELS[sector]}
        </span>
        <span>{STAKEHOLDER_ROLE_LABELS[data.role as StakeholderRole]}</span>
      </div>
      <div className="card__scores">
        <span>Influence {String(data.influence)}/5</span>
        <span>Interest {String(data.interest)}/5</span>
      </div>
    </Card>
  );
}

/** A collaboration already under way: its own shape, so it reads as work to build on, not an organisation. */
function EffortView({ data, selected, isConnectable }: NodeProps<BoardNode>) {
  const count = Number(data.stakeholders);
  return (
    <Card variant="effort" eyebrow="Existing effort" title={String(data.name)} selected={selected} peer={data.peer} connectable={isConnectable}>
      {data.description ? <div className="card__line">{truncate(String(data.description), 100)}</div> : null}
      {count > 0 && <div className="card__line card__line--muted">{count === 1 ? '1 stakeholder involved' : `${count} stakeholders involved`}</div>}
    </Card>
  );
}

export const StakeholderNode = memo(StakeholderView);
export const EffortNode = memo(EffortView);
