/**
 * The step catalogue: every cell of the table of components for success across
 * the phases (docs/domain.md, "The three phases and their four components"),
 * broken into concrete steps. Plain data: the statechart
 * (./workflow.ts) guards `phase.advance` with their evaluation (./evaluation.ts),
 * the server explains its refusals with them, and the UI shows them.
 *
 * A step completes in one of two ways:
 * - `check`: a pure function of what the group has built (./checks.ts);
 * - `confirm`: a judgement (community outreach, public will, a learning review…)
 *   that a lead or facilitator confirms with a note (event `step.confirm`).
 */
import type { Component, Phase } from './domain.ts';
import {
  checkAlignment,
  checkBackboneFunctions,
  checkBackboneStructure,
  checkBaseline,
  checkBoundaries,
  checkCaseForChange,
  checkChampion,
  checkCrossSectorGroup,
  checkFramework,
  checkLandscape,
  checkMeasurements,
  checkSharedMeasures,
  checkWorkingGroups,
  type StepCheck,
} from './checks.ts';
import type { Person } from './readiness.ts';

interface StepBase {
  /** `<phase>.<component>.<name>`. */
  id: string;
  phase: Phase;
  component: Component;
  title: string;
  /** What the group does, in the literature's words. */
  guidance: string;
}

export type StepDef =
  (StepBase & { check: StepCheck; confirm?: undefined }) | (StepBase & { confirm: true; check?: undefined });

/** A judgement step's confirmation: who confirmed it, when, and their note. */
export interface Confirmation {
  note: string;
  by: Person;
  at: string;
}

/** The latest confirmation of each judgement step, by step id (earlier ones stay in the history). */
export type Confirmations = Record<string, Confirmation>;

export const STEPS: readonly StepDef[] = [
  // Phase I: Initiate Action
  {
    id: 'initiate.governance.champion',
    phase: 'initiate',
    component: 'governance',
    title: 'Identify champions',
    guidance:
      'A champion, or a small group of champions, respected enough to bring CEO-level, cross-sector leaders together and keep them engaged, who lets participants find the answers.',
    check: checkChampion,
  },
  {
    id: 'initiate.governance.group',
    phase: 'initiate',
    component: 'governance',
    title: 'Form a cross-sector group',
    guidance:
      'An initial governance structure: a steering committee whose members come from several sectors and include strong, credible champions.',
    check: checkCrossSectorGroup,
  },
  {
    id: 'initiate.planning.landscape',
    phase: 'initiate',
    component: 'planning',
    title: 'Map the landscape',
    guidance:
      'Get the system in the room: the key players across sectors, with the people most affected by the issue, and the work already under way, so the initiative builds on existing collaborative efforts.',
    check: checkLandscape,
  },
  {
    id: 'initiate.planning.case',
    phase: 'initiate',
    component: 'planning',
    title: 'Use data to make the case for change',
    guidance: 'Describe the problem and back it with research that shows how severe it is.',
    check: checkCaseForChange,
  },
  {
    id: 'initiate.community.outreach',
    phase: 'initiate',
    component: 'community',
    title: 'Facilitate community outreach',
    guidance:
      'Reach beyond the usual suspects: meet residents and the people most affected by the issue, listen, and invite them in. Confirm with a note on who was reached and how.',
    confirm: true,
  },
  {
    id: 'initiate.evaluation.baseline',
    phase: 'initiate',
    component: 'evaluation',
    title: 'Gather baseline data',
    guidance: 'Baseline data on the problem, each figure with its source and date, to make the case for change.',
    check: checkBaseline,
  },
  {
    id: 'initiate.evaluation.gaps',
    phase: 'initiate',
    component: 'evaluation',
    title: 'Identify key issues and gaps',
    guidance:
      'Analyse the baseline data together to identify the key issues and the gaps. Confirm with a note on what the analysis showed.',
    confirm: true,
  },

  // Phase II: Organize for Impact
  {
    id: 'organize.governance.backbone',
    phase: 'organize',
    component: 'governance',
    title: 'Choose a backbone structure',
    guidance:
      'A separate organisation with dedicated staff coordinates everyone. Choose its structure by perceived neutrality, ability to secure funding and ability to mobilise stakeholders.',
    check: checkBackboneStructure,
  },
  {
    id: 'organize.governance.functions',
    phase: 'organize',
    component: 'governance',
    title: 'Assign the six backbone functions',
    guidance:
      'Strategic direction, dialogue between partners, data collection and analysis, communications, community outreach and funding: say who carries each.',
    check: checkBackboneFunctions,
  },
  {
    id: 'organize.governance.processes',
    phase: 'organize',
    component: 'governance',
    title: 'Agree how the group meets and decides',
    guidance:
      'Continuous communication: regular, structured meetings of all stakeholders, no uninformed delegates, and a clear way to decide. Confirm with a note on the rhythm and the rules agreed.',
    confirm: true,
  },
  {
    id: 'organize.planning.boundaries',
    phase: 'organize',
    component: 'planning',
    title: 'Set the boundaries',
    guidance:
      'Decide which issues, root causes, populations and geographies are inside the effort and which are left outside. Boundaries are loose and change over time.',
    check: checkBoundaries,
  },
  {
    id: 'organize.planning.framework',
    phase: 'organize',
    component: 'planning',
    title: 'Write the strategic action framework',
    guidance:
      'One page: the problem, a clear goal, a portfolio of strategies mixing short-term wins and long-term systemic change, guiding principles, and an approach to evaluation.',
    check: checkFramework,
  },
  {
    id: 'organize.community.engage',
    phase: 'organize',
    component: 'community',
    title: 'Engage the community',
    guidance:
      'Involve residents and the people most affected in setting the common agenda. Confirm with a note on how they took part.',
    confirm: true,
  },
  {
    id: 'organize.community.publicWill',
    phase: 'organize',
    component: 'community',
    title: 'Build public will',
    guidance: 'Make the problem and the common agenda known beyond the room. Confirm with a note on what was done.',
    confirm: true,
  },
  {
    id: 'organize.evaluation.measures',
    phase: 'organize',
    component: 'evaluation',
    title: 'Agree a short list of shared measures',
    guidance:
      'A small but comprehensive set of indicators, each defined the same way for every participant, so partners stay aligned and learn from each other.',
    check: checkSharedMeasures,
  },
  {
    id: 'organize.evaluation.dataSharing',
    phase: 'organize',
    component: 'evaluation',
    title: 'Agree how data is collected and shared',
    guidance:
      'Clear expectations about confidentiality and transparency: who collects what, who sees which data, and how the backbone reviews its accuracy. Confirm with a note on what was agreed.',
    confirm: true,
  },

  // Phase III: Sustain Action and Impact
  {
    id: 'sustain.governance.workingGroups',
    phase: 'sustain',
    component: 'governance',
    title: 'Form a working group for each strategy',
    guidance:
      'Working groups form around each primary strategy and plan how to move the needle on specific shared measures.',
    check: checkWorkingGroups,
  },
  {
    id: 'sustain.governance.oversight',
    phase: 'sustain',
    component: 'governance',
    title: "Review the groups' progress with the oversight group",
    guidance:
      "The backbone assesses the working groups' progress and synthesises it for the steering committee, which refines the structure as strategies change. Confirm with a note on the review.",
    confirm: true,
  },
  {
    id: 'sustain.planning.alignment',
    phase: 'sustain',
    component: 'planning',
    title: 'Align activities to the strategies',
    guidance:
      'Mutually reinforcing activities: each participant does what it is best at, and every strategy has activities with owners.',
    check: checkAlignment,
  },
  {
    id: 'sustain.community.engagement',
    phase: 'sustain',
    component: 'community',
    title: 'Continue community engagement',
    guidance: 'Keep residents and the people most affected involved as the work goes on. Confirm with a note.',
    confirm: true,
  },
  {
    id: 'sustain.community.advocacy',
    phase: 'sustain',
    component: 'community',
    title: 'Conduct advocacy',
    guidance: 'Advance the policies the common agenda needs. Confirm with a note on what was done.',
    confirm: true,
  },
  {
    id: 'sustain.evaluation.measurements',
    phase: 'sustain',
    component: 'evaluation',
    title: 'Collect data on the shared measures',
    guidance: 'Collect data systematically: measurements recorded for every indicator, so progress can be tracked.',
    check: checkMeasurements,
  },
  {
    id: 'sustain.evaluation.learning',
    phase: 'sustain',
    component: 'evaluation',
    title: 'Hold a learning review',
    guidance:
      'Partners meet to share results, learn and correct course (Plan-Do-Study-Act). Confirm with a note on what was learned and what changes.',
    confirm: true,
  },
];

export const STEP_IDS = STEPS.map((s) => s.id);

const BY_ID = new Map(STEPS.map((s) => [s.id, s]));

export function stepById(id: string): StepDef | undefined {
  return BY_ID.get(id);
}

export function stepsOf(phase: Phase, component?: Component): StepDef[] {
  return STEPS.filter((s) => s.phase === phase && (component === undefined || s.component === component));
}
