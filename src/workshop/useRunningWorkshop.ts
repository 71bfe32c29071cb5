/**
 * Which workshop of the initiative is running now, if any: the initiative's
 * event stream (the one the workflow and access events share, src/kit/eventStream.ts)
 * sends the list of workshops when it opens and whenever one is created, starts
 * or ends, so the bar appears and goes on every open page without a reload.
 */
import { useEffect, useState } from 'react';
import type { WorkshopSummary } from '../contract/workshop.ts';
import { listenToStream } from '../kit/eventStream.ts';

export function readList(data: string): WorkshopSummary[] | null {
  try {
    const value: unknown = JSON.parse(data);
    return Array.isArray(value) ? (value as WorkshopSummary[]) : null;
  } catch {
    return null;
  }
}

export function useRunningWorkshop(initiativeId: string): WorkshopSummary | null {
  const [heard, setHeard] = useState<{ of: string; running: WorkshopSummary | null } | null>(null);
  useEffect(
    () =>
      listenToStream(initiativeId, 'workshops', (data) => {
        const list = readList(data);
        if (list) setHeard({ of: initiativeId, running: list.find((w) => w.status === 'running') ?? null });
      }),
    [initiativeId],
  );
  return heard?.of === initiativeId ? heard.running : null;
}
