import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import {
  BACKBONE_FUNCTIONS,
  BACKBONE_FUNCTION_LABELS,
  BACKBONE_STRUCTURE_LABELS,
  GROUP_KIND_LABELS,
  STRATEGY_HORIZON_LABELS,
  type BackboneFunction,
  type BackboneStructure,
  type GroupKind,
  type StrategyHorizon,
} from '../../../machines/entities.ts';
import type { BoardNode } from '../../canvas/types.ts';
import { RightWay, RightWayBadge } from '../../measures/charts/RightWay.tsx';
import { Card, Chips } from '../Card.tsx';
import { ServesLine } from '../framework/Serves.tsx';
import { LinkedInitiativeLines } from './LinkedInitiative.tsx';

type View = NodeProps<BoardNode>;

function GroupView({ data, selected, isConnectable }: View) {
  const kind = data.groupKind as GroupKind;
  return (
    <Card
      variant={`group card--${kind}`}
      eyebrow={GROUP_KIND_LABELS[kind]}
      title={String(data.name)}
      selected={selected}
      peer={data.peer}
      connectable={isConnectable}
      badge={<RightWayBadge indicatorIds={data.indicatorIds as string[] | undefined} />}
    >
      {data.parent ? <div className="card__line card__line--muted">Part of {String(data.parent)}</div> : null}
      {kind === 'sub-initiative' && <LinkedInitiativeLines initiativeId={typeof data.initiativeId === 'string' ? data.initiativeId : ''} />}
      <Chips label="Leads" names={data.leads as string[]} />
      <Chips label="Members" names={data.members as string[]} />
      <RightWay indicatorIds={data.indicatorIds as string[] | undefined} />
    </Card>
  );
}

function BackboneView({ data, selected, isConnectable }: View) {
  const structure = data.structure as BackboneStructure | null;
  const functions = data.functions as Record<BackboneFunction, string[]>;
  return (
    <Card variant="backbone" eyebrow="Backbone" title={String(data.name)} selected={selected} peer={data.peer} connectable={isConnectable}>
      <div className="card__line">{structure ? BACKBONE_STRUCTURE_LABELS[structure] : 'Structure not chosen yet'}</div>
      {data.scope ? <div className="card__line card__line--muted">Backbone of {String(data.scope)}</div> : null}
      <ul className="card__functions" aria-label="Backbone functions">
        {BACKBONE_FUNCTIONS.map((fn) => (
          <li key={fn}>
            <span className="card__function-name">{BACKBONE_FUNCTION_LABELS[fn]}:</span>{' '}
            {functions[fn].length > 0 ? functions[fn].join(', ') : <em>nobody yet</em>}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function StrategyView({ data, selected, isConnectable }: View) {
  const horizon = data.horizon as StrategyHorizon;
  return (
    <Card
      variant="strategy"
      eyebrow="Strategy"
      title={String(data.name)}
      selected={selected}
      peer={data.peer}
      connectable={isConnectable}
      badge={<RightWayBadge indicatorIds={data.indicatorIds as string[] | undefined} />}
    >
      <span className={`tag tag--${horizon}`}>{STRATEGY_HORIZON_LABELS[horizon]}</span>
      <ServesLine servesId={typeof data.servesId === 'string' ? data.servesId : ''} />
      <RightWay indicatorIds={data.indicatorIds as string[] | undefined} />
    </Card>
  );
}

/** Groups are `team` nodes: React Flow styles its own `group` type. */
export const governanceNodeTypes = { team: memo(GroupView), backbone: memo(BackboneView), strategy: memo(StrategyView) };
