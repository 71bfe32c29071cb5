/**
 * A running workshop in the workspace: which one runs, its live view, the
 * shared timer, the bring and follow moves, and the bar that shows it all.
 * The workspace (src/app/InitiativePage.tsx) only composes: it places `bar`
 * under its header and hands `view` to the boards.
 */
import { useCallback, useState, type ReactNode } from 'react';
import type { Board } from '../../machines/entities.ts';
import type { ViewLink } from '../canvas/types.ts';
import { can } from '../contract/permissions.ts';
import type { InitiativeDoc } from '../schema/index.ts';
import type { Awareness } from '../sync/index.ts';
import { LiveBar } from './LiveBar.tsx';
import { useCommand } from './useCommand.ts';
import { useFollow } from './useFollow.ts';
import { useRunningWorkshop } from './useRunningWorkshop.ts';
import { useWorkshopFeed, type BringEvent } from './useWorkshopFeed.ts';

interface Options {
  initiativeId: string;
  role: string;
  doc: InitiativeDoc;
  awareness: Awareness | null;
  setBoard(board: Board): void;
}

export interface LiveWorkshop {
  bar: ReactNode;
  /** For the boards while a workshop runs (Follow, Bring everyone to my view). */
  view: ViewLink | undefined;
}

const stayKey = (initiativeId: string) => `convene:workshop-stay:${initiativeId}`;

function readStay(initiativeId: string): boolean {
  try {
    return localStorage.getItem(stayKey(initiativeId)) === '1';
  } catch {
    return false;
  }
}

export function useLiveWorkshop({ initiativeId, role, doc, awareness, setBoard }: Options): LiveWorkshop {
  const running = useRunningWorkshop(initiativeId);
  const [stayPut, setStayPut] = useState(() => readStay(initiativeId));
  const onStayPut = useCallback(
    (stay: boolean) => {
      setStayPut(stay);
      try {
        localStorage.setItem(stayKey(initiativeId), stay ? '1' : '0');
      } catch {
        // Private mode: the choice lasts for this page.
      }
    },
    [initiativeId],
  );
  const onBring = useCallback(
    (event: BringEvent) => {
      if (event.board && !stayPut) setBoard(event.board);
    },
    [stayPut, setBoard],
  );
  const workshopId = running?.id ?? null;
  const feed = useWorkshopFeed(initiativeId, workshopId, onBring);
  const view = feed.received?.view ?? null;
  const status = view?.status ?? null;
  const active = status === 'running';
  const runs = can(role, 'runWorkshop');
  const follow = useFollow({ awareness, active, shares: runs, stayPut, setBoard });
  const commands = useCommand(initiativeId, workshopId ?? '', feed.accept);

  const bar =
    active && feed.received && workshopId ? (
      <LiveBar
        initiativeId={initiativeId}
        workshopId={workshopId}
        received={feed.received!}
        doc={doc}
        commands={commands}
        runs={runs}
        takesPart={can(role, 'takePartInWorkshop')}
        follow={follow}
        stayPut={stayPut}
        onStayPut={onStayPut}
      />
    ) : null;
  return { bar, view: active ? follow.view : undefined };
}
