/**
 * The framework's saved versions, live: asked once, then again whenever the
 * workflow's history grows (a version is saved or restored by anyone: the page
 * already hears every workflow event) and when the stream reconnects.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FrameworkVersionSummary } from '../../../contract/portfolio.ts';
import { api } from '../../../kit/api.ts';
import { listenToStream } from '../../../kit/eventStream.ts';
import { useWorkflow } from '../../../workflow/useWorkflow.ts';

export interface Versions {
  /** Newest first; null until the first answer. */
  versions: FrameworkVersionSummary[] | null;
  error: string | null;
  reload: () => void;
}

export function useVersions(initiativeId: string): Versions {
  const [state, setState] = useState<{ versions: FrameworkVersionSummary[] | null; error: string | null }>({
    versions: null,
    error: null,
  });
  const asked = useRef(0);
  const history = useWorkflow(initiativeId).workflow?.history.length ?? 0;
  const reload = useCallback(() => {
    const ask = ++asked.current;
    api.listFrameworkVersions(initiativeId).then(
      (versions) => ask === asked.current && setState({ versions, error: null }),
      (error: unknown) =>
        ask === asked.current &&
        setState((now) => ({ ...now, error: error instanceof Error ? error.message : String(error) })),
    );
  }, [initiativeId]);
  useEffect(() => {
    reload();
    return listenToStream(initiativeId, 'open', reload);
  }, [initiativeId, reload, history]);
  useEffect(() => () => void (asked.current += 1), []);
  return { ...state, reload };
}
