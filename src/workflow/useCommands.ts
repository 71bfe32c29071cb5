import { useCallback, useState } from 'react';
import type { WorkflowCommand } from '../../machines/index.ts';
import type { WorkflowView } from '../contract/index.ts';
import { ApiError, api } from '../kit/api.ts';
import type { Refusal } from './WorkflowErrors.tsx';

/** What became of a sent event: accepted, or refused with why in words (for the form that sent it). */
export type Outcome = { ok: true } | { ok: false; error: string };

/** Sends a workflow event. */
export type Send = (event: WorkflowCommand) => Promise<Outcome>;

export interface Commands {
  send: Send;
  busy: boolean;
  /** Why the server refused the last event (409 with what is missing, 400 with the field). */
  refusal: Refusal | null;
}

/** The words a form shows beside its field: what is missing, the field's own problem, or the message. */
function errorOf(refusal: Refusal): string {
  if (refusal.unmet.length > 0) return refusal.unmet.map((u) => u.message).join(' ');
  return refusal.issues?.[0]?.message ?? refusal.message;
}

/** Sending workflow events for one initiative, with the server's refusals kept for the alert region. */
export function useCommands(initiativeId: string, accept: (workflow: WorkflowView) => void): Commands {
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal | null>(null);

  const send = useCallback<Send>(
    async (event) => {
      setBusy(true);
      try {
        accept(await api.sendWorkflowEvent(initiativeId, event));
        setRefusal(null);
        return { ok: true };
      } catch (error) {
        const api = error instanceof ApiError ? error : null;
        const refused: Refusal = {
          status: api?.status ?? 0,
          message: error instanceof Error ? error.message : String(error),
          unmet: api?.unmet ?? [],
          issues: api?.issues ?? [],
        };
        setRefusal(refused);
        return { ok: false, error: errorOf(refused) };
      } finally {
        setBusy(false);
      }
    },
    [initiativeId, accept],
  );

  return { send, busy, refusal };
}
