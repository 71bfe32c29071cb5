import { useCallback, useEffect, useState } from 'react';
import { api, type Workflow } from '../app/api.ts';

export interface WorkflowState {
  workflow: Workflow | null;
  /** Why the workflow could not be loaded, if it could not. */
  loadError: string | null;
  /** Use an answer from the server (e.g. after posting an event) without waiting for the stream. */
  accept: (workflow: Workflow) => void;
}

/**
 * The initiative's workflow, loaded once and then kept live from the server's
 * `workflow/stream` (an EventSource; the session cookie authenticates it).
 *
 * Cost: re-renders on every accepted workflow event, for everyone watching.
 */
export function useWorkflow(initiativeId: string): WorkflowState {
  const [state, setState] = useState<{ id: string; workflow: Workflow | null; loadError: string | null }>({
    id: initiativeId,
    workflow: null,
    loadError: null,
  });

  useEffect(() => {
    let live = true;
    const accept = (workflow: Workflow) => live && setState({ id: initiativeId, workflow, loadError: null });
    api.getWorkflow(initiativeId).then(accept, (error: unknown) => {
      if (live) {
        setState((current) => ({
          id: initiativeId,
          workflow: current.id === initiativeId ? current.workflow : null,
          loadError: error instanceof Error ? error.message : String(error),
        }));
      }
    });
    const stream = new EventSource(api.workflowStreamUrl(initiativeId));
    const onWorkflow = (event: MessageEvent<string>) => {
      try {
        accept(JSON.parse(event.data) as Workflow);
      } catch {
        // A malformed frame is ignored; the next one replaces it.
      }
    };
    stream.addEventListener('workflow', onWorkflow);
    return () => {
      live = false;
      stream.removeEventListener('workflow', onWorkflow);
      stream.close();
    };
  }, [initiativeId]);

  const accept = useCallback(
    (workflow: Workflow) => setState({ id: initiativeId, workflow, loadError: null }),
    [initiativeId],
  );

  const current = state.id === initiativeId ? state : { workflow: null, loadError: null };
  return { workflow: current.workflow, loadError: current.loadError, accept };
}
