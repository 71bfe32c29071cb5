/**
 * When two relationships are the same one: the one rule that the stakeholder
 * map, its panel, the schema's reading of a document and the first stakeholder
 * API all apply. Pure: no Yjs, no React.
 *
 * A relationship is its kind and its two parties. "Partners with" reads the
 * same both ways, so A partners with B repeats B partners with A; the other
 * kinds have a direction (A funds B is not B funds A). Two parties may be
 * joined by several kinds at once (a funder that is also a partner).
 */
import type { RelationKind, RelationshipEntity } from './entities.ts';

/** The kinds that read the same both ways. */
export const SYMMETRIC_RELATIONS: readonly RelationKind[] = ['partners'];

export type RelationshipEnds = Pick<RelationshipEntity, 'source' | 'target' | 'relation'>;

/** A key equal for two relationships exactly when they are the same relationship. */
export function relationshipKey({ source, target, relation }: RelationshipEnds): string {
  const swap = SYMMETRIC_RELATIONS.includes(relation) && target < source;
  return swap ? `${relation} ${target} ${source}` : `${relation} ${source} ${target}`;
}

/** The relationship among `existing` that `candidate` would repeat, if any. */
export function sameRelationship<T extends RelationshipEnds>(
  existing: readonly T[],
  candidate: RelationshipEnds,
): T | undefined {
  const key = relationshipKey(candidate);
  return existing.find((r) => relationshipKey(r) === key);
}
