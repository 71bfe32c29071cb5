/**
 * The strategic action framework as a saved version holds it (docs/framework.md):
 * the framework board's cards (problem, research sources, baseline data, goal,
 * strategies, activities, principles, evaluation approach, indicators) with
 * their links, copied out of the document into plain data. A version never
 * changes when the canvas does; comparing two readings gives a `FrameworkDiff`.
 */
import { FRAMEWORK_CARD_KINDS, type EntityOf, type Position } from '../entities.ts';

/** The kinds of card a version keeps: every kind of the framework board but sticky notes. */
export const FRAMEWORK_KINDS = FRAMEWORK_CARD_KINDS;
export type FrameworkKind = (typeof FRAMEWORK_KINDS)[number];

export type FrameworkEntity = EntityOf<FrameworkKind>;

export interface FrameworkSnapshot {
  /** Every card of each kind, sorted by id, with every field (links as id lists). */
  entities: { [K in FrameworkKind]: EntityOf<K>[] };
  /** Where each card sat on the framework board, by id: a restore puts them back there. */
  placements: Record<string, Position>;
}

/** A card one side has and the other has not: its kind, its words, and the whole card. */
export interface DiffItem {
  id: string;
  kind: FrameworkKind;
  /** The card's name or first words ("Raise the tobacco age", "Goal"). */
  label: string;
  entity: FrameworkEntity;
}

/** One field of one card that differs: `before` in `from`, `after` in `to` (plain values; links as sorted id lists). */
export interface FieldChange {
  id: string;
  kind: FrameworkKind;
  label: string;
  field: string;
  before: unknown;
  after: unknown;
}

/** `GET …/framework/diff?from&to`: what `to` has that `from` has not, and back, and what changed field by field. */
export interface FrameworkDiff {
  added: DiffItem[];
  removed: DiffItem[];
  changed: FieldChange[];
}
