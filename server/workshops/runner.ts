/**
 * The authoritative workshop actors, one per workshop (docs/workshops.md, "The
 * server"). Commands to an initiative's workshops run one at a time, in the
 * order they arrived, under the initiative's decision lock (server/lock.ts),
 * so twenty simultaneous casts are checked one after the other against the budget. Each accepted command is persisted (the statechart's
 * snapshot, and the cards a reveal placed, in one write) before anyone hears of
 * it; a refused one changes nothing and says why. A restarted server loads the
 * actor from its snapshot (the timer stores when it ends, so it resumes where
 * it was). Every event is stamped with the server's clock (`clock`).
 *
 * The statechart's effects are provided here: `itemEntered` brings everyone
 * watching to the item's board (a `bring` event); `notesRevealed`'s cards are
 * created as `note` entities on their boards (./reveal.ts) just before the
 * actor takes the reveal, from the same `placementsOf`, so that the document
 * holds them before the snapshot says they are revealed; `decisionRecorded` confirms the decision's workflow step
 * (`step.confirm` with the decision as its note), which puts it in the
 * initiative's history; `workshopEnded` is logged.
 *
 * With several processes, every decision is announced (`onDecided`) and the
 * others re-read the workshop for their own streams (`heard`, server/events/).
 * Over 400 lines because the actors, their effects and the views sent to each
 * watcher are one cache whose reloads must agree; split, they would share it.
 */
import { createActor, type Actor } from 'xstate';
import type { Board } from '../../machines/entities.ts';
import type { Person } from '../../machines/readiness.ts';
import {
  isRefusal,
  placementsOf,
  statusOf,
  workshopMachine,
  workshopRefusal,
  workshopView,
  type Attendee,
  type Decision,
  type Placement,
  type WorkshopContext,
  type WorkshopEvent,
  type WorkshopStatus,
  type WorkshopView,
} from '../../machines/workshop/index.ts';
import {
  toWorkshopEvent,
  type NewWorkshop,
  type WorkshopCommand,
  type WorkshopSummary,
} from '../../src/contract/index.ts';
import { cardsOfBoard, readModel } from '../../src/schema/index.ts';
import { LocalDecisionLock, reentrant, type DecisionLock } from '../lock.ts';
import type { Logger } from '../log.ts';
import type { Member, PeopleStore } from '../people/types.ts';
import type { AccessWatch } from '../people/watch.ts';
import type { RoomDocs } from '../sync/rooms.ts';
import { newId } from '../tokens.ts';
import type { WorkflowRunner } from '../workflow/runner.ts';
import { Listeners } from './listeners.ts';
import { placeNotes } from './reveal.ts';
import type { PlacedCard, StoredWorkshop, WorkshopStore } from './types.ts';

type WorkshopActor = Actor<typeof workshopMachine>;

type Effect =
  | { type: 'itemEntered'; index: number; board: Board | null }
  | { type: 'notesRevealed'; placements: Placement[] }
  | { type: 'decisionRecorded'; decision: Decision }
  | { type: 'workshopEnded' };

interface Live {
  initiativeId: string;
  actor: WorkshopActor;
  /** The effects the last event asked for, collected while the actor takes it. */
  pending: Effect[];
  /** The snapshot as this runner last loaded or stored it (JSON): another server's command differs from it. */
  saved: string;
}

/** `bring`: go to the item's board (everyone who has not opted out). */
export interface BringEvent {
  index: number;
  title: string;
  board: Board | null;
}

/** A decision about an initiative's workshops is durable: which workshop (none for a new one), and the agenda items it entered. */
export interface WorkshopDecision {
  initiativeId: string;
  workshop?: string;
  entered?: number[];
}

/** One open stream: who is watching (their own view only) and where to send. */
export interface WorkshopListener {
  callerId: string;
  view(view: WorkshopView): void;
  bring(event: BringEvent): void;
}

export type CommandResult = { ok: true; view: WorkshopView; workflow?: { confirmed: boolean; reason?: string } } | { ok: false; refused: string };

export interface WorkshopRunnerDeps {
  store: WorkshopStore;
  people: PeopleStore;
  rooms?: Pick<RoomDocs, 'withDoc'>;
  workflows: WorkflowRunner;
  watch: AccessWatch;
  log: Logger;
  clock: () => number;
  /** What serialises the decisions of one initiative, re-entered by its holder (`reentrant`); one queue per initiative in this process by default. */
  lock?: DecisionLock;
}

/** The admin as an attendee: not a member, so no sector or organisation. */
export const ADMIN_ATTENDEE: Attendee = { id: 'admin', name: 'Administrator', role: 'admin', sector: null, organisation: null };

export function attendeeOf(member: Member | null): Attendee {
  if (!member) return ADMIN_ATTENDEE;
  return {
    id: member.id,
    name: member.name ?? member.label ?? 'Unnamed member',
    role: member.role,
    sector: member.sector,
    organisation: member.organisation,
  };
}

export class WorkshopRunner {
  private readonly live = new Map<string, Live>();
  private readonly lock: DecisionLock;
  private readonly listeners = new Listeners<WorkshopListener>();
  private readonly listWatchers = new Listeners<(list: WorkshopSummary[]) => void>();
  /**
   * Per initiative with list watchers, each workshop's status in the list last sent to them: another
   * process's decision resends the lists only when it moved (or is not there).
   */
  private readonly listed = new Map<string, Map<string, WorkshopStatus>>();
  /** Told after every accepted command or attendance write of any workshop (server/portfolio/). */
  private readonly changes = new Set<(initiativeId: string) => void>();
  private readonly decided = new Set<(decision: WorkshopDecision) => void>();
  private readonly stopJoins: () => void;

  constructor(private readonly deps: WorkshopRunnerDeps) {
    this.lock = deps.lock ?? reentrant(new LocalDecisionLock());
    // A member who opens a board or a stream while a workshop runs is marked present.
    this.stopJoins = deps.watch.onJoin((initiativeId, access) => {
      if (!access.member) return;
      const attendee = attendeeOf(access.member);
      void deps.store.running(initiativeId).then(
        (ids) => {
          for (const id of ids) void this.markPresent(initiativeId, id, [attendee]);
        },
        // A connection opens whatever happens to attendance.
        (error: unknown) => deps.log.error({ room: initiativeId, err: String(error) }, 'attendance not recorded'),
      );
    });
  }

  /** Creates a workshop in `draft` and persists it; answers its id. */
  async create(initiativeId: string, body: NewWorkshop, by: Attendee): Promise<string> {
    const id = newId();
    const input = { title: body.title, date: body.date ?? null, agenda: body.agenda };
    const actor = createActor(workshopMachine, { input });
    actor.start();
    await this.deps.store.create({
      id,
      initiativeId,
      title: body.title,
      date: input.date,
      status: 'draft',
      snapshot: actor.getPersistedSnapshot(),
      createdBy: by.id,
    });
    actor.stop();
    await this.listChanged(initiativeId);
    for (const listener of [...this.changes]) listener(initiativeId);
    this.tellDecided({ initiativeId });
    return id;
  }

  /** Calls `listener` with the initiative's workshops whenever one is created, starts or ends; answers the function that stops it. */
  watchList(initiativeId: string, listener: (list: WorkshopSummary[]) => void): () => void {
    const stop = this.listWatchers.add(initiativeId, listener);
    return () => {
      stop();
      if (this.listWatchers.of(initiativeId).length === 0) this.listed.delete(initiativeId);
    };
  }

  private async listChanged(initiativeId: string): Promise<void> {
    const set = this.listWatchers.of(initiativeId);
    if (set.length === 0) return;
    const list = await this.list(initiativeId);
    this.listed.set(initiativeId, new Map(list.map((w) => [w.id, w.status])));
    for (const listener of set) listener(list);
  }

  /** The initiative's workshops, newest first. */
  async list(initiativeId: string): Promise<WorkshopSummary[]> {
    return (await this.deps.store.list(initiativeId)).map((stored) => {
      const { context } = this.current(stored).actor.getSnapshot();
      return {
        id: stored.id,
        title: context.title,
        date: context.date,
        status: stored.status,
        startedAt: context.startedAt,
        endedAt: context.endedAt,
        items: context.agenda.length,
        decisions: context.decisions.length,
      };
    });
  }

  /** The workshop's status and context now, or undefined when the initiative has no such workshop. */
  async state(initiativeId: string, id: string): Promise<{ status: WorkshopStatus; context: WorkshopContext; stored: StoredWorkshop } | undefined> {
    const stored = await this.deps.store.get(initiativeId, id);
    if (!stored) return undefined;
    const snapshot = this.current(stored).actor.getSnapshot();
    return { status: statusOf(snapshot.value), context: snapshot.context, stored };
  }

  /** What `callerId` sees of the workshop now, or undefined when there is no such workshop. */
  async view(initiativeId: string, id: string, callerId: string): Promise<WorkshopView | undefined> {
    const state = await this.state(initiativeId, id);
    return state && workshopView(state.status, state.context, { id: callerId }, this.deps.clock());
  }

  /**
   * Runs `command` on behalf of `by`, stamped with the server's clock: refused
   * (nothing changes) or accepted, persisted, its effects done, and every
   * watcher told, before it answers. Undefined when there is no such workshop.
   */
  command(initiativeId: string, id: string, command: WorkshopCommand, by: Attendee): Promise<CommandResult | undefined> {
    return this.serially(initiativeId, async () => {
      const stored = await this.deps.store.get(initiativeId, id);
      if (!stored) return undefined;
      const live = this.current(stored);
      const named = command.type === 'attendance.set' ? await this.deps.people.member(initiativeId, command.member) : undefined;
      const boardCards =
        command.type === 'vote.open' && !command.cards && command.board ? await this.boardCards(initiativeId, command.board) : [];
      const event = toWorkshopEvent(command, { by, now: this.deps.clock() }, {
        boardCards: () => boardCards,
        person: (memberId) => (named && named.id === memberId ? attendeeOf(named) : null),
      });
      if (isRefusal(event)) return { ok: false, refused: event.refused };
      const before = live.actor.getSnapshot();
      const refused = workshopRefusal(statusOf(before.value), before.context, event);
      if (refused !== null) return { ok: false, refused };
      const effects = await this.take(live, stored.id, event);
      let workflow: { confirmed: boolean; reason?: string } | undefined;
      for (const effect of effects) {
        if (effect.type === 'itemEntered') this.bring(id, live, effect);
        if (effect.type === 'decisionRecorded' && effect.decision.step) workflow = await this.confirmStep(initiativeId, effect.decision);
        if (effect.type === 'workshopEnded') this.deps.log.info({ room: initiativeId, workshop: id }, 'workshop ended');
      }
      this.notify(id);
      if (statusOf(live.actor.getSnapshot().value) !== statusOf(before.value)) await this.listChanged(initiativeId);
      const entered = effects.flatMap((e) => (e.type === 'itemEntered' ? [e.index] : []));
      this.tellDecided({ initiativeId, workshop: id, ...(entered.length > 0 && { entered }) });
      if (command.type === 'workshop.start') await this.presentNow(initiativeId, id);
      const view = workshopView(statusOf(live.actor.getSnapshot().value), live.actor.getSnapshot().context, { id: by.id }, this.deps.clock());
      return workflow ? { ok: true, view, workflow } : { ok: true, view };
    });
  }

  /**
   * Takes `event` (already known to be accepted) and persists the result. A
   * reveal places its cards in the document first, before the actor takes it:
   * a crash in between leaves the notes both on the board and still private,
   * and the reveal repeated places nothing twice; a document that cannot be
   * written fails the command with the workshop as it was. Nobody reads the
   * actor's new state before it is stored (a failed save drops the actor, which
   * is loaded again from the store).
   */
  private async take(live: Live, id: string, event: WorkshopEvent): Promise<Effect[]> {
    const before = live.actor.getSnapshot().context;
    const cards =
      event.type === 'private.reveal'
        ? await this.place(live.initiativeId, id, placementsOf(before, event), before.current, event.now)
        : [];
    live.pending = [];
    live.actor.send(event);
    const effects = live.pending;
    live.pending = [];
    try {
      await this.save(live, id, cards);
    } catch (error) {
      this.drop(id);
      throw error;
    }
    return effects;
  }

  /** Creates the revealed notes on their boards; answers what the record keeps of them. */
  private place(initiativeId: string, id: string, placements: Placement[], item: number | null, now: number): Promise<PlacedCard[]> {
    const rooms = this.deps.rooms;
    if (!rooms) throw new Error('Revealing private cards needs the initiative’s document.');
    return rooms.withDoc(initiativeId, (doc) => placeNotes(doc, id, placements, item, new Date(now).toISOString()));
  }

  /** `step.confirm` with the decision as its note; a refusal is answered (and logged), the decision stays recorded. */
  private async confirmStep(initiativeId: string, decision: Decision): Promise<{ confirmed: boolean; reason?: string }> {
    const member = decision.by.id === 'admin' ? null : await this.deps.people.member(initiativeId, decision.by.id);
    const by: Person = { id: decision.by.id, name: decision.by.name, role: member?.role ?? 'admin' };
    try {
      const result = await this.deps.workflows.send(initiativeId, { type: 'step.confirm', step: decision.step!, note: decision.text }, by);
      if (result.ok) return { confirmed: true };
      const reason = result.unmet.map((u) => u.message).join(' ');
      this.deps.log.warn({ room: initiativeId, step: decision.step, reason }, 'a decision could not confirm its step');
      return { confirmed: false, reason };
    } catch (error) {
      this.deps.log.error({ room: initiativeId, err: String(error) }, 'confirming a decision’s step failed');
      return { confirmed: false, reason: 'The workflow could not take the step now.' };
    }
  }

  /** The ids of the cards a group chooses among on `board`: the browser's list (src/schema/cards.ts). */
  private boardCards(initiativeId: string, board: Board): Promise<string[]> {
    if (!this.deps.rooms) return Promise.resolve([]);
    return this.deps.rooms.withDoc(initiativeId, (doc) => cardsOfBoard(readModel(doc), board).map((card) => card.id));
  }

  /** Marks present everyone connected to the initiative now (at the start), under the lock the start holds. */
  private async presentNow(initiativeId: string, id: string): Promise<void> {
    const online = [...this.deps.watch.online(initiativeId)];
    const members = await Promise.all(online.map((memberId) => this.deps.people.member(initiativeId, memberId)));
    const people = members.flatMap((member) => (member ? [attendeeOf(member)] : []));
    if (people.length > 0) await this.markPresent(initiativeId, id, people);
  }

  /** `attendance.seen` for each person not yet in the attendance, in one persisted write. */
  private markPresent(initiativeId: string, id: string, people: Attendee[]): Promise<void> {
    return this.serially(initiativeId, async () => {
      const stored = await this.deps.store.get(initiativeId, id);
      if (!stored || stored.status !== 'running') return;
      const live = this.current(stored);
      let changed = false;
      for (const by of people) {
        const { context, value } = live.actor.getSnapshot();
        if (context.attendance.some((e) => e.id === by.id)) continue;
        const event: WorkshopEvent = { type: 'attendance.seen', by, now: this.deps.clock() };
        if (workshopRefusal(statusOf(value), context, event) !== null) continue;
        live.actor.send(event);
        changed = true;
      }
      if (!changed) return;
      await this.save(live, id);
      this.notify(id);
      this.tellDecided({ initiativeId, workshop: id });
    }).catch((error: unknown) => this.deps.log.error({ room: initiativeId, workshop: id, err: String(error) }, 'attendance not recorded'));
  }

  /** Calls `listener` with the initiative's id whenever one of its workshops is created or changes. */
  onChange(listener: (initiativeId: string) => void): () => void {
    this.changes.add(listener);
    return () => void this.changes.delete(listener);
  }

  /** Calls `listener` after every decision made here about a workshop (server/events/ tells the other processes). */
  onDecided(listener: (decision: WorkshopDecision) => void): () => void {
    this.decided.add(listener);
    return () => void this.decided.delete(listener);
  }

  private tellDecided(decision: WorkshopDecision): void {
    for (const listener of [...this.decided]) listener(decision);
  }

  /**
   * Another process decided (server/events/): the workshop is read again from
   * the store, under the lock, and each stream here gets its own view (and
   * `bring` for each item entered), and the lists their initiative's workshops
   * when one was created or its status moved.
   * The members connected here count as present in a workshop that runs, as
   * they would if it had started here.
   */
  heard({ initiativeId, workshop, entered = [] }: WorkshopDecision): Promise<void> {
    return this.serially(initiativeId, async () => {
      const here = this.deps.watch.online(initiativeId).size > 0;
      const watched = workshop !== undefined && this.listeners.of(workshop).length > 0;
      const listsWatched = this.listWatchers.of(initiativeId).length > 0;
      const stored = workshop && (watched || here || listsWatched) ? await this.deps.store.get(initiativeId, workshop) : undefined;
      if (stored && (watched || here)) {
        const live = this.current(stored);
        for (const index of entered) this.bring(stored.id, live, { type: 'itemEntered', index, board: live.actor.getSnapshot().context.agenda[index]?.board ?? null });
        this.views(stored.id, live);
        if (here && stored.status === 'running') await this.presentNow(initiativeId, stored.id);
      }
      // As for a decision here: the lists change when a workshop is created or its status moves, not at each command.
      if (!stored || this.listed.get(initiativeId)?.get(stored.id) !== stored.status) await this.listChanged(initiativeId);
    });
  }

  /** What the streams here watch: workshops (with their initiative) and initiatives' lists, to read again after notices were lost. */
  watched(): WorkshopDecision[] {
    const workshops = this.listeners.keys().flatMap((id) => {
      const initiativeId = this.live.get(id)?.initiativeId;
      return initiativeId ? [{ initiativeId, workshop: id }] : [];
    });
    return [...workshops, ...this.listWatchers.keys().map((initiativeId) => ({ initiativeId }))];
  }

  /** Hears the workshop: `view` with the listener's own view after every accepted command, `bring` when an item is entered. */
  subscribe(id: string, listener: WorkshopListener): () => void {
    return this.listeners.add(id, listener);
  }

  /** Each listener gets their own view: private cards and own dots differ from person to person. */
  private notify(id: string): void {
    const live = this.live.get(id);
    if (!live) return;
    for (const listener of [...this.changes]) listener(live.initiativeId);
    this.views(id, live);
  }

  private views(id: string, live: Live): void {
    const set = this.listeners.of(id);
    if (set.length === 0) return;
    const { value, context } = live.actor.getSnapshot();
    const now = this.deps.clock();
    for (const listener of set) listener.view(workshopView(statusOf(value), context, { id: listener.callerId }, now));
  }

  private bring(id: string, live: Live, effect: Extract<Effect, { type: 'itemEntered' }>): void {
    const title = live.actor.getSnapshot().context.agenda[effect.index]?.title ?? '';
    for (const listener of this.listeners.of(id)) listener.bring({ index: effect.index, title, board: effect.board });
  }

  /** The live actor of a stored workshop, loaded from its snapshot the first time (after a restart, say). */
  private actor(stored: StoredWorkshop): Live {
    const existing = this.live.get(stored.id);
    if (existing) return existing;
    const live = { initiativeId: stored.initiativeId, pending: [] as Effect[], saved: JSON.stringify(stored.snapshot) } as Live;
    const machine = workshopMachine.provide({
      actions: {
        itemEntered: (_, params) => void live.pending.push({ type: 'itemEntered', ...params }),
        notesRevealed: (_, params) => void live.pending.push({ type: 'notesRevealed', placements: params.placements }),
        decisionRecorded: (_, params) => void live.pending.push({ type: 'decisionRecorded', decision: params.decision }),
        workshopEnded: () => void live.pending.push({ type: 'workshopEnded' }),
      },
    });
    const input = { title: stored.title, date: stored.date, agenda: [] };
    // The persisted snapshot is the machine's own JSON, written by getPersistedSnapshot.
    live.actor = createActor(machine, { snapshot: stored.snapshot as never, input });
    live.actor.start();
    this.live.set(stored.id, live);
    return live;
  }

  /**
   * The actor to decide (under the lock) or read with, from the workshop just
   * read from the store: when another server on the same database took a
   * command since (its snapshot differs from the one this runner last saw),
   * the actor is loaded from it again.
   */
  private current(stored: StoredWorkshop): Live {
    const existing = this.live.get(stored.id);
    if (existing && existing.saved !== JSON.stringify(stored.snapshot)) this.drop(stored.id);
    return this.actor(stored);
  }

  /** Stores the actor's snapshot (and the cards a reveal placed) in one write. */
  private async save(live: Live, id: string, cards?: PlacedCard[]): Promise<void> {
    const snapshot = live.actor.getPersistedSnapshot();
    await this.deps.store.save(id, statusOf(live.actor.getSnapshot().value), snapshot, cards);
    live.saved = JSON.stringify(snapshot);
  }

  /** Forgets the live actor (it is loaded again from the store on next use). */
  private drop(id: string): void {
    this.live.get(id)?.actor.stop();
    this.live.delete(id);
  }

  private serially<T>(initiativeId: string, task: () => Promise<T>): Promise<T> {
    return this.lock.run(initiativeId, task);
  }

  stop(): void {
    this.stopJoins();
    for (const id of [...this.live.keys()]) this.drop(id);
    this.listeners.clear();
    this.listWatchers.clear();
  }
}
