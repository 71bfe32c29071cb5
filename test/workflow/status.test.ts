import { describe, expect, it } from 'vitest';
import { evaluatePhases, DEFAULT_THRESHOLDS, type Phase } from '../../machines/index.ts';
import { cellStatus, phaseReached } from '../../src/workflow/status.ts';
import { allBuilt, phaseOneBuilt } from '../machines/models.ts';

const context = { thresholds: DEFAULT_THRESHOLDS, confirmations: {} };

describe('the phase matrix cells', () => {
  it('shows a phase not reached yet as not started, even when its checks already pass', () => {
    const phases = evaluatePhases(allBuilt().model, context);
    // Phase II's strategic planning is complete on this canvas, but the initiative is in Phase I.
    expect(phases.organize.planning.complete).toBe(true);
    expect(cellStatus(phases.organize.planning, phaseReached('organize', 'initiate'))).toBe('not-started');
    expect(cellStatus(phases.organize.planning, phaseReached('organize', 'organize'))).toBe('met');
    expect(cellStatus(phases.sustain.governance, phaseReached('sustain', 'organize'))).toBe('not-started');
    // During the readiness assessment no phase is reached.
    expect(cellStatus(phases.initiate.governance, phaseReached('initiate', null))).toBe('not-started');
  });

  it('shows reached cells met, in progress or not started from their steps', () => {
    const phases = evaluatePhases(phaseOneBuilt().model, context);
    expect(cellStatus(phases.initiate.governance, true)).toBe('met');
    // Gather baseline data is met; identify key issues and gaps waits for a confirmation.
    expect(cellStatus(phases.initiate.evaluation, true)).toBe('in-progress');
    expect(cellStatus(phases.initiate.community, true)).toBe('not-started');
  });

  it('counts the current phase and every earlier one as reached', () => {
    const reached = (current: Phase | null) =>
      (['initiate', 'organize', 'sustain'] as const).filter((p) => phaseReached(p, current));
    expect(reached(null)).toEqual([]);
    expect(reached('initiate')).toEqual(['initiate']);
    expect(reached('organize')).toEqual(['initiate', 'organize']);
    expect(reached('sustain')).toEqual(['initiate', 'organize', 'sustain']);
  });
});
