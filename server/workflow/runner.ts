/**
 * The authoritative workflow actors, one per initiative. Each accepted event is
 * persisted (snapshot and listed stage in one transaction) before anyone hears
 * of it; a refused one changes nothing and says why.
 */
import { createActor, type Actor } from 'xstate';
import {
  explainRefusal,
  stageOf,
  STAGE_LABELS,
  workflowMachine,
  type HistoryEntry,
  type Stage,
  type WorkflowCommand,
  type WorkflowEvent,
} from '../../machines/workflow.ts';
import { unmetPreconditions, type Person, type ReadinessRecord, type Unmet } from '../../machines/readiness.ts';
import type { Store } from '../store.ts';
import type { Logger } from '../log.ts';

export interface WorkflowView {
  stage: Stage;
  stageLabel: string;
  readiness: ReadinessRecord;
  /** What stops `readiness.confirm` now; empty when ready or past readiness. */
  unmet: Unmet[];
  history: HistoryEntry[];
}

export type SendResult = { ok: true; view: WorkflowView } | { ok: false; unmet: Unmet[] };

type WorkflowActor = Actor<typeof workflowMachine>;

export class WorkflowRunner {
  private readonly actors = new Map<string, WorkflowActor>();
  private readonly listeners = new Map<string, Set<(view: WorkflowView) => void>>();

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
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
    actor = createActor(machine, persisted ? { snapshot: persisted as never } : {});
    actor.start();
    this.actors.set(initiativeId, actor);
    if (!persisted) this.persist(initiativeId, actor);
    return actor;
  }

  view(initiativeId: string): WorkflowView {
    const snapshot = this.actor(initiativeId).getSnapshot();
    const stage = stageOf(snapshot.value);
    return {
      stage,
      stageLabel: STAGE_LABELS[stage],
      readiness: snapshot.context.readiness,
      unmet: stage === 'readiness' ? unmetPreconditions(snapshot.context.readiness) : [],
      history: snapshot.context.history,
    };
  }

  /** Sends `command` on behalf of `by`. Refusals leave the workflow exactly as it was. */
  send(initiativeId: string, command: WorkflowCommand, by: Person): SendResult {
    const actor = this.actor(initiativeId);
    const before = actor.getSnapshot();
    const unmet = explainRefusal(stageOf(before.value), before.context, command);
    if (unmet.length > 0) return { ok: false, unmet };
    const event = { ...command, by, at: new Date().toISOString() } as WorkflowEvent;
    if (!before.can(event)) return { ok: false, unmet: [{ message: 'The workflow cannot take this step now.' }] };
    actor.send(event);
    this.persist(initiativeId, actor);
    const view = this.view(initiativeId);
    for (const listener of this.listeners.get(initiativeId) ?? []) listener(view);
    return { ok: true, view };
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
