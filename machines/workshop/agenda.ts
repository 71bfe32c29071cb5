/**
 * A workshop's agenda: items with a duration and an activity, their planned
 * start times from the workshop's start, reordering, and a suggested agenda for
 * the steps of the current phase that are still open, in the words of the step
 * catalogue (../catalogue.ts).
 */
import { stepById } from '../catalogue.ts';
import { BOARD_LABELS, type Board } from '../entities.ts';
import type { Unmet } from '../readiness.ts';

export const ACTIVITIES = ['discuss', 'brainstorm', 'vote', 'decide'] as const;
export type Activity = (typeof ACTIVITIES)[number];

export const ACTIVITY_LABELS: Record<Activity, string> = {
  discuss: 'Discussion',
  brainstorm: 'Brainstorm',
  vote: 'Dot vote',
  decide: 'Decision',
};

/** The bounds the API and the forms hold an agenda to. */
export const AGENDA_LIMITS = {
  titleMax: 200,
  promptMax: 2000,
  minutesMin: 1,
  minutesMax: 480,
  itemsMax: 50,
} as const;

export interface AgendaItem {
  title: string;
  minutes: number;
  activity: Activity;
  /** The board the room works on during the item: "Next" brings everyone to it. */
  board?: Board;
  /** The question put to the room. */
  prompt?: string;
  /** The workflow step the item serves (a step id of the catalogue). */
  step?: string;
}

export interface PlannedItem {
  index: number;
  /** Planned start and end, ms since the epoch. */
  startsAt: number;
  endsAt: number;
}

const MINUTE = 60_000;

/** When each item starts and ends if the workshop starts at `start` (ms) and every item keeps its minutes. */
export function plannedTimes(agenda: readonly AgendaItem[], start: number): PlannedItem[] {
  let at = start;
  return agenda.map((item, index) => {
    const startsAt = at;
    at += item.minutes * MINUTE;
    return { index, startsAt, endsAt: at };
  });
}

/** The agenda's length in minutes. */
export const totalMinutes = (agenda: readonly AgendaItem[]) => agenda.reduce((sum, item) => sum + item.minutes, 0);

/**
 * The agenda with the item at `from` moved to `to` (both clamped to the
 * agenda), the others keeping their order: what dragging an item or pressing
 * Alt+Up/Down does. A new array; the input is untouched.
 */
export function moveItem<T>(agenda: readonly T[], from: number, to: number): T[] {
  const next = [...agenda];
  if (next.length === 0) return next;
  const source = Math.min(Math.max(0, Math.trunc(from)), next.length - 1);
  const target = Math.min(Math.max(0, Math.trunc(to)), next.length - 1);
  const [item] = next.splice(source, 1);
  next.splice(target, 0, item);
  return next;
}

/** How the room works on a step: its activity, the board, and a fitting length. */
export interface StepPlan {
  activity: Activity;
  board?: Board;
  minutes: number;
}

/**
 * Per catalogue step: checked steps are built on their board (brainstorm, or a
 * vote where the group chooses among cards: strategies, indicators);
 * judgement steps end in a decision, which can confirm the step.
 */
export const STEP_PLANS: Readonly<Record<string, StepPlan>> = {
  'initiate.governance.champion': { activity: 'discuss', board: 'stakeholders', minutes: 20 },
  'initiate.governance.group': { activity: 'discuss', board: 'governance', minutes: 30 },
  'initiate.planning.landscape': { activity: 'brainstorm', board: 'stakeholders', minutes: 30 },
  'initiate.planning.case': { activity: 'discuss', board: 'framework', minutes: 20 },
  'initiate.community.outreach': { activity: 'decide', minutes: 15 },
  'initiate.evaluation.baseline': { activity: 'brainstorm', board: 'framework', minutes: 25 },
  'initiate.evaluation.gaps': { activity: 'decide', board: 'framework', minutes: 20 },
  'organize.governance.backbone': { activity: 'discuss', board: 'governance', minutes: 30 },
  'organize.governance.functions': { activity: 'discuss', board: 'governance', minutes: 20 },
  'organize.governance.processes': { activity: 'decide', board: 'governance', minutes: 20 },
  'organize.planning.boundaries': { activity: 'brainstorm', board: 'boundaries', minutes: 30 },
  'organize.planning.framework': { activity: 'vote', board: 'framework', minutes: 40 },
  'organize.community.engage': { activity: 'decide', minutes: 15 },
  'organize.community.publicWill': { activity: 'decide', minutes: 15 },
  'organize.evaluation.measures': { activity: 'vote', board: 'framework', minutes: 30 },
  'organize.evaluation.dataSharing': { activity: 'decide', board: 'framework', minutes: 20 },
  'sustain.governance.workingGroups': { activity: 'discuss', board: 'governance', minutes: 30 },
  'sustain.governance.oversight': { activity: 'decide', board: 'governance', minutes: 20 },
  'sustain.planning.alignment': { activity: 'brainstorm', board: 'framework', minutes: 30 },
  'sustain.community.engagement': { activity: 'decide', minutes: 15 },
  'sustain.community.advocacy': { activity: 'decide', minutes: 15 },
  'sustain.evaluation.measurements': { activity: 'discuss', board: 'framework', minutes: 20 },
  'sustain.evaluation.learning': { activity: 'decide', board: 'framework', minutes: 30 },
};

/** The plan of a step; a step the table does not know yet is discussed. */
export function stepPlan(stepId: string): StepPlan {
  return STEP_PLANS[stepId] ?? { activity: 'discuss', minutes: 20 };
}

/**
 * An agenda for the steps still open: one item per step named in `unmet` (the
 * `unmet` of the workflow view or `phaseUnmet`, in catalogue order), titled and
 * prompted with the catalogue's own words, with a fitting activity and board.
 * Entries without a step (the readiness preconditions) suggest nothing. The
 * facilitator edits the result before creating the workshop.
 */
export function suggestAgenda(unmet: readonly Pick<Unmet, 'step'>[]): AgendaItem[] {
  const seen = new Set<string>();
  const items: AgendaItem[] = [];
  for (const entry of unmet) {
    const step = entry.step === undefined ? undefined : stepById(entry.step);
    if (!step || seen.has(step.id)) continue;
    seen.add(step.id);
    const plan = stepPlan(step.id);
    const item: AgendaItem = {
      title: step.title,
      minutes: plan.minutes,
      activity: plan.activity,
      prompt: step.guidance,
      step: step.id,
    };
    if (plan.board) item.board = plan.board;
    items.push(item);
  }
  return items;
}

/** "Brainstorm on the stakeholder map, 30 minutes". */
export function describeItem(item: AgendaItem): string {
  const board = item.board ? BOARD_LABELS[item.board] : '';
  const where = board ? ` on the ${board.charAt(0).toLowerCase()}${board.slice(1)}` : '';
  return `${ACTIVITY_LABELS[item.activity]}${where}, ${item.minutes} ${item.minutes === 1 ? 'minute' : 'minutes'}`;
}
