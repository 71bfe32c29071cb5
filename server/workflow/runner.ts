/**
 * The authoritative workflow actors, one per initiative. Each accepted event is
 * persisted (snapshot and listed stage in one transaction) before anyone hears
 * of it; a refused one changes nothing and says why.
 *
 * The phase guards read what the group has built: before each event the runner
 * reads the initiative's current document through `readModel` and attaches it
 * to the event as `model` (docs/workflow.md). Views are computed from the
 * current document too, so every status they show is live.
 */
import { createActor, type Actor } from 'xstate';
import type { InitiativeModel } from '../../machines/entities.ts';
import type { TimeEstimate, ScopeRecord } from '../../machines/estimate.ts';
import type { Confirmations } from '../../machines/steps.ts';
import { blankModel } from '../../machines/steps.ts';
import type { Thresholds } from '../../machines/thresholds.ts';
import {
  evaluateWorkflow,
  explainRefusal,
  restoreSnapshot,
  stageOf,
  STAGE_LABELS,
  workflowMachine,
  type HistoryEntry,
  type Stage,
  type WorkflowCommand,
  type WorkflowComponents,
  type WorkflowEvent,
} from '../../machines/workflow.ts';
import type { Person, ReadinessRecord, Unmet } from '../../machines/readiness.ts';
import { readModel as readDocModel } from '../../src/schema/model.ts';
import type { Store } from '../store.ts';
import type { Logger } from '../log.ts';
import type { Rooms } from '../sync/rooms.ts';
// Export and import of the workflow record (record, restore).
import { migrateContext, type ImportSource } from '../../machines/workflow.ts';
import type { WorkflowRecord } from '../../src/schema/workflowRecord.ts';

export interface WorkflowView {
  stage: Stage;
  stageLabel: string;
  readiness: ReadinessRecord;
  /**
   * What stops the next move now: unmet preconditions during readiness; in Phase I
   * and II what stops `phase.advance` (`{ component, step, message }`); in Phase III
   * the steps still open.
   */
  unmet: Unmet[];
  history: HistoryEntry[];
  /** Every phase, every component, every step, from the current document. */
  components: WorkflowComponents;
  /** The answers behind the estimate, and the estimate itself. */
  scope: ScopeRecord | null;
  estimate: TimeEstimate;
  thresholds: Thresholds;
  confirmations: Confirmations;
}

export type SendResult = { ok: true; view: WorkflowView } | { ok: false; unmet: Unmet[] };

/** Answers the initiative's current model: what the group has built on the canvas. */
export type ModelReader = (initiativeId: string) => InitiativeModel | Promise<InitiativeModel>;

type WorkflowActor = Actor<typeof workflowMachine>;

export class WorkflowRunner {
  private readonly actors = new Map<string, WorkflowActor>();
  private readonly listeners = new Map<string, Set<(view: WorkflowView) => void>>();
  private readonly queues = new Map<string, Promise<unknown>>();

  /**
   * A model reader over the sync rooms: the live document of the initiative's
   * room (loading it from storage when nobody is connected, and letting it unload
   * again afterwards).
   */
  static roomReader(rooms: Rooms): ModelReader {
    return async (initiativeId) => {
      const room = await rooms.open(initiativeId);
      try {
        const model = readDocModel(room.doc);
        if (room.failed) throw new Error(`the document of ${initiativeId} could not be loaded`);
        return model;
      } finally {
        rooms.abandon(room);
      }
    };
  }

  /**
   * @param readModel how to read an initiative's current document. Without it
   * every guard sees an empty canvas (so no phase completes without an override):
   * the server passes `WorkflowRunner.roomReader(rooms)`.
   */
  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly readModel: ModelReader = () => blankModel(),
  ) {}

  private actor(initiativeId: string): WorkflowActor {
    let actor = this.actors.get(initiativeId);
    if (actor) return actor;
    const machine = workflowMachine.provide({
      actions: {
        stageEntered: (_, params) => this.log.info({ room: initiativeId, stage: params.stage }, 'stage entered'),
      },
    });
    const persisted = this.store.loadWorkflow(initiativeId);
    actor = createActor(machine, persisted ? { snapshot: restoreSnapshot(persisted, machine) } : {});
    actor.start();
    this.actors.set(initiativeId, actor);
    if (!persisted) this.persist(initiativeId, actor);
    return actor;
  }

  /** Creates (and persists) the workflow of a new initiative. */
  ensure(initiativeId: string): void {
    this.actor(initiativeId);
  }

  /** The workflow, its step statuses computed from the current document. */
  async view(initiativeId: string): Promise<WorkflowView> {
    const model = await this.readModel(initiativeId);
    return this.viewWith(initiativeId, model);
  }

  private viewWith(initiativeId: string, model: InitiativeModel): WorkflowView {
    const { value, context } = this.actor(initiativeId).getSnapshot();
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
   * run one at a time, in the order they were sent.
   */
  send(initiativeId: string, command: WorkflowCommand, by: Person): Promise<SendResult> {
    return this.serially(initiativeId, async () => {
      const actor = this.actor(initiativeId);
      const model = await this.readModel(initiativeId);
      const before = actor.getSnapshot();
      const unmet = explainRefusal(stageOf(before.value), before.context, command, model);
      if (unmet.length > 0) return { ok: false, unmet };
      const event = { ...command, by, at: new Date().toISOString(), model } as WorkflowEvent;
      if (!before.can(event)) return { ok: false, unmet: [{ message: 'The workflow cannot take this step now.' }] };
      actor.send(event);
      this.persist(initiativeId, actor);
      const view = this.viewWith(initiativeId, model);
      this.notify(initiativeId, view);
      return { ok: true, view };
    });
  }

  /**
   * Tells everyone watching the workflow its statuses after a change of the
   * document (optional: without it, watchers hear of document changes with the
   * next accepted event, and the UI evaluates the live model itself).
   */
  async refresh(initiativeId: string): Promise<void> {
    if (!this.listeners.has(initiativeId)) return;
    this.notify(initiativeId, await this.view(initiativeId));
  }

  /** Calls `listener` with the new view after every accepted event. */
  subscribe(initiativeId: string, listener: (view: WorkflowView) => void): () => void {
    const set = this.listeners.get(initiativeId) ?? new Set();
    set.add(listener);
    this.listeners.set(initiativeId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(initiativeId);
    };
  }

  private notify(initiativeId: string, view: WorkflowView): void {
    for (const listener of this.listeners.get(initiativeId) ?? []) listener(view);
  }

  private serially<T>(initiativeId: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(initiativeId) ?? Promise.resolve();
    const result = previous.then(task);
    const settled = result.catch(() => undefined);
    this.queues.set(initiativeId, settled);
    void settled.then(() => {
      if (this.queues.get(initiativeId) === settled) this.queues.delete(initiativeId);
    });
    return result;
  }

  private persist(initiativeId: string, actor: WorkflowActor): void {
    const snapshot = actor.getSnapshot();
    this.store.saveWorkflow(initiativeId, actor.getPersistedSnapshot(), stageOf(snapshot.value));
  }

  /**
   * The workflow record an export carries: the stage, the readiness
   * assessments, the scope answers, the confirmed steps, the thresholds and the
   * history with who, when and why (src/schema/workflowRecord.ts).
   */
  record(initiativeId: string): WorkflowRecord {
    const { value, context } = this.actor(initiativeId).getSnapshot();
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
      const current = this.actor(initiativeId).getSnapshot();
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
      this.store.saveWorkflow(initiativeId, persisted, record.stage);
      // The next use loads the restored workflow from the store, as after a restart.
      this.actors.get(initiativeId)?.stop();
      this.actors.delete(initiativeId);
      const view = await this.view(initiativeId);
      this.notify(initiativeId, view);
      return view;
    });
  }

  stop(): void {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
    this.listeners.clear();
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
