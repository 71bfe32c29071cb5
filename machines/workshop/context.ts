/**
 * What a workshop remembers (the statechart's context). Everything here is
 * plain JSON: the server persists the snapshot after every accepted event and a
 * restarted server resumes from it, the timer included (it stores when it ends,
 * not a countdown).
 */
import type { AgendaItem } from './agenda.ts';
import type { AttendanceEntry } from './attendance.ts';
import type { Decision } from './decisions.ts';
import type { WorkshopInput } from './events.ts';
import type { PrivateNote } from './notes.ts';
import { idleTimer, type TimerState } from './timer.ts';
import type { Vote } from './votes.ts';

export const WORKSHOP_STATUSES = ['draft', 'running', 'ended'] as const;
export type WorkshopStatus = (typeof WORKSHOP_STATUSES)[number];

/** An agenda item's actual times. An item gone back to (`agenda.goto`) keeps its first start and adds up its time. */
export interface ItemRecord {
  startedAt: string | null;
  endedAt: string | null;
  /** Time spent on it so far, ms (the current stretch is added when it ends). */
  spentMs: number;
  /** While current: when the current stretch began (ms). */
  since: number | null;
}

export interface WorkshopContext {
  title: string;
  date: string | null;
  agenda: AgendaItem[];
  /** The current item's index while running; null before and after. */
  current: number | null;
  items: ItemRecord[];
  startedAt: string | null;
  endedAt: string | null;
  timer: TimerState;
  votes: Vote[];
  /** Private cards not yet revealed. */
  notes: PrivateNote[];
  /** How many private cards have been revealed onto the boards. */
  revealed: number;
  decisions: Decision[];
  attendance: AttendanceEntry[];
  /** The last number used in an id (`vote-3`, `note-12`, `decision-1`). */
  seq: number;
}

export function initialWorkshopContext(input: WorkshopInput): WorkshopContext {
  return {
    title: input.title,
    date: input.date,
    agenda: input.agenda.map((item) => ({ ...item })),
    current: null,
    items: input.agenda.map(() => ({ startedAt: null, endedAt: null, spentMs: 0, since: null })),
    startedAt: null,
    endedAt: null,
    timer: idleTimer(),
    votes: [],
    notes: [],
    revealed: 0,
    decisions: [],
    attendance: [],
    seq: 0,
  };
}

export const currentItem = (context: WorkshopContext): AgendaItem | null =>
  context.current === null ? null : (context.agenda[context.current] ?? null);
