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
import { blankModel } from '../../machines/steps.ts';
import {
  evaluateWorkflow,
  explainRefusal,
  restoreSnapshot,
  stageOf,
  STAGE_LABELS,
  workflowMachine,
  type WorkflowCommand,
  type WorkflowEvent,
} from '../../machines/workflow.ts';
import type { Person, Unmet } from '../../machines/readiness.ts';
import type { WorkflowView } from '../../src/contract/index.ts';
import { readModel as readDocModel } from '../../src/schema/model.ts';
import type { Store } from '../store.ts';
import type { Logger } from '../log.ts';
import type { Rooms } from '../sync/rooms.ts';

export type { WorkflowView };

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

  stop(): void {
    for (const actor of this.actors.values()) actor.stop();
    this.actors.clear();
    this.listeners.clear();
  }
}
