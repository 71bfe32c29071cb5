/**
 * The demo initiative's shared measures (server/demoContent.ts, demoMeasures;
 * server/seed.ts): seeded into the real measure store on first start, so the
 * report card shows real shares, with one public indicator broken down by
 * school district, one restricted with its data steward, stories behind the
 * curve, and nothing of it in the shared document.
 */
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCard } from '../../machines/measures/trend.ts';
import { openDb, type Db } from '../../server/db.ts';
import { SqliteMeasureStore } from '../../server/measures/sqlite.ts';
import type { StoredMeasurement } from '../../server/measures/types.ts';
import { readModel } from '../../src/schema/model.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let db: Db;
let rows: StoredMeasurement[];
let id: string;

beforeAll(async () => {
  h = await startHarness({ demo: true });
  db = openDb(h.dataDir);
  id = h.convene.demo!.initiativeId;
  rows = await new SqliteMeasureStore(db).list(id);
});
afterAll(async () => {
  db.close();
  await h.stop();
});

describe('the demo’s shared measures', () => {
  it('hold seven years of the public measure, by school district too, with stories behind the curve', () => {
    const binge = rows.filter((r) => r.indicator === 'ind-binge');
    const years = (list: StoredMeasurement[]) => [...new Set(list.map((r) => r.date.slice(0, 4)))];
    expect(years(binge)).toEqual(['2019', '2020', '2021', '2022', '2023', '2024', '2025']);
    expect([...new Set(binge.map((r) => r.subgroup))].sort()).toEqual([
      'Central district',
      'North district',
      'South district',
      null,
    ]);
    expect(binge.filter((r) => r.note !== null).map((r) => r.date)).toEqual(['2021-05-01', '2023-05-01', '2025-05-01']);
    expect(binge.every((r) => r.status === 'approved' && r.enteredBy.name === 'Dana Whitfield')).toBe(true);
  });

  it('give one public and one restricted indicator, the restricted one reported by its steward, a member', async () => {
    const settings = await new SqliteMeasureStore(db).settings(id);
    expect([...settings.entries()].map(([indicator, s]) => [indicator, s.access]).sort()).toEqual([
      ['ind-binge', 'public'],
      ['ind-compliance', 'restricted'],
      ['ind-smoking', 'members'],
    ]);
    const [steward] = settings.get('ind-compliance')!.stewards;
    const members = await h.api('GET', `/api/initiatives/${id}/members`);
    expect(members.body).toContainEqual(
      expect.objectContaining({ id: steward, name: 'Sam Ortiz', role: 'participant' }),
    );
    const compliance = rows.filter((r) => r.indicator === 'ind-compliance');
    expect(compliance.every((r) => r.enteredBy.id === steward)).toBe(true);
    // The steward's latest value awaits the lead's review.
    expect(compliance.map((r) => r.status)).toEqual(['approved', 'approved', 'approved', 'approved', 'submitted']);
  });

  it('make a report card with real shares from the first start', () => {
    const series = ['ind-binge', 'ind-smoking', 'ind-compliance'].map((indicator) => ({
      id: indicator,
      name: indicator,
      direction: 'decrease' as const,
      points: rows
        .filter((r) => r.indicator === indicator && r.subgroup === null && r.status !== 'rejected')
        .map((r) => ({ date: r.period, value: r.value })),
    }));
    const card = reportCard(series);
    const share = (year: number) => card.years.find((y) => y.year === year)?.share;
    expect(share(2021)).toBe(0);
    expect(share(2024)).toBe(1);
    expect(share(2025)).toBeCloseTo(1 / 3);
  });

  it('are not in the shared document', async () => {
    await h.convene.rooms.withDoc(id, (doc) => {
      const model = readModel(doc);
      expect(model.entities.indicator.map((i) => [i.id, i.unit, i.frequency])).toEqual([
        ['ind-binge', 'percent', 'yearly'],
        ['ind-compliance', 'percent', 'yearly'],
        ['ind-smoking', 'percent', 'yearly'],
      ]);
      const bytes = Buffer.from(Y.encodeStateAsUpdate(doc)).toString('latin1');
      expect(bytes).not.toContain('Two new retailers');
      expect(bytes).not.toContain('measurements');
    });
  });
});
