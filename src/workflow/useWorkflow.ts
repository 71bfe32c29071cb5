import { useCallback, useSyncExternalStore } from 'react';
import { api } from '../kit/api.ts';
import { listenToStream } from '../kit/eventStream.ts';
import { normaliseView, type WorkflowView } from './types.ts';

export interface WorkflowState {
  workflow: WorkflowView | null;
  /** Why the workflow could not be loaded, if it could not. */
  loadError: string | null;
  /** Use an answer from the server (e.g. after posting an event) without waiting for the stream. */
  accept: (workflow: WorkflowView) => void;
}

interface Snapshot {
  workflow: WorkflowView | null;
  loadError: string | null;
}

interface Feed {
  snapshot: Snapshot;
  listeners: Set<() => void>;
  close: () => void;
}

const EMPTY: Snapshot = { workflow: null, loadError: null };
const feeds = new Map<string, Feed>();

function publish(feed: Feed, snapshot: Snapshot) {
  feed.snapshot = snapshot;
  for (const listener of feed.listeners) listener();
}

/**
 * Takes a view unless it is older than the one shown: an answer to a POST can
 * arrive after the stream already brought a later event (the history only grows).
 */
function publishView(feed: Feed, raw: WorkflowView) {
  const view = normaliseView(raw);
  const shown = feed.snapshot.workflow;
  if (shown && view.history.length < shown.history.length) return;
  publish(feed, { workflow: view, loadError: null });
}

/**
 * One feed per initiative however many components watch it: the workflow is
 * loaded once, then kept live from the server's `workflow/stream` (the page's
 * one EventSource, src/kit/eventStream.ts; the session cookie authenticates
 * it). The feed closes when its last watcher leaves.
 */
function open(initiativeId: string): Feed {
  const feed: Feed = { snapshot: EMPTY, listeners: new Set(), close: () => {} };
  let live = true;
  const accept = (workflow: WorkflowView) => live && publishView(feed, workflow);
  api.getWorkflow(initiativeId).then(accept, (error: unknown) => {
    if (live && !feed.snapshot.workflow) {
      publish(feed, { workflow: null, loadError: error instanceof Error ? error.message : String(error) });
    }
  });
  const stopListening = listenToStream(initiativeId, 'workflow', (data) => {
    try {
      accept(JSON.parse(data) as WorkflowView);
    } catch {
      // A malformed frame is ignored; the next one replaces it.
    }
  });
  feed.close = () => {
    live = false;
    stopListening();
  };
  return feed;
}

function subscribe(initiativeId: string, listener: () => void): () => void {
  let feed = feeds.get(initiativeId);
  if (!feed) {
    feed = open(initiativeId);
    feeds.set(initiativeId, feed);
  }
  const current = feed;
  current.listeners.add(listener);
  return () => {
    current.listeners.delete(listener);
    if (current.listeners.size === 0) {
      current.close();
      if (feeds.get(initiativeId) === current) feeds.delete(initiativeId);
    }
  };
}

/**
 * The initiative's workflow, live for everyone watching. Every caller for the
 * same initiative shares one load and one stream.
 *
 * Cost: re-renders on every accepted workflow event, and on every change of the
 * document that changes the server's view (at most one per 200 ms), for everyone watching.
 */
export function useWorkflow(initiativeId: string): WorkflowState {
  const subscribeTo = useCallback((listener: () => void) => subscribe(initiativeId, listener), [initiativeId]);
  const snapshot = useSyncExternalStore(subscribeTo, () => feeds.get(initiativeId)?.snapshot ?? EMPTY);
  const accept = useCallback((workflow: WorkflowView) => {
    const feed = feeds.get(initiativeId);
    if (feed) publishView(feed, workflow);
  }, [initiativeId]);
  return { workflow: snapshot.workflow, loadError: snapshot.loadError, accept };
}
