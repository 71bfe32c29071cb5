/**
 * Documents as Convene wrote them before #12 (shared measurement on the
 * server): an indicator held its `measurements` (a Y.Array of { date, value }),
 * its `baseline` and `target` numbers, and a free-text unit ("%"). Built with
 * raw Yjs, as the schema no longer writes these fields.
 */
import * as Y from 'yjs';

export interface LegacyIndicator {
  id: string;
  name: string;
  unit: string;
  direction?: 'increase' | 'decrease';
  baseline: unknown;
  target: unknown;
  measurements: unknown[];
}

/** Writes old-style indicators into `doc` (a strategy links the first, so references are checked too). */
export function writeLegacy(doc: Y.Doc, indicators: LegacyIndicator[]): Y.Doc {
  doc.transact(() => {
    const entities = doc.getMap<Y.Map<unknown>>('entities');
    for (const i of indicators) {
      const entry = new Y.Map<unknown>();
      entities.set(i.id, entry);
      entry.set('kind', 'indicator');
      entry.set('name', new Y.Text(i.name));
      entry.set('definition', new Y.Text(`How we count ${i.name.toLowerCase()}`));
      entry.set('unit', i.unit);
      entry.set('direction', i.direction ?? 'decrease');
      entry.set('baseline', i.baseline);
      entry.set('target', i.target);
      const list = new Y.Array<unknown>();
      list.push(i.measurements);
      entry.set('measurements', list);
    }
    const strategy = new Y.Map<unknown>();
    entities.set('strategy-1', strategy);
    strategy.set('kind', 'strategy');
    strategy.set('name', new Y.Text('Parent education'));
    const ids = new Y.Map<true>();
    strategy.set('indicatorIds', ids);
    ids.set(indicators[0].id, true);
  });
  return doc;
}

/** The rural county coalition's measures, as an older Convene stored them. */
export const LEGACY: LegacyIndicator[] = [
  {
    // Two values in one year, in different quarters: quarterly.
    id: 'ind-binge',
    name: 'Binge drinking rate',
    unit: '%',
    baseline: 24.25,
    target: 16.5,
    measurements: [
      { date: '2023-03-01', value: 21.75 },
      { date: '2024-03-01', value: 19.125 },
      { date: '2024-09-01', value: 18.375 },
    ],
  },
  {
    // One value a year: yearly. A value its unit does not allow comes in for review.
    id: 'ind-youth',
    name: 'Youth in mentoring',
    unit: 'number',
    direction: 'increase',
    baseline: 140,
    target: null,
    measurements: [
      { date: '2022-06-30', value: 151 },
      { date: '2023-06-30', value: 163 },
      { date: '2024-06-30', value: -999999 },
      'junk',
      { date: '2024-02-30', value: 4 },
    ],
  },
  {
    // Two values in one month: monthly, the later one current.
    id: 'ind-visits',
    name: 'Clinic visits',
    unit: 'visits',
    direction: 'increase',
    baseline: null,
    target: 5000,
    measurements: [
      { date: '2025-01-20', value: 4100 },
      { date: '2025-01-05', value: 3900 },
    ],
  },
];

/** Every value LEGACY holds that was a dated number (the board showed no others). */
export const LEGACY_VALUES = 3 + 3 + 2;
