import { memo, type CSSProperties } from 'react';
import type { NodeProps } from '@xyflow/react';
import type { BoardNode, CardData } from './types.ts';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * A labelled area drawn behind the cards (the boundary, a quadrant, a roadmap
 * column): a node that cannot be selected, moved or deleted, and lets clicks
 * through to the board.
 */
export function regionNode(id: string, label: string, rect: Rect, tone = 'neutral', note?: string): BoardNode {
  return {
    id: `region:${id}`,
    type: 'region',
    position: { x: rect.x, y: rect.y },
    width: rect.width,
    height: rect.height,
    data: { entityId: '', kind: 'region', label, tone, note } satisfies CardData,
    draggable: false,
    selectable: false,
    deletable: false,
    connectable: false,
    focusable: false,
    zIndex: -1,
    className: 'region-node',
  };
}

function RegionView({ data, width, height }: NodeProps<BoardNode>) {
  const style = { width, height } as CSSProperties;
  return (
    <div className={`region region--${String(data.tone)}`} style={style}>
      <span className="region__label">{String(data.label)}</span>
      {typeof data.note === 'string' && <span className="region__note">{data.note}</span>}
    </div>
  );
}

export const RegionNode = memo(RegionView);

export const isRegion = (node: BoardNode) => node.type === 'region';
