/**
 * Initiative models for the guard and phase tests, built as plain data (the
 * shape `readModel` answers), from the Meadow County example of docs/domain.md.
 */
import {
  BACKBONE_FUNCTIONS,
  blankModel,
  type BackboneEntity,
  type BaselineEntity,
  type BoundaryEntity,
  type Entity,
  type EntityKind,
  type EntityOf,
  type GroupEntity,
  type IndicatorEntity,
  type InitiativeModel,
  type Sector,
  type StakeholderEntity,
  type StakeholderRole,
  type StrategyEntity,
} from '../../machines/index.ts';

export class ModelBuilder {
  readonly model: InitiativeModel = blankModel();
  private seq = 0;

  private add<K extends EntityKind>(kind: K, fields: Omit<EntityOf<K>, 'kind' | 'id'>, id?: string): EntityOf<K> {
    const entity = {
      kind,
      id: id ?? `${kind}-${String(++this.seq).padStart(3, '0')}`,
      ...fields,
    } as unknown as EntityOf<K>;
    (this.model.entities[kind] as Entity[]).push(entity);
    (this.model.entities[kind] as Entity[]).sort((a, b) => a.id.localeCompare(b.id));
    return entity;
  }

  stakeholder(name: string, sector: Sector, role: StakeholderRole = 'partner'): StakeholderEntity {
    return this.add('stakeholder', { name, organisation: '', sector, role, influence: 3, interest: 3 });
  }

  effort(name: string, stakeholderIds: string[] = []) {
    return this.add('effort', { name, description: '', stakeholderIds });
  }

  boundary(label: string, side: BoundaryEntity['side'], dimension: BoundaryEntity['dimension'] = 'issue') {
    return this.add('boundary', { label, side, dimension, rationale: '', rationaleNeedsReview: false });
  }

  problem(description: string): this {
    this.model.entities.problem[0].description = description;
    return this;
  }

  goal(statement: string): this {
    this.model.entities.goal[0].statement = statement;
    return this;
  }

  evaluation(approach: string): this {
    this.model.entities.evaluation[0].approach = approach;
    return this;
  }

  source(title: string) {
    return this.add('source', { title, reference: 'https://example.org/report' });
  }

  baseline(statement: string, source = 'County youth survey', date = '2025-05-01'): BaselineEntity {
    return this.add('baseline', { statement, value: '31%', source, date });
  }

  strategy(name: string, horizon: StrategyEntity['horizon'], indicatorIds: string[] = []): StrategyEntity {
    return this.add('strategy', { name, description: '', horizon, indicatorIds, servesId: '' });
  }

  principle(statement: string) {
    return this.add('principle', { statement });
  }

  indicator(
    name: string,
    definition = `Share of students reporting ${name.toLowerCase()} in the last 30 days`,
  ): IndicatorEntity {
    return this.add('indicator', {
      name,
      definition,
      unit: 'percent',
      direction: 'decrease',
      frequency: 'yearly',
      subgroups: [],
    });
  }

  /** One more current value of the indicator, as the server's store counts them into `measured`. */
  measure(indicator: IndicatorEntity): this {
    this.model.measured[indicator.id] = (this.model.measured[indicator.id] ?? 0) + 1;
    return this;
  }

  activity(name: string, strategyId: string | null, ownerIds: string[]) {
    return this.add('activity', { name, strategyId, ownerIds });
  }

  group(
    name: string,
    groupKind: GroupEntity['groupKind'],
    fields: Partial<Omit<GroupEntity, 'kind' | 'id' | 'name' | 'groupKind'>> = {},
  ): GroupEntity {
    return this.add('group', {
      name,
      groupKind,
      parentId: null,
      strategyIds: [],
      indicatorIds: [],
      initiativeId: '',
      memberIds: [],
      leadIds: [],
      ...fields,
    });
  }

  backbone(
    name: string,
    structure: BackboneEntity['structure'],
    carriers: string[] = [],
    scopeId: string | null = null,
  ): BackboneEntity {
    const functions = Object.fromEntries(
      BACKBONE_FUNCTIONS.map((fn) => [fn, [...carriers]]),
    ) as BackboneEntity['functions'];
    return this.add('backbone', { name, scopeId, structure, functions });
  }
}

/** What Meadow County has built by the end of each phase. */
export interface Built {
  model: InitiativeModel;
  champion: StakeholderEntity;
  people: StakeholderEntity[];
  strategies: StrategyEntity[];
  indicators: IndicatorEntity[];
}

/** Phase I's checks all met: the landscape, a champion, a cross-sector steering committee, the case, baseline data. */
export function phaseOneBuilt(b = new ModelBuilder()): Built & { b: ModelBuilder } {
  const champion = b.stakeholder('Maria Alvarez, District Attorney', 'government', 'champion');
  const people = [
    champion,
    b.stakeholder('Community Foundation', 'philanthropy', 'anchor-funder'),
    b.stakeholder('Meadow County Schools', 'education'),
    b.stakeholder('County Health Department', 'health'),
    b.stakeholder('First Baptist Youth Ministry', 'faith'),
    b.stakeholder('Meadow Gazette', 'media'),
    b.stakeholder('Parents of Meadow High', 'residents', 'affected'),
    b.stakeholder('Main Street Business Association', 'business'),
  ];
  b.effort('Drug-Free Communities coalition', [people[2].id]);
  b.group('Coordinating council', 'steering-committee', {
    memberIds: [people[0].id, people[2].id, people[3].id, people[6].id],
    leadIds: [champion.id],
  });
  b.problem('Teen binge drinking, smoking and marijuana use are above the state average in all 30 municipalities.');
  b.source('State youth risk behaviour survey 2024');
  b.baseline('Students who binge drank in the last 30 days');
  b.baseline('Students who smoked in the last 30 days', 'County youth survey', '2025-05-01');
  return { b, model: b.model, champion, people, strategies: [], indicators: [] };
}

/** Phase I and Phase II's checks met: boundaries, the framework, the backbone, shared measures. */
export function phaseTwoBuilt(): Built & { b: ModelBuilder } {
  const built = phaseOneBuilt();
  const { b, people } = built;
  b.boundary('Parental and youth social norms', 'inside');
  b.boundary('Retailers selling alcohol to minors', 'inside');
  b.boundary('Youth unemployment', 'outside');
  b.goal('Cut teen binge drinking by a quarter within five years.');
  b.evaluation('The backbone reports the shared measures to the council every quarter; working groups review them.');
  b.principle('Nothing about young people without young people.');
  const binge = b.indicator('Binge drinking');
  const smoking = b.indicator('Smoking');
  const strategies = [
    b.strategy('Parent education nights', 'short-term', [binge.id]),
    b.strategy('Community laws and norms', 'long-term', [binge.id, smoking.id]),
  ];
  b.backbone('Meadow County Prevention Office', 'existing-nonprofit', [people[1].id]);
  return { ...built, strategies, indicators: [binge, smoking] };
}

/** Every check of every phase met. */
export function allBuilt(): Built & { b: ModelBuilder } {
  const built = phaseTwoBuilt();
  const { b, people, strategies, indicators } = built;
  b.group('Parent education', 'working-group', { strategyIds: [strategies[0].id], indicatorIds: [indicators[0].id] });
  b.group('Community laws and norms', 'working-group', {
    strategyIds: [strategies[1].id],
    indicatorIds: [indicators[0].id, indicators[1].id],
  });
  b.activity('Monthly parent nights in each district', strategies[0].id, [people[2].id]);
  b.activity('Retailer compliance checks', strategies[1].id, [people[0].id]);
  b.measure(indicators[0]).measure(indicators[1]);
  return built;
}

/** A model half built, with every kind of gap, and names as people type them (ending in a full stop, or blank). */
export function halfBuilt(name: (base: string) => string): InitiativeModel {
  const b = new ModelBuilder();
  const mayor = b.stakeholder(name('Mayor'), 'government');
  b.stakeholder(name('Food bank'), 'nonprofit');
  b.group(name('Council'), 'steering-committee', { memberIds: [mayor.id] });
  b.group(name('Empty committee'), 'steering-committee');
  b.baseline(name('Families in shelters'), '', '');
  b.boundary(name('Housing'), 'inside');
  b.indicator(name('Families housed'), '');
  const strategy = b.strategy(name('Rapid rehousing'), 'short-term');
  b.strategy(name('Zoning reform'), 'long-term');
  b.group(name('Rehousing group'), 'working-group', { strategyIds: [strategy.id] });
  b.activity(name('Landlord outreach'), strategy.id, []);
  b.backbone(name('Backbone'), null);
  for (let i = 0; i < 14; i++) b.indicator(`${name('Measure')} ${i}`, i % 2 ? '' : 'Defined.');
  return b.model;
}
