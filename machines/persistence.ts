/**
 * Reading back a persisted workflow, whatever version of the machine wrote it.
 * What is persisted is the stage and the context; nothing derived from the
 * canvas, so a restored workflow evaluated against the stored document is
 * exactly a fresh evaluation of it.
 */
import type { StateValue } from 'xstate';
import { migrateContext } from './context.ts';
import { stageOf } from './stages.ts';
import { workflowMachine } from './workflow.ts';

/**
 * A snapshot to start an actor from, out of a persisted one: the context is
 * migrated (./context.ts), and a state value this machine does not know (older
 * versions kept per-step states inside each phase) falls back to its stage.
 */
export function restoreSnapshot(persisted: unknown, machine: typeof workflowMachine = workflowMachine) {
  const { value, context } = (persisted ?? {}) as { value?: unknown; context?: unknown };
  const migrated = migrateContext(context);
  try {
    return machine.resolveState({ value: value as StateValue, context: migrated });
  } catch {
    return machine.resolveState({ value: stageOf(value), context: migrated });
  }
}
