import { memo, type CSSProperties } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { SECTOR_LABELS, STAKEHOLDER_ROLE_LABELS } from '../../machines/domain.ts';
import { SECTOR_COLORS, type StakeholderFlowNode } from './types.ts';

/** A stakeholder card: name, sector (colour and words) and role. */
function StakeholderNodeView({ data, selected, isConnectable }: NodeProps<StakeholderFlowNode>) {
  const style = { '--sector-color': SECTOR_COLORS[data.sector] } as CSSProperties;
  return (
    <div className={`stakeholder-card${selected ? ' is-selected' : ''}`} style={style} data-testid="stakeholder-card">
      <Handle
        type="target"
        position={Position.Top}
        isConnectable={isConnectable}
        className="stakeholder-card__handle"
      />
      <div className="stakeholder-card__name">{data.name}</div>
      <div className="stakeholder-card__meta">
        <span className="sector-chip">
          <span className="sector-chip__swatch" aria-hidden="true" />
          {SECTOR_LABELS[data.sector]}
        </span>
        <span className="stakeholder-card__role">{STAKEHOLDER_ROLE_LABELS[data.role]}</span>
      </div>
      <Handle
        type="source"
        position={Position.Bottom}
        isConnectable={isConnectable}
        className="stakeholder-card__handle"
      />
    </div>
  );
}

export const StakeholderNode = memo(StakeholderNodeView);
