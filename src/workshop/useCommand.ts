/**
 * Sends workshop commands: the answer (the caller's new view) is shown at
 * once, a refusal's sentence is kept to show where the person acted.
 */
import { useCallback, useState } from 'react';
import type { WorkshopCommand } from '../contract/workshop.ts';
import { api } from '../kit/api.ts';

export interface CommandSender {
  send(command: WorkshopCommand): Promise<boolean>;
  busy: boolean;
  problem: string | null;
  clear(): void;
}

export function useCommand(initiativeId: string, workshopId: string, accept: (view: unknown) => void): CommandSender {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const send = useCallback(
    async (command: WorkshopCommand) => {
      setBusy(true);
      setProblem(null);
      try {
        const answer = await api.sendWorkshopCommand(initiativeId, workshopId, command);
        accept(answer);
        // A decision that was to confirm a step is recorded even when the workflow refuses the step: say why.
        const workflow = (answer as { workflow?: { confirmed?: boolean; reason?: string } } | null)?.workflow;
        if (workflow && workflow.confirmed === false) {
          setProblem(
            `The decision is recorded, but the step was not confirmed: ${workflow.reason ?? 'the workflow refused it.'}`,
          );
        }
        return true;
      } catch (error) {
        setProblem(error instanceof Error ? error.message : String(error));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [initiativeId, workshopId, accept],
  );
  return { send, busy, problem, clear: useCallback(() => setProblem(null), []) };
}
