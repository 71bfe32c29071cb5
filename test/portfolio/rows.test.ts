import { describe, expect, it } from 'vitest';
import { STAGE_LABELS } from '../../machines/stages.ts';
import type { PortfolioRow } from '../../src/contract/portfolio.ts';
import { csvCell, portfolioCsv } from '../../src/portfolio/csv.ts';
import { NO_FILTERS, TREE_ORDER, applyEvent, keepUnchanged, shownRows } from '../../src/portfolio/rows.ts';

const NOW = Date.parse('2026-06-01T00:00:00Z');

function row(id: string, parentId: string | null, change: Partial<PortfolioRow> = {}): PortfolioRow {
  return {
    id,
    name: id,
    parentId,
    stage: 'initiate',
    progress: { met: 1, total: 4 },
    stageSince: '2026-01-01T00:00:00Z',
    estimate: { minMonths: 6, maxMonths: 18, answered: true },
    reportCard: null,
    unmet: 0,
    lastWorkshop: null,
    lastActivityAt: '2026-05-01T00:00:00Z',
    role: 'lead',
    ...change,
  };
}

const card = (share: number, measures: number, previousShare: number | null = null) => ({
  year: 2025,
  share,
  previousShare,
  measures,
  trendingRight: Math.round(share * measures),
});

const ROWS = [
  row('Zeta', null, { stage: 'organize', reportCard: card(0.5, 4, 0.25) }),
  row('Alpha', 'Zeta', { unmet: 2, reportCard: card(1, 2) }),
  row('Beta', 'Zeta', { stage: 'sustain', role: null }),
  row('Gamma', 'Beta', {
    stage: 'readiness',
    reportCard: card(0, 2),
    lastWorkshop: { id: 'w', title: 'Kick-off summit', date: '2026-03-01', status: 'ended', attended: 9 },
  }),
  row('Other', null),
];

describe('the dashboard rows', () => {
  it('shows parents above their sub-initiatives, with the roll-up over every initiative below', () => {
    const shown = shownRows(ROWS, NO_FILTERS, TREE_ORDER);
    expect(shown.map((s) => [s.row.id, s.depth])).toEqual([
      ['Other', 0],
      ['Zeta', 0],
      ['Alpha', 1],
      ['Beta', 1],
      ['Gamma', 2],
    ]);
    const zeta = shown.find((s) => s.row.id === 'Zeta')!;
    expect(zeta.rollUp?.below).toBe(3);
    expect(zeta.rollUp?.stages).toEqual({ readiness: 1, initiate: 1, organize: 0, sustain: 1 });
    // Alpha 2 of 2 right, Gamma 0 of 2: 2 of 4.
    expect(zeta.rollUp?.share).toBe(0.5);
    expect(shown.find((s) => s.row.id === 'Alpha')!.rollUp).toBeNull();
    expect(shown.find((s) => s.row.id === 'Gamma')!.parentName).toBe('Beta');
  });

  it('filters by stage, words, unmet conditions and subtree, roll-ups unchanged', () => {
    expect(shownRows(ROWS, { ...NO_FILTERS, stage: 'initiate' }, TREE_ORDER).map((s) => s.row.id)).toEqual([
      'Other',
      'Alpha',
    ]);
    expect(shownRows(ROWS, { ...NO_FILTERS, text: 'kick SUMMIT' }, TREE_ORDER).map((s) => s.row.id)).toEqual(['Gamma']);
    expect(shownRows(ROWS, { ...NO_FILTERS, unmetOnly: true }, TREE_ORDER).map((s) => s.row.id)).toEqual(['Alpha']);
    const under = shownRows(ROWS, { ...NO_FILTERS, subtree: 'Beta' }, TREE_ORDER);
    expect(under.map((s) => s.row.id)).toEqual(['Beta', 'Gamma']);
    expect(under[0]!.rollUp?.below).toBe(1);
  });

  it('sorts by a column either way, rows without the figure last', () => {
    const byShare = (descending: boolean) =>
      shownRows(ROWS, NO_FILTERS, { key: 'share', descending }).map((s) => s.row.id);
    expect(byShare(true)).toEqual(['Alpha', 'Zeta', 'Gamma', 'Other', 'Beta']);
    expect(byShare(false)).toEqual(['Gamma', 'Zeta', 'Alpha', 'Other', 'Beta']);
    expect(shownRows(ROWS, NO_FILTERS, { key: 'stage', descending: false }).map((s) => s.row.id)).toEqual([
      'Gamma',
      'Other',
      'Alpha',
      'Zeta',
      'Beta',
    ]);
  });

  it('takes a live event: rows replaced by id, removed ids dropped, new rows added', () => {
    const next = applyEvent(ROWS, [row('Alpha', 'Zeta', { unmet: 0 }), row('New', 'Zeta')], ['Other']);
    expect(next.map((r) => r.id)).toEqual(['Zeta', 'Alpha', 'Beta', 'Gamma', 'New']);
    expect(next.find((r) => r.id === 'Alpha')!.unmet).toBe(0);
  });

  it('keeps the objects of unchanged rows when the whole list is read again', () => {
    const again = ROWS.map((r) => structuredClone(r));
    again[1] = { ...again[1]!, unmet: 5 };
    const kept = keepUnchanged(ROWS, again);
    expect(kept.map((r, i) => r === ROWS[i])).toEqual([true, false, true, true, true]);
    expect(kept[1]!.unmet).toBe(5);
  });
});

describe('the CSV export', () => {
  it('quotes every cell and keeps formulas as text', () => {
    expect(csvCell('Plain')).toBe('"Plain"');
    expect(csvCell('Say "hi", twice')).toBe('"Say ""hi"", twice"');
    for (const start of ['=', '+', '-', '@']) expect(csvCell(`${start}1+1`)).toBe(`"'${start}1+1"`);
    expect(csvCell('\t=cmd')).toBe(`"'\t=cmd"`);
    expect(csvCell(null)).toBe('""');
    expect(csvCell(3)).toBe('"3"');
  });

  it('writes the rows as shown, one line each, with the figures', () => {
    const shown = shownRows([...ROWS, row('=HYPERLINK("x")', 'Zeta')], { ...NO_FILTERS, subtree: 'Zeta' }, TREE_ORDER);
    const lines = portfolioCsv(shown, NOW).trimEnd().split('\r\n');
    expect(lines).toHaveLength(1 + 5);
    expect(lines[0]).toMatch(/^"Initiative","Initiative id","Under","Stage","Steps met"/);
    const zeta = lines[1]!.split('","');
    expect(zeta.slice(1, 4)).toEqual(['Zeta', '', STAGE_LABELS.organize]);
    expect(zeta.slice(4, 6)).toEqual(['1', '4']);
    expect(zeta.slice(10, 13)).toEqual(['2025', '0.50', '0.25']);
    expect(zeta.at(-2)).toBe('4');
    expect(lines.some((l) => l.startsWith(`"'=HYPERLINK(""x"")"`))).toBe(true);
  });
});
