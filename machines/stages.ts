/** The four stages of an initiative: the readiness assessment, then the three phases (docs/domain.md). */
import { PHASE_LABELS, type Phase } from './domain.ts';

export const STAGES = ['readiness', 'initiate', 'organize', 'sustain'] as const;
export type Stage = (typeof STAGES)[number];

export const STAGE_LABELS: Record<Stage, string> = {
  readiness: 'Readiness assessment',
  ...PHASE_LABELS,
};

/** The phase after each phase; Phase III is the last. */
export const NEXT_PHASE: Record<Phase, Phase | null> = { initiate: 'organize', organize: 'sustain', sustain: null };

/** The stage of a snapshot's state value (a stage name; older snapshots hold an object keyed by it). */
export function stageOf(value: unknown): Stage {
  const top = typeof value === 'string' ? value : Object.keys(value as object)[0];
  if ((STAGES as readonly string[]).includes(top)) return top as Stage;
  throw new Error(`Unknown workflow state: ${JSON.stringify(value)}`);
}
