import { useEffect, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import { updateEntity, type InitiativeDoc } from '../schema/index.ts';
import type { BoardEdge, BoardNode, Creator, FocusRequest } from './types.ts';
import { FIT_VIEW_OPTIONS } from './useBoardActions.ts';

/** How long the cards a navigator link points at keep their highlight. */
const HIGHLIGHT_MS = 6000;
/** Frames to wait for freshly shown cards to be measured before fitting them in view. */
const MEASURE_FRAMES = 30;

interface Inputs {
  focus: FocusRequest | undefined;
  doc: InitiativeDoc;
  editable: boolean;
  nodes: BoardNode[];
  edges: BoardEdge[];
  creators: Creator[];
  selectOnly: (ids: readonly string[]) => void;
  create: (creator: Creator) => void;
}

/**
 * Follows a navigator link on this board: selects and highlights the cards or
 * links it names and brings them into view, or, for `add`, adds a card of the
 * asked kind with the preset fields (through the board's add form, when it has
 * one, which starts on them) and opens its panel on its name. Each
 * request (its nonce) is followed once, as soon as its cards are on the board.
 * Answers the ids to highlight, and the one whose panel the request opened.
 */
export function useFocusRequest({ focus, doc, editable, nodes, edges, creators, selectOnly, create }: Inputs) {
  const flow = useReactFlow<BoardNode, BoardEdge>();
  const done = useRef<number | null>(null);
  const frame = useRef(0);
  const [highlight, setHighlight] = useState<ReadonlySet<string>>(new Set());
  /** The card or link the last request opened: its panel shows even if this person keeps panels closed. */
  const [pinned, setPinned] = useState<string | null>(null);

  // Adding writes to the document: an effect, once per request.
  useEffect(() => {
    if (!focus?.add || done.current === focus.nonce) return;
    done.current = focus.nonce;
    const { kind, preset } = focus.add;
    const creator = creators.find((c) => c.kind === kind);
    if (!creator || !editable) return;
    const prompt = creator.prompt;
    create({
      ...creator,
      // A board that asks first opens its add form on the preset fields; the person still chooses.
      prompt: prompt && ((add) => prompt(add, preset)),
      create(d, position, model, selected, fields) {
        const id = creator.create(d, position, model, selected, fields);
        if (!prompt && preset && Object.keys(preset).length > 0) updateEntity(doc, id, preset);
        setPinned(id);
        return id;
      },
    });
  }, [focus, doc, editable, creators, create]);

  // Selecting is local state: followed while rendering, as soon as the board has its elements
  // (a board opened by the link loads first).
  const [followed, setFollowed] = useState<{ nonce: number; cards: string[] } | null>(null);
  if (focus && !focus.add && followed?.nonce !== focus.nonce && nodes.length > 0) {
    const present = (focus.select ?? []).filter(
      (id) => nodes.some((n) => n.id === id) || edges.some((e) => e.id === id),
    );
    setFollowed({ nonce: focus.nonce, cards: present.filter((id) => nodes.some((n) => n.id === id)) });
    selectOnly(present);
    setHighlight(new Set(present));
    setPinned(present.length === 1 ? present[0] : null);
  }

  // Then the view moves to the cards, once they are measured.
  useEffect(() => {
    const cards = followed?.cards ?? [];
    if (cards.length === 0) return;
    let frames = 0;
    const fit = () => {
      const measured = cards.every((id) => flow.getInternalNode(id)?.measured.width);
      if (!measured && ++frames < MEASURE_FRAMES) {
        frame.current = requestAnimationFrame(fit);
        return;
      }
      void flow.fitView({ ...FIT_VIEW_OPTIONS, nodes: cards.map((id) => ({ id })), duration: 300 });
    };
    frame.current = requestAnimationFrame(fit);
    return () => cancelAnimationFrame(frame.current);
  }, [followed, flow]);

  useEffect(() => {
    if (highlight.size === 0) return;
    const timer = setTimeout(() => setHighlight(new Set()), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlight]);

  return { highlight, pinned };
}

/** The nodes with the highlighted ones marked (`is-highlighted`); the same array when none are. */
export function withHighlight(nodes: BoardNode[], highlight: ReadonlySet<string>): BoardNode[] {
  if (highlight.size === 0) return nodes;
  return nodes.map((n) =>
    highlight.has(n.id) ? { ...n, className: `${n.className ?? ''} is-highlighted`.trim() } : n,
  );
}
