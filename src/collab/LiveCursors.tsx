import './collab.css';
import { memo, type CSSProperties } from 'react';
import { useViewport } from '@xyflow/react';
import type { Board } from '../../machines/entities.ts';
import { cursorShown, useFacilitatorCursorsOnly } from './cursorFilter.ts';
import type { PeerState } from './presence.ts';

/** Class of every collaboration overlay: image export leaves these out. */
export const OVERLAY_CLASS = 'collab-overlay';

interface Props {
  peers: readonly PeerState[];
  board: Board;
}

/**
 * Everyone else's pointer on this board: an arrow and their name, in their
 * colour. Render it as a child of <ReactFlow>; cursors are sent in flow
 * coordinates and placed here through the local pan and zoom, so they point at
 * the same spot of the board for everyone. Decorative for assistive tech (who
 * is here is announced by WhoIsHere); never catches the pointer.
 *
 * While others are on the board, a switch in its corner lets this browser show
 * only the facilitators' pointers (see ./cursorFilter.ts): in a room of many,
 * the one pointer that matters.
 */
export const LiveCursors = memo(function LiveCursors({ peers, board }: Props) {
  const { x, y, zoom } = useViewport();
  const [facilitatorsOnly] = useFacilitatorCursorsOnly();
  const here = peers.filter((peer) => peer.board === board);
  const shown = here.filter((peer) => peer.cursor && cursorShown(peer, facilitatorsOnly));
  return (
    <>
      <div className={`${OVERLAY_CLASS} collab-cursors`} aria-hidden="true" data-testid="collab-cursors">
        {shown.map((peer) => (
          <Cursor
            key={peer.clientId}
            name={peer.name}
            color={peer.color}
            left={peer.cursor!.x * zoom + x}
            top={peer.cursor!.y * zoom + y}
          />
        ))}
      </div>
    </>
  );
});

const Cursor = memo(function Cursor({ name, color, left, top }: { name: string; color: string; left: number; top: number }) {
  const style = { '--peer-color': color, transform: `translate(${left}px, ${top}px)` } as CSSProperties;
  return (
    <div className="collab-cursor" style={style} data-peer={name}>
      <svg className="collab-cursor__arrow" width="18" height="18" viewBox="0 0 18 18" focusable="false">
        <path d="M2 1.5 L2 15 L6 11.2 L8.8 17 L11.2 16 L8.5 10.3 L14 10.3 Z" />
      </svg>
      <span className="collab-cursor__label">{name}</span>
    </div>
  );
});

export interface PeerMark {
  color: string;
  name: string;
}

/**
 * Which cards others have selected on `board`: entity id → the colour and name
 * of (the first, by name) person who selected it. Give such a card an outline
 * in that colour, e.g. `peerSelectionStyle(mark)`, and name the person in its
 * title or label so colour is not the only cue.
 */
export function selectionColors(peers: readonly PeerState[], board: Board): Map<string, PeerMark> {
  const marks = new Map<string, PeerMark>();
  for (const peer of peers) {
    if (peer.board !== board || !peer.selection) continue;
    for (const id of peer.selection) if (!marks.has(id)) marks.set(id, { color: peer.color, name: peer.name });
  }
  return marks;
}

/** Inline style for a card another person has selected (a coloured outline). */
export function peerSelectionStyle(mark: PeerMark | undefined): CSSProperties | undefined {
  if (!mark) return undefined;
  return { outline: `2px dashed ${mark.color}`, outlineOffset: 3 };
}

/**
 * A small badge naming who else has a card selected; place it inside the card
 * (position: relative). Renders nothing when nobody does.
 */
export function PeerSelectionOutline({ mark }: { mark: PeerMark | undefined }) {
  if (!mark) return null;
  return (
    <span className={`${OVERLAY_CLASS} peer-selection`} style={{ '--peer-color': mark.color } as CSSProperties}>
      <span className="peer-selection__label">Selected by {mark.name}</span>
    </span>
  );
}
