/**
 * A workshop as a statechart: `draft` (the agenda is set) → `running` (one
 * agenda item at a time, the timer, votes, private cards, decisions,
 * attendance) → `ended` (the record). The server runs one actor per workshop,
 * authoritatively, sends it the commands of docs/workshops.md stamped with who
 * and the server's clock (./events.ts), and persists its snapshot after every
 * accepted event. Events are taken one at a time, so two casts from one
 * person's two tabs are checked one after the other against the budget.
 *
 * Who may send what is not checked here: the contract's permission table does
 * that before an event reaches the machine. The machine refuses what the
 * workshop's state does not allow (no "next" after the last item, no cast in a
 * closed vote…), with the sentence `workshopRefusal` gives (./apply.ts).
 *
 * Effects are named here and provided by the runner (`machine.provide`):
 * - `itemEntered { index, board }`: bring everyone who has not opted out to the item's board;
 * - `notesRevealed { placements }`: create the revealed cards on the boards;
 * - `decisionRecorded { decision }`: add it to the initiative's history, and for a judgement
 *   step confirm it (`step.confirm` with the decision as its note);
 * - `workshopEnded`: write the record.
 */
import { assign, setup } from 'xstate';
import { applyEvent, placementsOf, type Patch } from './apply.ts';
import { initialWorkshopContext, type WorkshopContext, type WorkshopStatus } from './context.ts';
import type { Decision } from './decisions.ts';
import type { Board } from '../entities.ts';
import { WORKSHOP_EVENT_TYPES, type WorkshopEvent, type WorkshopEventType, type WorkshopInput } from './events.ts';
import type { Placement } from './notes.ts';
import { isRefusal } from './outcome.ts';

const patchOf = (status: WorkshopStatus, context: WorkshopContext, event: WorkshopEvent): Patch => {
  const outcome = applyEvent(status, context, event);
  return isRefusal(outcome) ? {} : outcome;
};

/** Events with a transition of their own below (`workshop.start` has none while running: it is refused); every other one just applies. */
const WITH_EFFECTS: readonly WorkshopEventType[] = [
  'workshop.start',
  'workshop.end',
  'agenda.next',
  'agenda.goto',
  'private.reveal',
  'decision.record',
];
const RUNNING_EVENTS = WORKSHOP_EVENT_TYPES.filter((type) => !WITH_EFFECTS.includes(type));

const machineSetup = setup({
  types: {
    context: {} as WorkshopContext,
    events: {} as WorkshopEvent,
    input: {} as WorkshopInput,
  },
  guards: {
    accepted: ({ context, event }, params: { status: WorkshopStatus }) =>
      !isRefusal(applyEvent(params.status, context, event)),
  },
  actions: {
    apply: assign(({ context, event }, params: { status: WorkshopStatus }) => patchOf(params.status, context, event)),
    /** Named effects: the runner provides them (see the file's comment). */
    itemEntered: (_, _params: { index: number; board: Board | null }) => {},
    notesRevealed: (_, _params: { placements: Placement[] }) => {},
    decisionRecorded: (_, _params: { decision: Decision }) => {},
    workshopEnded: () => {},
  },
});

/** The effect params of entering the current item, read after `apply`. */
const entered = ({ context }: { context: WorkshopContext }) => ({
  index: context.current!,
  board: context.agenda[context.current!]?.board ?? null,
});

const applyIn = (status: WorkshopStatus) => ({ type: 'apply' as const, params: { status } });
const acceptedIn = (status: WorkshopStatus) => ({ type: 'accepted' as const, params: { status } });

const RUNNING = acceptedIn('running');

export const workshopMachine = machineSetup.createMachine({
  id: 'workshop',
  context: ({ input }) => initialWorkshopContext(input),
  initial: 'draft',
  states: {
    draft: {
      on: {
        'workshop.start': {
          guard: acceptedIn('draft'),
          target: 'running',
          actions: [applyIn('draft'), { type: 'itemEntered', params: entered }],
        },
      },
    },
    running: {
      on: {
        ...Object.fromEntries(RUNNING_EVENTS.map((type) => [type, { guard: RUNNING, actions: applyIn('running') }])),
        'agenda.next': { guard: RUNNING, actions: [applyIn('running'), { type: 'itemEntered', params: entered }] },
        'agenda.goto': { guard: RUNNING, actions: [applyIn('running'), { type: 'itemEntered', params: entered }] },
        'private.reveal': {
          guard: RUNNING,
          // The placements are read from the notes before `apply` takes them out of the private store.
          actions: [
            { type: 'notesRevealed', params: ({ context, event }) => ({ placements: placementsOf(context, event) }) },
            applyIn('running'),
          ],
        },
        'decision.record': {
          guard: RUNNING,
          actions: [
            applyIn('running'),
            { type: 'decisionRecorded', params: ({ context }) => ({ decision: context.decisions.at(-1)! }) },
          ],
        },
        'workshop.end': { guard: RUNNING, target: 'ended', actions: [applyIn('running'), 'workshopEnded'] },
      },
    },
    ended: { type: 'final' },
  },
});

export type WorkshopMachine = typeof workshopMachine;

/** The status of a workshop snapshot's state value. */
export function statusOf(value: unknown): WorkshopStatus {
  if (value === 'draft' || value === 'running' || value === 'ended') return value;
  throw new Error(`Unknown workshop state: ${JSON.stringify(value)}`);
}
