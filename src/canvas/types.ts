import type { Edge, Node } from '@xyflow/react';
import type { Sector, StakeholderRole } from '../../machines/domain.ts';

export type StakeholderNodeData = {
  name: string;
  sector: Sector;
  role: StakeholderRole;
};

export type StakeholderFlowNode = Node<StakeholderNodeData, 'stakeholder'>;
export type LinkFlowEdge = Edge;

/** Colours per sector; always shown together with the sector's name, never alone. */
export const SECTOR_COLORS: Record<Sector, string> = {
  government: '#1d4ed8',
  business: '#b45309',
  philanthropy: '#7e22ce',
  nonprofit: '#047857',
  education: '#0e7490',
  health: '#be123c',
  faith: '#6d28d9',
  media: '#c2410c',
  residents: '#4d7c0f',
};
