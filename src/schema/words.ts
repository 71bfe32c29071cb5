/**
 * The words people see for fields (the card's side panel, docs/domain.md vocabulary).
 * They live with the schema so that a problem found in an imported file names a
 * field exactly as the panel does.
 */
import type { EntityKind } from '../../machines/entities.ts';

const FIELD_WORDS: Record<string, string> = {
  name: 'Name',
  organisation: 'Organisation',
  sector: 'Sector',
  role: 'Role',
  influence: 'Influence',
  interest: 'Interest',
  relation: 'Relationship',
  source: 'From',
  target: 'To',
  description: 'Description',
  stakeholderIds: 'Stakeholders involved',
  label: 'Label',
  dimension: 'Dimension',
  side: 'Side',
  rationale: 'Rationale',
  title: 'Title',
  reference: 'Reference (link or citation)',
  statement: 'Statement',
  value: 'Value',
  date: 'Date',
  horizon: 'Horizon',
  indicatorIds: 'Indicators',
  strategyId: 'Strategy',
  ownerIds: 'Owners',
  approach: 'Approach to evaluation',
  definition: 'Definition',
  unit: 'Unit',
  direction: 'Direction',
  baseline: 'Baseline',
  measurements: 'Measurements',
  frequency: 'Reporting frequency',
  subgroups: 'Subgroups',
  groupKind: 'Kind of group',
  parentId: 'Part of',
  strategyIds: 'Strategies',
  memberIds: 'Members',
  leadIds: 'Leads',
  scopeId: 'Backbone of',
  structure: 'Structure',
  functions: 'Backbone functions',
  text: 'Text',
  colour: 'Colour',
  author: 'Written by',
  group: 'Group',
  initiativeId: 'Linked sub-initiative',
  servesId: 'Serves',
};

const KIND_FIELD_WORDS: Partial<Record<EntityKind, Record<string, string>>> = {
  baseline: { source: 'Source' },
  indicator: { target: 'Target' },
  goal: { statement: 'Goal for the desired change' },
  problem: { description: 'Problem description' },
  stakeholder: { influence: 'Influence (1–5)', interest: 'Interest (1–5)' },
};

/** A field's name in the words people see in the card's panel: `Influence (1–5)`, `From`, `Part of`. */
export function fieldWord(kind: EntityKind, field: string): string {
  return KIND_FIELD_WORDS[kind]?.[field] ?? FIELD_WORDS[field] ?? field;
}

/** The same word inside a sentence: `influence`, `from`, `part of`. */
export function fieldWordInSentence(kind: EntityKind, field: string): string {
  return fieldWord(kind, field)
    .replace(/\s*\(.*\)$/, '')
    .toLowerCase();
}
