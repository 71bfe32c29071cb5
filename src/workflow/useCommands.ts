import { useCallback, useState } from 'react';
import type { WorkflowCommand } from '../../machines/index.ts';
import type { WorkflowView } from '../contract/index.ts';
import { ApiError, api } from '../kit/api.ts';
import type { Refusal } from './WorkflowErrors.tsx';

export interface Commands {
  /** Sends a workflow event; answers whether the server accepted it. */
  send: (event: WorkflowCommand) => Promise<boolean>;
  busy: boolean;
  /** Why the server refused the last event (409 with what is missing, 400 with the field). */
  refusal: Refusal | null;
}

/** Sending workflow events for one initiative, with the server's refusals kept for the alert region. */
export function useCommands(initiativeId: string, accept: (workflow: WorkflowView) => void): Commands {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const send = useCallback(
    async (event: WorkflowCommand) => {
      setBusy(true);
      try {
        accept(await api.sendWorkflowEvent(initiativeId, event));
        setRefusal(null);
        return true;
      } catch (error) {
        const api = error instanceof ApiError ? error : null;
        setRefusal({
          status: api?.status ?? 0,
          message: error instanceof Error ? error.message : String(error),
          unmet: api?.unmet ?? [],
          issues: api?.issues ?? [],
        });
        return false;
      } finally {
        setBusy(false);
      }
    },
    [initiativeId, accept],
  );

  return { send, busy, refusal };
}
