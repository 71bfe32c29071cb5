/**
 * The authoritative workflow actors, one per initiative. Each accepted event is
 * persisted (snapshot and listed stage in one transaction) before anyone hears
 * of it; a refused one changes nothing and says why.
 *
 * The phase guard reads what the group has built: before each event the runner
 * reads the initiative's current document (borrowed from its room) and attaches
 * it to the event as `model` (docs/workflow.md). Views are evaluated from the
 * current document too, so every status they show is live: when a watched
 * room's document changes, the runner re-evaluates (coalescing the changes of
 * `REFRESH_DELAY_MS`) and pushes the view to every watcher if it changed.
 * Measurements live on the server, not in the document: the model's `measured`
 * (how many current, not rejected values each indicator has) comes from the
 * measure store, and a change to the measures re-evaluates the same way.
 */
import { createActor, type Actor } from 'xstate';
import type { InitiativeModel } from '../../machines/entities.ts';
import { blankModel, evaluateWorkflow } from '../../machines/evaluation.ts';
import type { WorkflowCommand, WorkflowEvent } from '../../machines/events.ts';
import { restoreSnapshot } from '../../machines/persistence.ts';
import type { Person, Unmet } from '../../machines/readiness.ts';
import { explainRefusal } from '../../machines/refusals.ts';
import { stageOf, STAGE_LABELS } from '../../machines/stages.ts';
import { workflowMachine } from '../../machines/workflow.ts';
import type { WorkflowView } from '../../src/contract/index.ts';
import { readModel } from '../../src/schema/model.ts';
import type { InitiativeStore } from '../stores.ts';
import { LocalDecisionLock, reentrant, type DecisionLock } from '../lock.ts';
import type { Logger } from '../log.ts';
import type { RoomDocs } from '../sync/rooms.ts';
import type { FrameworkVersions } from '../framework/service.ts';
// Export and import of the workflow record (record, restore).
import { migrateContext, type HistoryEntry, type ImportSource } from '../../machines/context.ts';
import type { WorkflowRecord } from '../../src/schema/workflowRecord.ts';

export type { WorkflowView };

export type SendResult = { ok: true; view: WorkflowView } | { ok: false; unmet: Unmet[] };

/** Runs `task` after `ms`; answers the function that cancels it. Tests pass one they drive by hand. */
export type Schedule = (task: () => void, ms: number) => () => void;

const realSchedule: Schedule = (task, ms) => {
  const timer = setTimeout(task, ms);
  return () => clearTimeout(timer);
};

/** How long after a document change the watchers' view is re-evaluated (changes in between are coalesced). */
export const REFRESH_DELAY_MS = 200;

export interface RunnerOptions {
  refreshDelayMs?: number;
  schedule?: Schedule;
  /** How many current, not rejected values each indicator has (server/measures/service.ts `measured`); none without it. */
  measured?: (initiativeId: string) => Promise<Record<string, number>>;
  /** The framework's saved versions (server/framework/service.ts): saved on revise, restored on restore. */
  versions?: FrameworkVersions;
}

type WorkflowActor = Actor<typeof workflowMachine>;

interface Watch {
  listeners: Set<(view: WorkflowView) => void>;
  /** Stops hearing of the room's document changes. */
  unwatch: () => void;
  /** Cancels the re-evaluation scheduled after a change, if one is. */
  cancel?: () => void;
  /** The last view pushed, as JSON: an unchanged view is not pushed again. */
  last?: string;
}

export class WorkflowRunner {
  /** Each initiative's actor, loaded (or created) once; a promise so two first uses load it once. */
  private readonly actors = new Map<string, Promise<WorkflowActor>>();
  /** Each initiative's snapshot as this runner last loaded or stored it (JSON): another server's event differs from it. */
  private readonly saved = new Map<string, string>();
  private readonly watches = new Map<string, Watch>();
  private readonly refreshDelayMs: number;
  private readonly schedule: Schedule;
  private readonly measured: (initiativeId: string) => Promise<Record<string, number>>;
  /** The framework's saved versions, for the routes that list and compare them. */
  readonly versions?: FrameworkVersions;
  /** Told after every accepted event and restored record, of any initiative (server/portfolio/). */
  private readonly accepted = new Set<(initiativeId: string) => void>();

  /**
   * @param rooms where the initiatives' documents live (server/sync/rooms.ts).
   * Without it every guard sees an empty canvas (so no phase completes without
   * an override) and views never change with the canvas.
   * @param lock what serialises the events of one initiative (server/lock.ts), re-entered by its holder (`reentrant`).
   */
  constructor(
    private readonly store: InitiativeStore,
    private readonly log: Logger,
    private readonly rooms?: RoomDocs,
    options: RunnerOptions = {},
    private readonly lock: DecisionLock = reentrant(new LocalDecisionLock()),
  ) {
    this.refreshDelayMs = options.refreshDelayMs ?? REFRESH_DELAY_MS;
    this.schedule = options.schedule ?? realSchedule;
    this.measured = options.measured ?? (async () => ({}));
    this.versions = options.versions;
  }

  /** The initiative's document as it is now, and the values measured on the server: what the group has built. */
  private async readModel(initiativeId: string): Promise<InitiativeModel> {
    // The document first: loading its room carries an old document's values to the store (server/measures/migrate.ts).
    const model = this.rooms ? await this.rooms.withDoc(initiativeId, readModel) : blankModel();
    return { ...model, measured: await this.measured(initiativeId) };
  }

  /** Values were entered, reviewed or carried over: re-evaluate the watchers' view as after a document change. */
  measuresChanged(initiativeId: string): void {
    this.changed(initiativeId);
  }

  private actor(initiativeId: string): Promise<WorkflowActor> {
    let actor = this.actors.get(initiativeId);
    if (!actor) {
      actor = this.load(initiativeId);
      this.actors.set(initiativeId, actor);
      // A load that failed is tried again on next use.
      actor.catch(() => {
        if (this.actors.get(initiativeId) === actor) this.actors.delete(initiativeId);
      });
    }
    return actor;
  }

  private async load(initiativeId: string): Promise<WorkflowActor> {
    const persisted = await this.store.loadWorkflow(initiativeId);
    const actor = this.start(initiativeId, persisted);
    if (persisted) this.saved.set(initiativeId, JSON.stringify(persisted));
    else await this.persist(initiativeId, actor);
    return actor;
  }

  private start(initiativeId: string, persisted: unknown): WorkflowActor {
    const machine = workflowMachine.provide({
      actions: {
        stageEntered: (_, params) => this.log.info({ room: initiativeId, stage: params.stage }, 'stage entered'),
      },
    });
    const actor = createActor(machine, persisted ? { snapshot: restoreSnapshot(persisted, machine) } : {});
    actor.start();
    return actor;
  }

  /**
   * The actor to decide (under the lock) or read with: the stored workflow is
   * read again, and when another server on the same database took an event
   * since (the snapshot differs from the one this runner last saw), the actor
   * starts from the stored one.
   */
  private async current(initiativeId: string): Promise<WorkflowActor> {
    const actor = await this.actor(initiativeId);
    const persisted = await this.store.loadWorkflow(initiativeId);
    const json = persisted === undefined ? undefined : JSON.stringify(persisted);
    if (json === undefined || json === this.saved.get(initiativeId)) return actor;
    const next = this.start(initiativeId, persisted);
    actor.stop();
    this.actors.set(initiativeId, Promise.resolve(next));
    this.saved.set(initiativeId, json);
    return next;
  }

  /** Creates (and persists) the workflow of a new initiative. */
  async ensure(initiativeId: string): Promise<void> {
    await this.actor(initiativeId);
  }

  /** The workflow, its step statuses evaluated from the current document. */
  async view(initiativeId: string): Promise<WorkflowView> {
    const model = await this.readModel(initiativeId);
    return this.viewWith(await this.current(initiativeId), model);
  }

  private viewWith(actor: WorkflowActor, model: InitiativeModel): WorkflowView {
    const { value, context } = actor.getSnapshot();
    const stage = stageOf(value);
    const { components, unmet, estimate } = evaluateWorkflow(stage, context, model);
    return {
      stage,
      stageLabel: STAGE_LABELS[stage],
      readiness: context.readiness,
      unmet,
      history: context.history,
      components,
      scope: context.scope,
      estimate,
      thresholds: context.thresholds,
      confirmations: context.confirmations,
    };
  }

  /**
   * Sends `command` on behalf of `by`, with the current document as `model`.
   * Refusals leave the workflow exactly as it was. Commands to one initiative
   * run one at a time, in the order they were sent, under the initiative's
   * decision lock (server/lock.ts).
   */
  send(initiativeId: string, command: WorkflowCommand, by: Person): Promise<SendResult> {
    return this.serially(initiativeId, async () => {
      const actor = await this.current(initiativeId);
      const model = await this.readModel(initiativeId);
      const before = actor.getSnapshot();
      const unmet = explainRefusal(stageOf(before.value), before.context, command, model);
      if (unmet.length > 0) return { ok: false, unmet };
      const stamped = { ...command, by, at: new Date().toISOString(), model } as WorkflowEvent;
      // A restore names its version before the guard; versions are written only once it passed.
      const event = this.versions ? await this.versions.resolve(initiativeId, stamped) : stamped;
      if (Array.isArray(event)) return { ok: false, unmet: event };
      if (!before.can(event)) return { ok: false, unmet: [{ message: 'The workflow cannot take this step now.' }] };
      const done = this.versions ? await this.versions.commit(initiativeId, event) : { event, documentChanged: false };
      actor.send(done.event);
      try {
        await this.persist(initiativeId, actor);
      } catch (error) {
        // Not saved, so not taken: the actor holds an event the store does not. It goes, and the next use
        // starts from what is stored (else views, and the next save, would carry a step that answered an error).
        this.actors.delete(initiativeId);
        actor.stop();
        throw error;
      }
      const view = this.viewWith(actor, done.documentChanged ? await this.readModel(initiativeId) : model);
      this.notify(initiativeId, view);
      this.tellAccepted(initiativeId);
      return { ok: true, view };
    });
  }

  /**
   * Calls `listener` with the new view after every accepted event, and after
   * the initiative's document changes in a way that changes the view (at most
   * one re-evaluation per `refreshDelayMs`, however many edits arrive).
   */
  subscribe(initiativeId: string, listener: (view: WorkflowView) => void): () => void {
    let watch = this.watches.get(initiativeId);
    if (!watch) {
      watch = {
        listeners: new Set(),
        unwatch: this.rooms?.watch(initiativeId, () => this.changed(initiativeId)) ?? (() => {}),
      };
      this.watches.set(initiativeId, watch);
    }
    const current = watch;
    current.listeners.add(listener);
    return () => {
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.watches.get(initiativeId) !== current) return;
      this.watches.delete(initiativeId);
      current.unwatch();
      current.cancel?.();
    };
  }

  /** The document changed: re-evaluate for the watchers once the delay has passed, unless already scheduled. */
  private changed(initiativeId: string): void {
    const watch = this.watches.get(initiativeId);
    if (!watch || watch.cancel) return;
    watch.cancel = this.schedule(() => {
      watch.cancel = undefined;
      void this.refresh(initiativeId).catch((err: unknown) =>
        this.log.warn({ room: initiativeId, err: String(err) }, 'workflow refresh failed'),
      );
    }, this.refreshDelayMs);
  }

  /** Re-evaluates the workflow against the document now and tells the watchers if the view changed. */
  private refresh(initiativeId: string): Promise<void> {
    return this.serially(initiativeId, async () => {
      if (!this.watches.has(initiativeId)) return;
      const model = await this.readModel(initiativeId);
      this.notify(initiativeId, this.viewWith(await this.current(initiativeId), model));
    });
  }

  /**
   * Another process took an event or restored a record (server/events/): the
   * watchers here get the stored workflow, re-read as after a document change
   * (coalesced the same way). The accepted listeners are not told: that process told its own.
   */
  heard(initiativeId: string): void {
    this.changed(initiativeId);
  }

  /** Re-reads every watched initiative's workflow (notices from other processes may have been lost). */
  refreshWatched(): void {
    for (const initiativeId of this.watches.keys()) this.changed(initiativeId);
  }

  /** Calls `listener` with the initiative's id after every accepted event (and restored record) of any initiative. */
  onChange(listener: (initiativeId: string) => void): () => void {
    this.accepted.add(listener);
    return () => void this.accepted.delete(listener);
  }

  private tellAccepted(initiativeId: string): void {
    for (const listener of [...this.accepted]) listener(initiativeId);
  }

  private notify(initiativeId: string, view: WorkflowView): void {
    const watch = this.watches.get(initiativeId);
    if (!watch) return;
    const json = JSON.stringify(view);
    if (json === watch.last) return;
    watch.last = json;
    for (const listener of [...watch.listeners]) listener(view);
  }

  private serially<T>(initiativeId: string, task: () => Promise<T>): Promise<T> {
    return this.lock.run(initiativeId, task);
  }

  private async persist(initiativeId: string, actor: WorkflowActor): Promise<void> {
    const persisted = actor.getPersistedSnapshot();
    await this.store.saveWorkflow(initiativeId, persisted, stageOf(actor.getSnapshot().value));
    this.saved.set(initiativeId, JSON.stringify(persisted));
  }

  /**
   * The workflow record an export carries: the stage, the readiness
   * assessments, the scope answers, the confirmed steps, the thresholds and the
   * history with who, when and why (src/schema/workflowRecord.ts).
   */
  async record(initiativeId: string): Promise<WorkflowRecord> {
    const { value, context } = (await this.current(initiativeId)).getSnapshot();
    const { readiness, scope, confirmations, thresholds, history } = context;
    return structuredClone({ stage: stageOf(value), readiness, scope, confirmations, thresholds, history });
  }

  /**
   * Replaces the workflow of an initiative that has none yet (still in the
   * readiness assessment, nothing in its history) with an imported `record`,
   * adding an entry saying who imported it, when, and from where. `alongside`
   * runs first, in the same turn of this initiative's queue (the import of the
   * document): when it throws, the workflow is left as it was. Answers the new
   * view, which every watcher hears too. Throws a RestoreRefused saying why.
   */
  restore(
    initiativeId: string,
    record: WorkflowRecord,
    imported: { by: Person; source: ImportSource },
    alongside: () => Promise<void> = async () => {},
  ): Promise<WorkflowView> {
    return this.serially(initiativeId, async () => {
      const current = (await this.current(initiativeId)).getSnapshot();
      const entries = current.context.history.length;
      if (entries > 0 || stageOf(current.value) !== 'readiness') {
        throw new RestoreRefused(
          'not-fresh',
          `This initiative's workflow already has a history (${entries} ${entries === 1 ? 'entry' : 'entries'}); a workflow record is imported only into a new initiative.`,
        );
      }
      const { initiative, exportedAt, file } = imported.source;
      const entry: HistoryEntry = {
        at: new Date().toISOString(),
        by: imported.by,
        type: 'initiative.import',
        summary: `Imported the initiative and its workflow from the export of "${initiative.name}" (initiative ${initiative.id}) made at ${exportedAt}${file ? `, file ${file}` : ''}.`,
        source: imported.source,
      };
      const context = migrateContext({ ...structuredClone(record), history: [...record.history, entry] });
      let persisted: unknown;
      try {
        const snapshot = workflowMachine.resolveState({ value: record.stage, context });
        persisted = createActor(workflowMachine, { snapshot }).getPersistedSnapshot();
      } catch (error) {
        throw new RestoreRefused(
          'invalid',
          `The workflow cannot take this record: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      await alongside();
      await this.store.saveWorkflow(initiativeId, persisted, record.stage);
      // The next use loads the restored workflow from the store, as after a restart.
      const old = this.actors.get(initiativeId);
      this.actors.delete(initiativeId);
      await old?.then((actor) => actor.stop(), () => undefined);
      const view = await this.view(initiativeId);
      this.notify(initiativeId, view);
      this.tellAccepted(initiativeId);
      return view;
    });
  }

  stop(): void {
    for (const watch of this.watches.values()) {
      watch.cancel?.();
      watch.unwatch();
    }
    this.watches.clear();
    for (const actor of this.actors.values()) void actor.then((a) => a.stop(), () => undefined);
    this.actors.clear();
  }
}

/** A workflow record refused: the workflow already has a history, or the statechart cannot take the record. */
export class RestoreRefused extends Error {
  constructor(
    readonly reason: 'not-fresh' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}
