/**
 * Workshop mode (docs/workshops.md): the agenda, the timer, dot votes, private
 * cards, decisions, attendance, the statechart and the views. Imported as
 * `machines/workshop/index.ts`; kept out of machines/index.ts so the workflow's
 * names and the workshop's never collide.
 */
export * from './agenda.ts';
export * from './apply.ts';
export * from './attendance.ts';
export * from './context.ts';
export * from './decisions.ts';
export * from './events.ts';
export * from './notes.ts';
export * from './outcome.ts';
/** The timer's operations as `timer.start`, `timer.pause`…, like the commands. */
export * as timer from './timer.ts';
export { clientRemaining, remaining, timerView, TIMER_MAX_SECONDS, type TimerState, type TimerView } from './timer.ts';
export * from './view.ts';
export * from './votes.ts';
export * from './workshop.ts';
