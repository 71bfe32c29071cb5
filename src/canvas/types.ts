import type { ComponentType, ReactNode } from 'react';
import type { Edge, Node, NodeTypes } from '@xyflow/react';
import type { Sector } from '../../machines/domain.ts';
import type { Board, EntityKind, InitiativeModel, Position } from '../../machines/entities.ts';
import type { FixTarget } from '../kit/focus.ts';
import type { InitiativeDoc } from '../schema/index.ts';
import type { InitiativeSync } from '../sync/index.ts';

/** What every card carries: the entity it shows, plus whatever its board adds. */
export type CardData = Record<string, unknown> & { entityId: string; kind: EntityKind | 'region' };
export type BoardNode = Node<CardData>;

/**
 * An edge is either an entity of its own (a relationship) or a reference held by
 * one entity (strategy.indicatorIds, activity.strategyId): deleting the edge
 * deletes the entity, or removes the reference.
 */
export type EdgeData = { entityId?: string; ref?: { id: string; field: string; target: string; single?: boolean } };
export type BoardEdge = Edge<EdgeData>;

export interface BoardElements {
  nodes: BoardNode[];
  edges: BoardEdge[];
}

/** One way to add something to a board: a toolbar button and, optionally, a key. */
export interface Creator {
  kind: EntityKind;
  /** The button's words, e.g. "Add stakeholder". */
  label: string;
  /** A single key that adds it at the centre of the view (the board's default kind uses "n"). */
  key?: string;
  /**
   * `selected`: the cards selected when adding (e.g. an activity added with a strategy selected belongs to it);
   * `fields`: what the add form asked (see `prompt`).
   */
  create(
    doc: InitiativeDoc,
    position: Position,
    model: InitiativeModel,
    selected: readonly string[],
    fields?: Record<string, unknown>,
  ): string;
  /**
   * Asks first (an add form, for what the group must choose on purpose): `add`
   * places the card, with the form's fields, in free space near where it was asked for.
   * `preset`: fields the form starts on (a navigator link asking for a person affected by the issue).
   */
  prompt?(add: (fields: Record<string, unknown>) => void, preset?: Record<string, unknown>): void;
}

export type Positions = Record<string, Position>;

/** Everything that makes one board different from the others. */
export interface BoardDefinition {
  board: Board;
  nodeTypes: NodeTypes;
  /** The model as React Flow elements: positions are the board's placements, or defaults for the unplaced. */
  toElements(model: InitiativeModel): BoardElements;
  /** The first is the default kind (double-click on the pane, "N"). */
  creators: Creator[];
  /**
   * Joins two cards; without it the board has no connections. Answering the id
   * of a new entity (a relationship) selects it, so its panel opens to refine it.
   */
  connect?(doc: InitiativeDoc, model: InitiativeModel, source: string, target: string): string | void;
  /** Stores a dropped card's place (default: placeEntity on this board); `size` is the card's measured size. */
  onDrop?(
    doc: InitiativeDoc,
    model: InitiativeModel,
    id: string,
    position: Position,
    size: { width: number; height: number },
  ): void;
  /** Computes a tidy layout (default: elkjs layered over the board's nodes and edges). */
  layout?(model: InitiativeModel, elements: BoardElements): Positions | Promise<Positions>;
  /** Fields to leave out of the side panel, per kind (those the board edits another way). */
  hiddenFields?: Partial<Record<EntityKind, readonly string[]>>;
  /** Extra sections in the side panel, per kind. */
  panelExtras?: Partial<Record<EntityKind, ComponentType<PanelExtraProps>>>;
  /** Kinds shown here but deleted elsewhere (strategies on the governance board). */
  protectedKinds?: readonly EntityKind[];
  /** Shown when the board has no cards. */
  emptyText: { editor: string; observer: string };
  /** A card's colour in the minimap. */
  minimapColor?(node: BoardNode): string;
}

export interface PanelExtraProps {
  doc: InitiativeDoc;
  model: InitiativeModel;
  entityId: string;
  editable: boolean;
}

/** What the initiative page hands every board. */
export interface BoardProps {
  doc: InitiativeDoc;
  awareness: InitiativeSync['awareness'];
  initiativeId: string;
  /** The viewer's role in this initiative (lead, facilitator, participant, observer, admin). */
  role: string;
  editable: boolean;
  /** What the phase navigator asked to show (a new nonce for each request, so the same target can come twice). */
  focus?: FocusRequest;
  /** Whether the selected card's details panel shows (each person's choice, kept by the workspace). */
  details?: boolean;
  /** Another part of the page reading and setting the board's pan and zoom (a workshop's Follow). */
  view?: ViewLink;
}

/** A board's pan and zoom, as React Flow keeps it. */
export interface BoardViewport {
  x: number;
  y: number;
  zoom: number;
}

/** What a board tells of its view, and where it is asked to go. */
export interface ViewLink {
  /** Go to this view when it is for this board (a fresh nonce each time, so the same view can come twice). */
  goTo?: { board: Board; viewport: BoardViewport; nonce: number };
  /** Every change of the view, however it was made. */
  onMove?(board: Board, viewport: BoardViewport): void;
  /** The person started panning or zooming (a gesture, not a programmatic move). */
  onUserMoveStart?(): void;
}

/** A navigator's "fix this" as a board receives it. */
export type FocusRequest = FixTarget & { nonce: number };

/** A named arrangement of the cards, offered as a toolbar button next to "Tidy layout". */
export interface NamedLayout {
  label: string;
  compute(model: InitiativeModel): Positions;
  /** Called once the positions are written (e.g. to show the layout's backdrop). */
  onApplied?(): void;
}

export interface BoardChrome {
  /** Extra toolbar controls (filters). */
  tools?: ReactNode;
  /** Extra layouts, written like "Tidy layout": in one undo step, then fitted in view. */
  layouts?: NamedLayout[];
  /** Shown under the board (legends, notes). */
  footer?: ReactNode;
}

/** Colours per sector; always shown together with the sector's name, never alone. */
export const SECTOR_COLORS: Record<Sector, string> = {
  government: '#1d4ed8',
  business: '#b45309',
  philanthropy: '#7e22ce',
  nonprofit: '#047857',
  education: '#0e7490',
  health: '#be123c',
  faith: '#6d28d9',
  media: '#c2410c',
  residents: '#4d7c0f',
};
