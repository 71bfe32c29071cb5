import { PHASES, type ComponentStatus, type Phase, type Stage } from '../../machines/index.ts';

export type CellStatus = 'met' | 'in-progress' | 'not-started';

export const CELL_STATUS_LABELS: Record<CellStatus, string> = {
  met: 'Met',
  'in-progress': 'In progress',
  'not-started': 'Not started',
};

/** Whether the initiative has reached `phase`: it is the current phase or an earlier one. */
export function phaseReached(phase: Phase, current: Phase | null): boolean {
  return current !== null && PHASES.indexOf(phase) <= PHASES.indexOf(current);
}

/**
 * A cell of the matrix: met when every step is met, in progress once one is.
 * A phase not reached yet is not started, whatever its checks show: work done
 * early counts once the group gets there.
 */
export function cellStatus(cell: ComponentStatus, reached: boolean): CellStatus {
  if (!reached) return 'not-started';
  if (cell.complete) return 'met';
  return cell.steps.some((s) => s.status === 'met') ? 'in-progress' : 'not-started';
}

export function metCount(cell: ComponentStatus): number {
  return cell.steps.filter((s) => s.status === 'met').length;
}

/** Roman numeral and name of a phase, for narrow headers: ["Phase I", "Initiate Action"]. */
export function phaseParts(label: string): [string, string] {
  const [head, ...rest] = label.split(': ');
  return [head, rest.join(': ')];
}

export function currentPhase(stage: Stage): Phase | null {
  return (PHASES as readonly string[]).includes(stage) ? (stage as Phase) : null;
}

/** A DOM id for a step id (`initiate.planning.landscape` → `step-initiate-planning-landscape`). */
export function stepDomId(stepId: string): string {
  return `step-${stepId.replace(/[^a-zA-Z0-9]+/g, '-')}`;
}
