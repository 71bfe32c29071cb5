import './boards.css';
import type { CSSProperties, ReactNode } from 'react';
import { Handle, Position } from '@xyflow/react';
import { PeerSelectionOutline, type PeerMark } from '../canvas/kit.ts';

interface Props {
  /** The card's style: `card--<variant>`. */
  variant: string;
  /** Small words above the title: the kind of card. */
  eyebrow?: string;
  title: string;
  selected?: boolean;
  connectable?: boolean;
  /** Without handles the card cannot be linked. */
  handles?: boolean;
  /** Links enter on the left and leave on the right (a roadmap read left to right); default top to bottom. */
  horizontal?: boolean;
  style?: CSSProperties;
  /** Someone else who has this card selected. */
  peer?: unknown;
  /** A mark that stays when the board is zoomed out to its overview (a measure's trend arrow), beside the title. */
  badge?: ReactNode;
  children?: ReactNode;
}

/** The body every board's cards share: eyebrow, title, details, and link handles. Zoomed out, only the title shows. */
export function Card({ variant, eyebrow, title, selected, connectable, handles = true, horizontal, style, peer, badge, children }: Props) {
  const into = horizontal ? Position.Left : Position.Top;
  const out = horizontal ? Position.Right : Position.Bottom;
  return (
    <div className={`card card--${variant}${selected ? ' is-selected' : ''}`} style={style}>
      {handles && <Handle type="target" position={into} isConnectable={connectable} className="card__handle" />}
      <PeerSelectionOutline mark={peer as PeerMark | undefined} />
      {eyebrow && <div className="card__eyebrow">{eyebrow}</div>}
      {badge && <div className="card__badge">{badge}</div>}
      <div className="card__title">{title || '(unnamed)'}</div>
      {/* Hidden when the board is zoomed out to its overview (name and colour only: canvas.css). */}
      {children && <div className="card__details">{children}</div>}
      {handles && <Handle type="source" position={out} isConnectable={connectable} className="card__handle" />}
    </div>
  );
}

/** Names as small chips (members, owners, carriers). */
export function Chips({ label, names }: { label: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <div className="card__chips">
      <span className="card__chips-label">{label}:</span>
      {names.map((name, i) => (
        <span key={i} className="chip">
          {name}
        </span>
      ))}
    </div>
  );
}

export function truncate(text: string, max = 140): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
