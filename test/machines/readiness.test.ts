import { describe, expect, it } from 'vitest';
import {
  ASSESSMENT_STATUSES,
  EMPTY_READINESS,
  PRECONDITION_INFO,
  PRECONDITIONS,
  STATUS_LABELS,
  allPreconditionsMet,
  unmetPreconditions,
  type Assessment,
  type AssessmentStatus,
  type ReadinessRecord,
} from '../../machines/index.ts';
import { lead } from './fixtures.ts';

function assessment(status: AssessmentStatus, evidence = 'Seen at the March convening.'): Assessment {
  return { status, evidence, by: lead, at: '2026-11-22T10:00:00.000Z' };
}

const allMet: ReadinessRecord = {
  champion: assessment('met'),
  resources: assessment('met'),
  urgency: assessment('met'),
};

describe('readiness preconditions', () => {
  it('are the three of the literature, champion first, each with a label and guidance', () => {
    expect(PRECONDITIONS).toEqual(['champion', 'resources', 'urgency']);
    expect(PRECONDITIONS.map((p) => PRECONDITION_INFO[p].label)).toEqual([
      'Influential champion',
      'Adequate financial resources',
      'Urgency for change',
    ]);
    for (const p of PRECONDITIONS) expect(PRECONDITION_INFO[p].guidance.length).toBeGreaterThan(40);
    expect(PRECONDITION_INFO.champion.guidance).toContain('most critical');
  });

  it('name every status in words', () => {
    expect(ASSESSMENT_STATUSES.map((s) => STATUS_LABELS[s])).toEqual(['met', 'partly met', 'not met']);
  });
});

describe('unmetPreconditions', () => {
  it('lists all three, in order, before anything is assessed', () => {
    const unmet = unmetPreconditions(EMPTY_READINESS);
    expect(unmet.map((u) => u.precondition)).toEqual(['champion', 'resources', 'urgency']);
    expect(unmet.map((u) => u.message)).toEqual([
      'Influential champion has not been assessed yet.',
      'Adequate financial resources has not been assessed yet.',
      'Urgency for change has not been assessed yet.',
    ]);
    expect(allPreconditionsMet(EMPTY_READINESS)).toBe(false);
  });

  it('is empty once all three are met', () => {
    expect(unmetPreconditions(allMet)).toEqual([]);
    expect(allPreconditionsMet(allMet)).toBe(true);
  });

  it.each(PRECONDITIONS)('explains a partly met %s with its status, its evidence and the way forward', (p) => {
    const readiness = { ...allMet, [p]: assessment('partial', 'Two of five funders pledged.') };
    expect(unmetPreconditions(readiness)).toEqual([
      {
        precondition: p,
        message: `${PRECONDITION_INFO[p].label} is assessed as partly met: "Two of five funders pledged.". It must be met, or the launch needs an override with a reason.`,
      },
    ]);
    expect(allPreconditionsMet(readiness)).toBe(false);
  });

  it.each(PRECONDITIONS)('explains an unmet %s as not met', (p) => {
    const readiness = { ...allMet, [p]: assessment('unmet') };
    const [only, ...rest] = unmetPreconditions(readiness);
    expect(rest).toEqual([]);
    expect(only.precondition).toBe(p);
    expect(only.message).toContain(`${PRECONDITION_INFO[p].label} is assessed as not met`);
    expect(allPreconditionsMet(readiness)).toBe(false);
  });

  it('lists several gaps at once, one per precondition', () => {
    const readiness: ReadinessRecord = { champion: assessment('met'), resources: null, urgency: assessment('unmet') };
    expect(unmetPreconditions(readiness).map((u) => u.precondition)).toEqual(['resources', 'urgency']);
  });
});
