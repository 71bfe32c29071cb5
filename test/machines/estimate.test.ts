import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  describeThresholdChange,
  estimateFirstPhases,
  SCOPE_ANSWERS,
  SCOPE_QUESTION_INFO,
  SCOPE_QUESTIONS,
  THRESHOLD_INFO,
  THRESHOLD_NAMES,
  validateThresholds,
  type ScopeAnswers,
} from '../../machines/index.ts';

describe('estimateFirstPhases', () => {
  it('gives six to ten months for a focused problem with established collaboration and narrow engagement', () => {
    const estimate = estimateFirstPhases({ problem: 'focused', collaboration: 'established', engagement: 'narrow' });
    expect(estimate).toEqual({
      answered: true,
      minMonths: 6,
      maxMonths: 10,
      summary: 'About 6 to 10 months for Phase I and Phase II.',
      reasons: [
        'Scope of the problem: the problem is focused (one issue in one community), which adds 0 to 2 months.',
        'Existing collaboration: partners already work together on the issue, so the initiative builds on it, which adds 0 to 1 month.',
        'Breadth of community engagement: engagement is mostly with organisations, which adds 0 to 1 month.',
        'Starting from the six-month minimum, Phase I and Phase II together should take 6 to 10 months; Phase III can last a decade or more.',
      ],
    });
  });

  it('reaches two years for a broad problem, no collaboration yet and broad engagement', () => {
    const estimate = estimateFirstPhases({ problem: 'broad', collaboration: 'none', engagement: 'broad' });
    expect([estimate.minMonths, estimate.maxMonths]).toEqual([16, 24]);
    expect(estimate.summary).toBe('About 16 to 24 months for Phase I and Phase II.');
    expect(estimate.reasons[1]).toBe(
      'Existing collaboration: organisations work alone today, so trust has to be built from the start, which adds 3 to 6 months.',
    );
  });

  it('stays within six months and two years for every combination of answers, and grows with each answer', () => {
    const combos: ScopeAnswers[] = SCOPE_ANSWERS.problem.flatMap((problem) =>
      SCOPE_ANSWERS.collaboration.flatMap((collaboration) =>
        SCOPE_ANSWERS.engagement.map((engagement) => ({ problem, collaboration, engagement })),
      ),
    );
    expect(combos).toHaveLength(27);
    for (const scope of combos) {
      const { minMonths, maxMonths, reasons } = estimateFirstPhases(scope);
      expect(minMonths).toBeGreaterThanOrEqual(6);
      expect(maxMonths).toBeLessThanOrEqual(24);
      expect(minMonths).toBeLessThan(maxMonths);
      expect(reasons).toHaveLength(4);
    }
    // Each question's answers are ordered from quickest to slowest.
    for (const question of SCOPE_QUESTIONS) {
      const months = Object.values(SCOPE_QUESTION_INFO[question].answers).map((a) => a.months);
      for (let i = 1; i < months.length; i++) {
        expect(months[i][0]).toBeGreaterThanOrEqual(months[i - 1][0]);
        expect(months[i][1]).toBeGreaterThan(months[i - 1][1]);
      }
    }
  });

  it('is honest about unanswered questions: the widest range, and says so', () => {
    expect(estimateFirstPhases(null)).toEqual({
      answered: false,
      minMonths: 6,
      maxMonths: 24,
      summary: 'Between 6 and 24 months for Phase I and Phase II until the scope questions are answered.',
      reasons: [
        'Scope of the problem: not answered yet, so it counts as anywhere from 0 to 8 months.',
        'Existing collaboration: not answered yet, so it counts as anywhere from 0 to 6 months.',
        'Breadth of community engagement: not answered yet, so it counts as anywhere from 0 to 4 months.',
        'Starting from the six-month minimum, Phase I and Phase II together should take 6 to 24 months; Phase III can last a decade or more.',
      ],
    });
    const partial = estimateFirstPhases({ problem: 'moderate' });
    expect(partial.answered).toBe(false);
    expect([partial.minMonths, partial.maxMonths]).toEqual([8, 21]);
  });
});

describe('thresholds', () => {
  it('accepts a change of known thresholds within their ranges', () => {
    expect(validateThresholds({ minStakeholders: 12, maxIndicators: 8, minEfforts: 0 })).toEqual([]);
  });

  it('refuses an empty change, unknown names and values out of range, in words', () => {
    expect(validateThresholds({})).toEqual(['Say which threshold to change.']);
    expect(validateThresholds({ minLuck: 3 })).toEqual([
      `There is no threshold "minLuck". Known thresholds: ${THRESHOLD_NAMES.join(', ')}.`,
    ]);
    expect(validateThresholds({ minStakeholders: 0, minSectors: 2.5, minStrategies: 1, maxIndicators: '8' })).toEqual([
      'Minimum stakeholders on the map must be a whole number from 1 to 500 (got 0).',
      'Minimum sectors on the map must be a whole number from 1 to 9 (got 2.5).',
      'Minimum key strategies must be a whole number from 2 to 50 (got 1).',
      'Maximum shared measures must be a whole number from 1 to 100 (got "8").',
    ]);
  });

  it('has every default within its own range', () => {
    for (const name of THRESHOLD_NAMES) {
      const { min, max } = THRESHOLD_INFO[name];
      expect(DEFAULT_THRESHOLDS[name]).toBeGreaterThanOrEqual(min);
      expect(DEFAULT_THRESHOLDS[name]).toBeLessThanOrEqual(max);
    }
  });

  it('describes a change, before and after', () => {
    expect(describeThresholdChange(DEFAULT_THRESHOLDS, { maxIndicators: 8, minStakeholders: 12 })).toEqual([
      'Minimum stakeholders on the map: 8 → 12.',
      'Maximum shared measures: 12 → 8.',
    ]);
  });
});
