/**
 * What a group builds on the canvas: one set of typed entities per initiative,
 * placed on four boards. Plain data only; src/schema maps it to Yjs, and the
 * workflow guards read `InitiativeModel` (docs/domain.md: landscape, boundaries,
 * strategic action framework, cascading levels of linked collaboration).
 */
import type { Sector, StakeholderRole } from './domain.ts';
import type { Frequency } from './measures/periods.ts';

export const BOARDS = ['stakeholders', 'boundaries', 'framework', 'governance'] as const;
export type Board = (typeof BOARDS)[number];

export const BOARD_LABELS: Record<Board, string> = {
  stakeholders: 'Stakeholder map',
  boundaries: 'Boundaries',
  framework: 'Strategic action framework',
  governance: 'Governance',
};

export const RELATION_KINDS = ['funds', 'partners', 'member-of', 'reports-to'] as const;
export type RelationKind = (typeof RELATION_KINDS)[number];
export const RELATION_LABELS: Record<RelationKind, string> = {
  funds: 'funds',
  partners: 'partners with',
  'member-of': 'member of',
  'reports-to': 'reports to',
};

export const BOUNDARY_DIMENSIONS = ['issue', 'population', 'geography'] as const;
export type BoundaryDimension = (typeof BOUNDARY_DIMENSIONS)[number];
export const BOUNDARY_DIMENSION_LABELS: Record<BoundaryDimension, string> = {
  issue: 'Issues and root causes',
  population: 'Populations',
  geography: 'Geography',
};

export const BOUNDARY_SIDES = ['inside', 'outside'] as const;
export type BoundarySide = (typeof BOUNDARY_SIDES)[number];

export const STRATEGY_HORIZONS = ['short-term', 'long-term'] as const;
export type StrategyHorizon = (typeof STRATEGY_HORIZONS)[number];
export const STRATEGY_HORIZON_LABELS: Record<StrategyHorizon, string> = {
  'short-term': 'Short-term win',
  'long-term': 'Long-term systemic',
};

export const INDICATOR_DIRECTIONS = ['increase', 'decrease'] as const;
export type IndicatorDirection = (typeof INDICATOR_DIRECTIONS)[number];
export const INDICATOR_DIRECTION_LABELS: Record<IndicatorDirection, string> = {
  increase: 'Higher is better',
  decrease: 'Lower is better',
};

export const GROUP_KINDS = ['steering-committee', 'working-group', 'subgroup', 'sub-initiative'] as const;
export type GroupKind = (typeof GROUP_KINDS)[number];
export const GROUP_KIND_LABELS: Record<GroupKind, string> = {
  'steering-committee': 'Steering committee',
  'working-group': 'Working group',
  subgroup: 'Subgroup',
  'sub-initiative': 'Sub-initiative',
};

/** A sticky note's colours: a small palette, always shown with the note's words, never carrying meaning alone. */
export const NOTE_COLOURS = ['yellow', 'pink', 'blue', 'green', 'orange', 'purple'] as const;
export type NoteColour = (typeof NOTE_COLOURS)[number];
export const NOTE_COLOUR_LABELS: Record<NoteColour, string> = {
  yellow: 'Yellow',
  pink: 'Pink',
  blue: 'Blue',
  green: 'Green',
  orange: 'Orange',
  purple: 'Purple',
};

export const BACKBONE_STRUCTURES = [
  'funder',
  'new-nonprofit',
  'existing-nonprofit',
  'intermediary',
  'government',
  'shared',
  'steering-committee',
] as const;
export type BackboneStructure = (typeof BACKBONE_STRUCTURES)[number];
export const BACKBONE_STRUCTURE_LABELS: Record<BackboneStructure, string> = {
  funder: 'A funder',
  'new-nonprofit': 'A new nonprofit',
  'existing-nonprofit': 'An existing nonprofit',
  intermediary: 'An intermediary (community foundation, United Way)',
  government: 'A government agency',
  shared: 'Functions shared across several organisations',
  'steering-committee': 'Steering-committee-driven',
};

export const BACKBONE_FUNCTIONS = [
  'strategic-direction',
  'facilitate-dialogue',
  'data',
  'communications',
  'community-outreach',
  'funding',
] as const;
export type BackboneFunction = (typeof BACKBONE_FUNCTIONS)[number];
export const BACKBONE_FUNCTION_LABELS: Record<BackboneFunction, string> = {
  'strategic-direction': 'Provide overall strategic direction',
  'facilitate-dialogue': 'Facilitate dialogue between partners',
  data: 'Manage data collection and analysis',
  communications: 'Handle communications',
  'community-outreach': 'Coordinate community outreach',
  funding: 'Mobilise funding',
};

export interface StakeholderEntity {
  kind: 'stakeholder';
  id: string;
  name: string;
  organisation: string;
  sector: Sector;
  role: StakeholderRole;
  /** 1 (little) to 5 (decisive). */
  influence: number;
  /** 1 (little) to 5 (central). */
  interest: number;
}

export interface RelationshipEntity {
  kind: 'relationship';
  id: string;
  source: string;
  target: string;
  relation: RelationKind;
}

/** A collaboration already under way: build on it, do not start from scratch. */
export interface EffortEntity {
  kind: 'effort';
  id: string;
  name: string;
  description: string;
  stakeholderIds: string[];
}

export interface BoundaryEntity {
  kind: 'boundary';
  id: string;
  label: string;
  dimension: BoundaryDimension;
  side: BoundarySide;
  rationale: string;
  /** True once the item has crossed the boundary, until someone reviews its rationale. */
  rationaleNeedsReview: boolean;
}

/** The problem description (one per initiative). */
export interface ProblemEntity {
  kind: 'problem';
  id: string;
  description: string;
}

export interface SourceEntity {
  kind: 'source';
  id: string;
  title: string;
  reference: string;
}

export interface BaselineEntity {
  kind: 'baseline';
  id: string;
  statement: string;
  value: string;
  source: string;
  /** ISO date, YYYY-MM-DD; empty when unknown. */
  date: string;
}

/** The goal for the desired change (one per initiative). */
export interface GoalEntity {
  kind: 'goal';
  id: string;
  statement: string;
}

export interface StrategyEntity {
  kind: 'strategy';
  id: string;
  name: string;
  description: string;
  horizon: StrategyHorizon;
  indicatorIds: string[];
  /**
   * The id of the parent initiative's strategy this one serves ('' for none):
   * an id in another initiative's document, so never checked against this one.
   */
  servesId: string;
}

export interface ActivityEntity {
  kind: 'activity';
  id: string;
  name: string;
  strategyId: string | null;
  ownerIds: string[];
}

export interface PrincipleEntity {
  kind: 'principle';
  id: string;
  statement: string;
}

/** The approach to evaluation (one per initiative). */
export interface EvaluationEntity {
  kind: 'evaluation';
  id: string;
  approach: string;
}

/**
 * A shared measure. Its values, baseline, target, access level and data
 * stewards live on the server (docs/measures.md), never in the shared
 * document: the board holds only what every member may read.
 */
export interface IndicatorEntity {
  kind: 'indicator';
  id: string;
  name: string;
  definition: string;
  /** A unit kind of machines/measures/units.ts (percent, count, …) or a custom label. */
  unit: string;
  direction: IndicatorDirection;
  /** How often it is reported: a value's period follows from it. */
  frequency: Frequency;
  /** The groups its values are broken down by ("North district", "Under 5"), besides the whole population. */
  subgroups: string[];
}

export interface GroupEntity {
  kind: 'group';
  id: string;
  name: string;
  groupKind: GroupKind;
  /** The group this one belongs to (a subgroup's working group, a sub-initiative's parts). */
  parentId: string | null;
  strategyIds: string[];
  /** The shared measures this group works to move. */
  indicatorIds: string[];
  memberIds: string[];
  leadIds: string[];
  /** The real sub-initiative a 'sub-initiative' group stands for: an initiative id ('' for none). */
  initiativeId: string;
}

/** A backbone: the initiative's own (scopeId null), or a sub-initiative's. */
export interface BackboneEntity {
  kind: 'backbone';
  id: string;
  name: string;
  scopeId: string | null;
  structure: BackboneStructure | null;
  /** Who carries each function: stakeholder ids. */
  functions: Record<BackboneFunction, string[]>;
}

/**
 * A sticky note: words put on a board before the group decides what they are
 * (a brainstorm's ideas). It sits on any board and can be turned into a typed
 * card of that board, keeping its text. No workflow step counts a note.
 */
export interface NoteEntity {
  kind: 'note';
  id: string;
  text: string;
  colour: NoteColour;
  /** Who wrote it, as plain words ("" when not said). */
  author: string;
  /** The heading it is grouped under when notes are revealed: an author or a sector ("" when none). */
  group: string;
}

export type Entity =
  | StakeholderEntity
  | RelationshipEntity
  | EffortEntity
  | BoundaryEntity
  | ProblemEntity
  | SourceEntity
  | BaselineEntity
  | GoalEntity
  | StrategyEntity
  | ActivityEntity
  | PrincipleEntity
  | EvaluationEntity
  | IndicatorEntity
  | GroupEntity
  | BackboneEntity
  | NoteEntity;

export type EntityKind = Entity['kind'];
export type EntityOf<K extends EntityKind> = Extract<Entity, { kind: K }>;

export const ENTITY_KINDS = [
  'stakeholder',
  'relationship',
  'effort',
  'boundary',
  'problem',
  'source',
  'baseline',
  'goal',
  'strategy',
  'activity',
  'principle',
  'evaluation',
  'indicator',
  'group',
  'backbone',
  'note',
] as const satisfies readonly EntityKind[];

export const ENTITY_KIND_LABELS: Record<EntityKind, string> = {
  stakeholder: 'Stakeholder',
  relationship: 'Relationship',
  effort: 'Existing effort',
  boundary: 'Boundary item',
  problem: 'Problem description',
  source: 'Research source',
  baseline: 'Baseline data',
  goal: 'Goal',
  strategy: 'Strategy',
  activity: 'Activity',
  principle: 'Principle',
  evaluation: 'Evaluation approach',
  indicator: 'Indicator',
  group: 'Group',
  backbone: 'Backbone',
  note: 'Sticky note',
};

/** Kinds of which an initiative has exactly one, under a fixed id equal to the kind. */
export const SINGLETON_KINDS = ['problem', 'goal', 'evaluation'] as const satisfies readonly EntityKind[];

/**
 * The framework board's cards, sticky notes aside: what a saved version of the
 * strategic action framework keeps (./framework/types.ts).
 */
export const FRAMEWORK_CARD_KINDS = [
  'problem',
  'source',
  'baseline',
  'goal',
  'strategy',
  'activity',
  'principle',
  'evaluation',
  'indicator',
] as const satisfies readonly EntityKind[];

/** Which kinds each board places. An entity on two boards is one entity. Sticky notes sit on every board. */
export const BOARD_KINDS: Record<Board, readonly EntityKind[]> = {
  stakeholders: ['stakeholder', 'effort', 'relationship', 'note'],
  boundaries: ['boundary', 'note'],
  framework: [...FRAMEWORK_CARD_KINDS, 'note'],
  governance: ['group', 'backbone', 'strategy', 'note'],
};

export interface Position {
  x: number;
  y: number;
}

/**
 * The plain reading of a whole initiative: every entity by kind (sorted by id,
 * dangling references removed) and every board's placements.
 */
export interface InitiativeModel {
  entities: { [K in EntityKind]: EntityOf<K>[] };
  placements: Record<Board, Record<string, Position>>;
  /**
   * How many current, non-rejected values each indicator has (by id). Not in
   * the document: readModel answers {} and the server fills it from its store.
   */
  measured: Record<string, number>;
}
