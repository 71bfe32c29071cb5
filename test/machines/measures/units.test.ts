/** Units and the values they admit (machines/measures/units.ts). */
import { describe, expect, it } from 'vitest';
import { formatValue, normaliseUnit, readNumber, UNIT_KINDS, unitKind, unitLabel, valueProblem } from '../../../machines/measures/index.ts';

describe('valueProblem', () => {
  it('a percent lies within 0 to 100, ends included', () => {
    for (const v of [0, 0.5, 24.7, 100]) expect(valueProblem(v, 'percent'), String(v)).toBeNull();
    expect(valueProblem(-999999, 'percent')).toBe('A percent lies between 0 and 100 (-999999 given).');
    expect(valueProblem(100.01, 'percent')).toBe('A percent lies between 0 and 100 (100.01 given).');
  });

  it('a count is a whole number, 0 or more', () => {
    for (const v of [0, 1, 1250, 1e6]) expect(valueProblem(v, 'count'), String(v)).toBeNull();
    expect(valueProblem(2.5, 'count')).toBe('A count is a whole number, 0 or more (2.5 given).');
    expect(valueProblem(-1, 'count')).toBe('A count is a whole number, 0 or more (-1 given).');
  });

  it('a rate per 1,000 lies within 0 to 1,000', () => {
    for (const v of [0, 3.1, 1000]) expect(valueProblem(v, 'rate'), String(v)).toBeNull();
    expect(valueProblem(-0.1, 'rate')).toBe('A rate per 1,000 lies between 0 and 1,000 (-0.1 given).');
    expect(valueProblem(1000.5, 'rate')).toBe('A rate per 1,000 lies between 0 and 1,000 (1000.5 given).');
  });

  it('currency, score and a custom unit take any finite number, negative and fractional too', () => {
    for (const unit of ['currency', 'score', 'visits', '']) {
      for (const v of [-250.75, 0, 1e9]) expect(valueProblem(v, unit), `${v} ${unit}`).toBeNull();
    }
  });

  it('no unit takes what is not a finite number', () => {
    for (const unit of [...UNIT_KINDS, 'visits']) {
      for (const v of [Number.NaN, Infinity, -Infinity, '12' as unknown as number]) {
        expect(valueProblem(v, unit), `${String(v)} ${unit}`).toBe('Enter a number.');
      }
    }
  });
});

describe('normaliseUnit', () => {
  it('reads the units typed before units had kinds', () => {
    const cases: [string, string][] = [
      ['%', 'percent'],
      [' Percentage ', 'percent'],
      ['#', 'count'],
      ['Number', 'count'],
      ['per 1000', 'rate'],
      ['Rate per 1,000', 'rate'],
      ['Score', 'score'],
    ];
    for (const [typed, kind] of cases) expect(normaliseUnit(typed), typed).toBe(kind);
  });

  it('keeps a kind as it is, whatever its case', () => {
    for (const kind of UNIT_KINDS) {
      expect(normaliseUnit(kind)).toBe(kind);
      expect(normaliseUnit(kind.toUpperCase())).toBe(kind);
    }
  });

  it('keeps anything else as a custom label, trimmed', () => {
    expect(normaliseUnit('  visits ')).toBe('visits');
    expect(normaliseUnit('Tonnes CO2')).toBe('Tonnes CO2');
    expect(normaliseUnit('')).toBe('');
  });
});

describe('naming and writing units', () => {
  it('tells kinds from custom labels', () => {
    expect(unitKind('rate')).toBe('rate');
    expect(unitKind('%')).toBeNull();
    expect(unitLabel('rate')).toBe('Rate per 1,000');
    expect(unitLabel('visits')).toBe('visits');
  });

  it('writes a value with its unit', () => {
    expect(formatValue(24, 'percent')).toBe('24 %');
    expect(formatValue(1250, 'count')).toBe('1,250');
    expect(formatValue(3.14159, 'rate')).toBe('3.14 per 1,000');
    expect(formatValue(12, 'visits')).toBe('12 visits');
    expect(formatValue(7.5, '')).toBe('7.5');
  });
});

describe('readNumber: the one rule for a typed value (grid, settings, CSV)', () => {
  it('takes plain decimal numbers with a point, a sign and an exponent', () => {
    const cases: [string, number][] = [
      ['12.5', 12.5],
      ['-3', -3],
      ['+4', 4],
      ['0', 0],
      ['.5', 0.5],
      ['7.', 7],
      ['1e3', 1000],
      ['2.5E-2', 0.025],
      [' 42 ', 42],
    ];
    for (const [text, value] of cases) expect(readNumber(text), text).toEqual({ value });
  });

  it('refuses a decimal comma or thousands separator, saying why', () => {
    expect(readNumber('12,5')).toEqual({ problem: 'Enter a number with a point for decimals and no thousands separator (“12,5” has a comma).' });
    expect(readNumber('1,250')).toEqual({ problem: 'Enter a number with a point for decimals and no thousands separator (“1,250” has a comma).' });
  });

  it('refuses an empty value, words, units and what JavaScript alone would read as a number', () => {
    expect(readNumber('')).toEqual({ problem: 'Enter a number: the value is empty.' });
    expect(readNumber('   ')).toEqual({ problem: 'Enter a number: the value is empty.' });
    for (const text of ['abc', '24%', '12 500', '0x10', 'Infinity', 'NaN', '1e', '--1', '1.2.3', '€30']) {
      expect(readNumber(text), text).toEqual({ problem: `Enter a number (“${text}” is not one).` });
    }
    expect(readNumber('1e400')).toEqual({ problem: 'Enter a number (“1e400” is too large).' });
  });
});
