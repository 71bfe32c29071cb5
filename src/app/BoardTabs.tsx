import { lazy, Suspense, useCallback, useSyncExternalStore, type ComponentType } from 'react';
import { Tabs } from 'radix-ui';
import { BOARDS, BOARD_LABELS, type Board } from '../../machines/entities.ts';
import type { BoardProps } from '../canvas/types.ts';
import { Loading } from '../kit/Notice.tsx';

const LOADERS: Record<Board, () => Promise<{ default: ComponentType<BoardProps> }>> = {
  stakeholders: () => import('../boards/stakeholders/StakeholderBoard.tsx'),
  boundaries: () => import('../boards/boundaries/BoundariesBoard.tsx'),
  framework: () => import('../boards/framework/FrameworkBoard.tsx'),
  governance: () => import('../boards/governance/GovernanceBoard.tsx'),
};

/** Each board is its own chunk, loaded when its tab is first opened. */
const BOARD_VIEWS: Record<Board, ComponentType<BoardProps>> = {
  stakeholders: lazy(LOADERS.stakeholders),
  boundaries: lazy(LOADERS.boundaries),
  framework: lazy(LOADERS.framework),
  governance: lazy(LOADERS.governance),
};

/** Starts loading the board the URL opens, while the initiative itself loads (the module cache keeps it). */
export function preloadBoard(): void {
  void LOADERS[readBoard()]().catch(() => undefined);
}

function readBoard(): Board {
  const match = /(?:^#|&)board=([a-z]+)/.exec(location.hash);
  const board = match?.[1];
  return (BOARDS as readonly string[]).includes(board ?? '') ? (board as Board) : 'stakeholders';
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The open board, kept in the URL hash (`#board=framework`) so a link or a reload opens the same tab. */
export function useBoardHash(): [Board, (board: Board) => void] {
  const board = useSyncExternalStore(subscribe, readBoard);
  const setBoard = useCallback((next: Board) => {
    history.replaceState(null, '', `${location.pathname}${location.search}#board=${next}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  }, []);
  return [board, setBoard];
}

/** The four shared boards as tabs (they wrap on a narrow screen, so every tab stays in reach). */
export function BoardTabs(props: BoardProps) {
  const [board, setBoard] = useBoardHash();
  const View = BOARD_VIEWS[board];
  return (
    <Tabs.Root
      className="board-tabs"
      value={board}
      onValueChange={(value) => setBoard(value as Board)}
      activationMode="manual"
    >
      <Tabs.List className="board-tabs__list" aria-label="Boards">
        {BOARDS.map((b) => (
          <Tabs.Trigger key={b} value={b} className="board-tabs__tab">
            {BOARD_LABELS[b]}
          </Tabs.Trigger>
        ))}
      </Tabs.List>
      {BOARDS.map((b) => (
        <Tabs.Content key={b} value={b} className="board-tabs__panel">
          {b === board && (
            <Suspense fallback={<Loading what={`the ${BOARD_LABELS[b].toLowerCase()}`} />}>
              <View {...props} />
            </Suspense>
          )}
        </Tabs.Content>
      ))}
    </Tabs.Root>
  );
}
