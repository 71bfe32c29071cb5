/**
 * What the measures screens read and write without a browser: a value typed
 * in a grid cell, a signed change, the report card's words (the share with one
 * decimal, restricted measures without values, nothing typed rendered as
 * HTML), and the router's measures paths.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { indicatorPath, matchRoute, measuresPath } from '../../src/kit/router.ts';
import { readNumber } from '../../machines/measures/units.ts';
import { signed } from '../../src/measures/indicators.ts';
import { ReportCardView } from '../../src/measures/ReportCardView.tsx';
import { readStory } from '../../src/measures/StoryForm.tsx';
import type { ReportCardAnswer } from '../../src/contract/measureAccess.ts';

describe('a value typed in a cell', () => {
  it('follows the rule of a CSV file: a point for decimals, in the same words', () => {
    // The grid and the settings read with the function the server reads a CSV value with.
    expect(readNumber('41.2')).toEqual({ value: 41.2 });
    expect(readNumber(' 43 ')).toEqual({ value: 43 });
    expect(readNumber('41,2')).toEqual({
      problem: 'Enter a number with a point for decimals and no thousands separator (“41,2” has a comma).',
    });
    expect(readNumber('12abc')).toEqual({ problem: 'Enter a number (“12abc” is not one).' });
  });
});

describe('a signed change', () => {
  it('writes its sign, a true minus, and rounds', () => {
    expect(signed(2.5)).toBe('+2.5');
    expect(signed(-1)).toBe('−1');
    expect(signed(0.001)).toBe('0');
    expect(signed(1234.567)).toBe('+1,234.57');
  });
});

describe('the report card', () => {
  const card: ReportCardAnswer = {
    rule: 'The rule <b>as the server says it</b>.',
    years: [
      { year: 2024, measures: 34, trendingRight: 10, share: 10 / 34 },
      { year: 2025, measures: 34, trendingRight: 14, share: 14 / 34 },
    ],
    indicators: [
      {
        id: 'a',
        name: '<img src=x onerror=alert(1)>',
        direction: 'increase',
        latest: { date: '2025-01-01', value: 41.2 },
        trend: 'right',
        restricted: false,
      },
      { id: 'b', name: 'Hidden', direction: 'decrease', latest: null, trend: null, restricted: true },
    ],
  };
  const html = renderToStaticMarkup(
    createElement(ReportCardView, {
      card,
      info: new Map([['a', { unit: 'percent', frequency: 'yearly' as const }]]),
      headingId: 'h',
    }),
  );
  it('gives each year its share with one decimal, newest first', () => {
    expect(html).toContain('41.2 %');
    expect(html.indexOf('<th scope="row">2025</th>')).toBeLessThan(html.indexOf('<th scope="row">2024</th>'));
    expect(html).toContain('29.4 %');
  });
  it('names a restricted measure as restricted, without values', () => {
    const hidden = html.slice(html.indexOf('Hidden'));
    expect(hidden).toContain('Restricted');
    expect(hidden).not.toContain('No value yet');
  });
  it('renders nothing typed as HTML', () => {
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('the measures routes', () => {
  it('round-trips the measures, indicator and report paths', () => {
    expect(matchRoute(measuresPath('i 1'))).toEqual({ name: 'measures', id: 'i 1' });
    expect(matchRoute(indicatorPath('i1', 'ind/x'))).toEqual({ name: 'indicator', id: 'i1', indicatorId: 'ind/x' });
    expect(matchRoute('/report/tok123')).toEqual({ name: 'report', token: 'tok123' });
  });
});

describe('a story written from the grid', () => {
  it('goes with a value, read by the grid’s rule and within the unit', () => {
    expect(readStory('', 'The clinic opened.', null, 'percent')).toBe('The story goes with the period’s value: enter the value too.');
    expect(readStory('41,2', 'The clinic opened.', null, 'percent')).toBe(
      'Enter a number with a point for decimals and no thousands separator (“41,2” has a comma).',
    );
    expect(readStory('140', 'The clinic opened.', null, 'percent')).toMatch(/100/);
    expect(readStory(' 41.2 ', '  The clinic opened.  ', null, 'percent')).toEqual({ value: 41.2, note: 'The clinic opened.' });
  });

  it('says something, and changes something', () => {
    expect(readStory('41.2', '   ', null, 'percent')).toBe('Write what happened in this period, or cancel.');
    const current = { value: 41.2, note: 'The clinic opened.' };
    expect(readStory('41.2', 'The clinic opened.', current, 'percent')).toBe('Nothing changed: change the value or the story, or cancel.');
    // Clearing the story of a value that had one is a change.
    expect(readStory('41.2', '', current, 'percent')).toEqual({ value: 41.2, note: '' });
    expect(readStory('41.3', 'The clinic opened.', current, 'percent')).toEqual({ value: 41.3, note: 'The clinic opened.' });
  });
});
