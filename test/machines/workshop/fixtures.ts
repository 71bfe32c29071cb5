/** People, a clock and events for the workshop tests: the server stamps `by` and `now`; here the test does. */
import { createActor } from 'xstate';
import {
  workshopMachine,
  type AgendaItem,
  type Attendee,
  type WorkshopEvent,
  type WorkshopInput,
} from '../../../machines/workshop/index.ts';

export const facilitator: Attendee = {
  id: 'member-fac-51c2',
  name: 'Jonas Berg',
  role: 'facilitator',
  sector: 'nonprofit',
  organisation: 'Meadow County Coalition',
};
export const resident: Attendee = {
  id: 'member-res-9a07',
  name: 'Rosa Delgado',
  role: 'participant',
  sector: 'residents',
  organisation: null,
};
export const funder: Attendee = {
  id: 'member-fund-3e88',
  name: 'Priya Nair',
  role: 'participant',
  sector: 'philanthropy',
  organisation: 'Meadow Community Foundation',
};
export const teacher: Attendee = {
  id: 'member-edu-d4f1',
  name: 'Tom Okafor',
  role: 'participant',
  sector: 'education',
  organisation: 'Meadow High School',
};

export const T0 = Date.parse('2026-12-03T09:00:00.000Z');

export const AGENDA: AgendaItem[] = [
  { title: 'Welcome and purpose', minutes: 10, activity: 'discuss' },
  { title: 'Map the landscape', minutes: 30, activity: 'brainstorm', board: 'stakeholders', prompt: 'Who is missing?' },
  { title: 'Prioritise strategies', minutes: 20, activity: 'vote', board: 'framework' },
  { title: 'Facilitate community outreach', minutes: 15, activity: 'decide', step: 'initiate.community.outreach' },
];

export const INPUT: WorkshopInput = { title: 'Kick-off convening', date: '2026-12-03T09:00:00.000Z', agenda: AGENDA };

type Body = WorkshopEvent extends infer E ? (E extends WorkshopEvent ? Omit<E, 'by' | 'now'> : never) : never;

/** A clock the test moves, and events stamped with it. */
export function testClock(start = T0) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => (now += ms),
    event: (body: Body, by: Attendee = facilitator): WorkshopEvent => ({ ...body, by, now }) as WorkshopEvent,
  };
}

/** A workshop actor from `input`, with `machine` (to provide effects). */
export function startWorkshop(input: WorkshopInput = INPUT, machine = workshopMachine) {
  const actor = createActor(machine, { input });
  actor.start();
  return actor;
}

/** Seeded randomness (mulberry32): the same sequence on every run. */
export function seeded(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
