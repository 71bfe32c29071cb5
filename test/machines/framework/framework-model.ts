/**
 * A strategic action framework as plain data (the Meadow County example of
 * docs/domain.md), for the snapshot and diff tests: one card of every kind,
 * placed on the framework board, plus a sticky note and a stakeholder.
 */
import { blankModel } from '../../../machines/evaluation.ts';
import type { Entity, InitiativeModel } from '../../../machines/entities.ts';

export function meadowFramework(): InitiativeModel {
  const model = blankModel();
  const e = model.entities;
  e.problem[0].description = 'One in four ninth graders in Meadow County vapes.';
  e.goal[0].statement = 'Halve youth vaping by 2030.';
  e.evaluation[0].approach = 'Developmental evaluation with the youth council.';
  const cards: Entity[] = [
    { kind: 'stakeholder', id: 'st-clinic', name: 'County clinic', organisation: 'Health dept', sector: 'health', role: 'partner', influence: 3, interest: 4 },
    { kind: 'source', id: 'src-survey', title: 'Youth risk survey 2024', reference: 'https://example.org/yrbs' },
    { kind: 'baseline', id: 'bl-vaping', statement: 'Ninth graders who vape', value: '24 %', source: 'YRBS', date: '2024-05-01' },
    { kind: 'strategy', id: 'sg-age', name: 'Raise the tobacco age', description: 'Work with the council.', horizon: 'long-term', indicatorIds: ['in-use', 'in-sales'], servesId: '' },
    { kind: 'strategy', id: 'sg-school', name: 'Vape-free schools', description: '', horizon: 'short-term', indicatorIds: [], servesId: '' },
    { kind: 'activity', id: 'ac-hearing', name: 'Council hearing', strategyId: 'sg-age', ownerIds: ['st-clinic'] },
    { kind: 'principle', id: 'pr-youth', statement: 'Young people decide with us' },
    { kind: 'indicator', id: 'in-sales', name: 'Sales to minors', definition: 'Compliance checks failed', unit: 'percent', direction: 'decrease', frequency: 'yearly', subgroups: [] },
    { kind: 'indicator', id: 'in-use', name: 'Youth vaping', definition: 'Past-30-day use', unit: 'percent', direction: 'decrease', frequency: 'yearly', subgroups: ['North', 'South'] },
    { kind: 'note', id: 'nt-idea', text: 'Ask the pharmacies', colour: 'yellow', author: '', group: '' },
  ];
  for (const card of cards) (e[card.kind] as Entity[]).push(card);
  for (const list of Object.values(e)) (list as Entity[]).sort((a, b) => (a.id < b.id ? -1 : 1));
  const framework = ['problem', 'goal', 'evaluation', 'src-survey', 'bl-vaping', 'sg-age', 'sg-school', 'ac-hearing', 'pr-youth', 'in-sales', 'in-use', 'nt-idea'];
  framework.forEach((id, i) => (model.placements.framework[id] = { x: 40 + 240 * (i % 4), y: 40 + 160 * Math.floor(i / 4) }));
  model.placements.governance['sg-age'] = { x: 10, y: 10 };
  model.placements.stakeholders['st-clinic'] = { x: 5, y: 5 };
  return model;
}

/** The card `id` of `model`, to change in place. */
export function card<T = Record<string, unknown>>(model: InitiativeModel, id: string): T {
  for (const list of Object.values(model.entities)) {
    const found = (list as Entity[]).find((x) => x.id === id);
    if (found) return found as unknown as T;
  }
  throw new Error(`No card ${id}`);
}
