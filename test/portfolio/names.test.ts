import { describe, expect, it } from 'vitest';
import { COLLATION_ORDER, compareNames } from '../../src/portfolio/names.ts';
import { prng } from '../../bench/canvas/graph.ts';

const sign = (n: number) => Math.sign(n);

describe('compareNames', () => {
  it('orders every pair of handled characters as localeCompare does', () => {
    const chars = [...COLLATION_ORDER, ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'];
    for (const a of chars) for (const b of chars) expect(sign(compareNames(a, b)), `${a} ${b}`).toBe(sign(a.localeCompare(b)));
  });

  it('orders random names (ASCII, with case, prefixes and some accents) as localeCompare does', () => {
    const random = prng(13);
    const alphabet = `${COLLATION_ORDER}ABCDEFGHIJKLMNOPQRSTUVWXYZ`;
    const pieces = ['Schools', 'schools', 'School', 'level 2', 'city-wide', 'É', 'é', 'ø', 'Ä', 'ß', ' ', '-'];
    const name = () => {
      let s = '';
      const parts = 1 + Math.floor(random() * 4);
      for (let p = 0; p < parts; p++) {
        s +=
          random() < 0.5
            ? pieces[Math.floor(random() * pieces.length)]!
            : alphabet[Math.floor(random() * alphabet.length)]!;
      }
      return s;
    };
    const names = Array.from({ length: 600 }, name);
    for (let i = 0; i + 1 < names.length; i++) {
      const [a, b] = [names[i]!, names[i + 1]!];
      expect(sign(compareNames(a, b)), `${a} | ${b}`).toBe(sign(a.localeCompare(b)));
    }
    const sorted = [...names].sort(compareNames);
    expect(sorted).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  });

  it('hands a name with anything else to localeCompare', () => {
    expect(sign(compareNames('Éveil', 'Ecole'))).toBe(sign('Éveil'.localeCompare('Ecole')));
    expect(sign(compareNames('Zebra', 'Ärzte'))).toBe(sign('Zebra'.localeCompare('Ärzte')));
  });
});
