/**
 * Which workshop of the initiative is running now, if any. The list is asked
 * for when the workspace opens, then every few seconds while none runs and
 * when the page comes back into view, so a workshop the facilitator starts
 * reaches every open workspace without a reload. Once one runs, its own stream
 * (useWorkshopFeed) says when it ends.
 */
import { useCallback, useEffect, useState } from 'react';
import type { WorkshopSummary } from '../contract/workshop.ts';
import { api } from '../kit/api.ts';

const POLL_MS = 3000;

/** The running workshop, and `forget` for when its stream says it ended (the list is asked again). */
export function useRunningWorkshop(initiativeId: string): [WorkshopSummary | null, () => void] {
  const [running, setRunning] = useState<WorkshopSummary | null>(null);
  const forget = useCallback(() => setRunning(null), []);

  useEffect(() => {
    if (running !== null) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const look = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      api.listWorkshops(initiativeId).then(
        (list) => {
          if (!live) return;
          const now = list.find((w) => w.status === 'running') ?? null;
          if (now) setRunning(now);
          else timer = setTimeout(look, POLL_MS);
        },
        () => {
          if (live) timer = setTimeout(look, POLL_MS * 3);
        },
      );
    };
    const onVisible = () => document.visibilityState === 'visible' && look();
    look();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      live = false;
      if (timer !== null) clearTimeout(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [initiativeId, running]);

  return [running, forget];
}
