import { memo } from 'react';
import type { NodeProps } from '@xyflow/react';
import { INDICATOR_DIRECTION_LABELS, STRATEGY_HORIZON_LABELS, type IndicatorDirection, type StrategyHorizon } from '../../../machines/entities.ts';
import type { BoardNode } from '../../canvas/types.ts';
import { FREQUENCIES, periodLabel, type Frequency } from '../../../machines/measures/periods.ts';
import { formatValue, unitLabel } from '../../../machines/measures/units.ts';
import { useBoardMeasures } from '../../measures/charts/boardMeasures.tsx';
import { LazySparkline, LockIcon, TrendArrow } from '../../measures/charts/lazy.tsx';
import { RightWay, RightWayBadge } from '../../measures/charts/RightWay.tsx';
import { Card, Chips, truncate } from '../Card.tsx';
import { ServesLine } from './Serves.tsx';

type View = NodeProps<BoardNode>;
const text = (value: unknown) => (typeof value === 'string' ? value : '');

function ProblemView({ data, selected }: View) {
  return (
    <Card variant="problem" eyebrow="Problem description" title={truncate(text(data.description), 220) || 'Describe the problem, informed by research'} selected={selected} peer={data.peer} handles={false} />
  );
}

function GoalView({ data, selected }: View) {
  return <Card variant="goal" eyebrow="Goal" title={truncate(text(data.statement), 200) || 'State the goal for the desired change'} selected={selected} peer={data.peer} handles={false} />;
}

function EvaluationView({ data, selected }: View) {
  return (
    <Card variant="evaluation" eyebrow="Evaluation approach" title={truncate(text(data.approach), 200) || 'How will the initiative get and judge feedback?'} selected={selected} peer={data.peer} handles={false} />
  );
}

function SourceView({ data, selected }: View) {
  return (
    <Card variant="source" eyebrow="Research source" title={text(data.title)} selected={selected} peer={data.peer} handles={false}>
      {data.reference ? <div className="card__line card__line--muted">{truncate(text(data.reference), 60)}</div> : null}
    </Card>
  );
}

function BaselineView({ data, selected }: View) {
  const facts = [text(data.value), text(data.source), text(data.date)].filter(Boolean).join(' · ');
  return (
    <Card variant="baseline" eyebrow="Baseline data" title={text(data.statement)} selected={selected} peer={data.peer} handles={false}>
      {facts && <div className="card__line card__line--muted">{facts}</div>}
    </Card>
  );
}

function StrategyView({ data, selected, isConnectable }: View) {
  const horizon = data.horizon as StrategyHorizon;
  return (
    <Card
      variant="strategy"
      eyebrow="Strategy"
      title={text(data.name)}
      selected={selected}
      peer={data.peer}
      connectable={isConnectable}
      horizontal
      badge={<RightWayBadge indicatorIds={data.indicatorIds as string[] | undefined} />}
    >
      <span className={`tag tag--${horizon}`}>{STRATEGY_HORIZON_LABELS[horizon]}</span>
      <ServesLine servesId={text(data.servesId)} />
      <RightWay indicatorIds={data.indicatorIds as string[] | undefined} />
    </Card>
  );
}

function ActivityView({ data, selected, isConnectable }: View) {
  return (
    <Card variant="activity" eyebrow="Activity" title={text(data.name)} selected={selected} peer={data.peer} connectable={isConnectable} horizontal>
      <Chips label="Owners" names={data.owners as string[]} />
    </Card>
  );
}

function PrincipleView({ data, selected }: View) {
  return <Card variant="principle" eyebrow="Principle" title={text(data.statement)} selected={selected} peer={data.peer} handles={false} />;
}

/** The indicator's curve in small, its latest value and trend; a lock for a viewer who may not see its values. */
function IndicatorMeasure({ id, unit, frequency }: { id: string; unit: string; frequency: Frequency }) {
  const measures = useBoardMeasures();
  const measure = measures?.get(id);
  if (!measure) return null;
  if (measure.restricted)
    return (
      <div className="card__measure card__measure--restricted" title="Only the lead, this indicator’s data stewards and the admin see its values.">
        <LockIcon /> Restricted
      </div>
    );
  if (!measure.latest) return <div className="card__line card__line--muted">No values yet</div>;
  return (
    <>
      <div className="card__measure">
        <span className="card__measure-latest">
          {formatValue(measure.latest.value, unit)} <span className="card__line--muted">in {periodLabel(measure.latest.date, frequency)}</span>
        </span>
        {measure.points.length > 1 && <LazySparkline points={measure.points} width={64} height={24} />}
      </div>
      {measure.trend && (
        <div className="card__line">
          <TrendArrow trend={measure.trend} direction={measure.direction} />
        </div>
      )}
    </>
  );
}

/** Zoomed out, the trend arrow (or the lock) stays beside the name. */
function IndicatorBadge({ id }: { id: string }) {
  const measure = useBoardMeasures()?.get(id);
  if (!measure) return null;
  if (measure.restricted)
    return (
      <span className="card__badge-lock" title="Restricted">
        <LockIcon />
        <span className="visually-hidden">Restricted</span>
      </span>
    );
  return measure.trend && measure.latest ? <TrendArrow trend={measure.trend} direction={measure.direction} compact /> : null;
}

function IndicatorView({ id, data, selected, isConnectable }: View) {
  const unit = text(data.unit);
  const frequency = (FREQUENCIES as readonly string[]).includes(text(data.frequency)) ? (text(data.frequency) as Frequency) : 'yearly';
  return (
    <Card
      variant="indicator"
      eyebrow="Indicator"
      title={text(data.name)}
      selected={selected}
      peer={data.peer}
      connectable={isConnectable}
      horizontal
      badge={<IndicatorBadge id={id} />}
    >
      <div className="card__line card__line--muted">
        {INDICATOR_DIRECTION_LABELS[data.direction as IndicatorDirection]}
        {unit ? ` · ${unitLabel(unit)}` : ''}
      </div>
      <IndicatorMeasure id={id} unit={unit} frequency={frequency} />
    </Card>
  );
}

export const frameworkNodeTypes = {
  problem: memo(ProblemView),
  goal: memo(GoalView),
  evaluation: memo(EvaluationView),
  source: memo(SourceView),
  baseline: memo(BaselineView),
  strategy: memo(StrategyView),
  activity: memo(ActivityView),
  principle: memo(PrincipleView),
  indicator: memo(IndicatorView),
};
