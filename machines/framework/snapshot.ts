/**
 * Reading the strategic action framework out of an initiative's model
 * (docs/framework.md): the copy a saved version keeps, how many cards of each
 * kind it holds, and the words that name a card in a comparison. Pure: the
 * server saves versions with it, the board's version panel reads the same data.
 */
import { ENTITY_KIND_LABELS, SINGLETON_KINDS, type InitiativeModel, type Position } from '../entities.ts';
import { FRAMEWORK_KINDS, type FrameworkEntity, type FrameworkKind, type FrameworkSnapshot } from './types.ts';

/** How many characters of a card's words name it in a comparison. */
export const LABEL_MAX_LENGTH = 80;

/** Whether `kind` is one of the three kinds an initiative has exactly one of (problem, goal, evaluation). */
export const isSingletonKind = (kind: string): boolean => (SINGLETON_KINDS as readonly string[]).includes(kind);

/**
 * The framework as `model` holds it now: every card of FRAMEWORK_KINDS with
 * all its fields (a deep copy: the model may change afterwards, the snapshot
 * does not), sorted by id, and where each sits on the framework board. Sticky
 * notes and the other boards are not part of it.
 */
export function frameworkSnapshot(model: Pick<InitiativeModel, 'entities' | 'placements'>): FrameworkSnapshot {
  const entities = Object.fromEntries(
    FRAMEWORK_KINDS.map((kind) => [
      kind,
      [...(model.entities[kind] as FrameworkEntity[])].sort(byId).map((entity) => structuredClone(entity)),
    ]),
  ) as FrameworkSnapshot['entities'];
  const ids = new Set(FRAMEWORK_KINDS.flatMap((kind) => entities[kind].map((e) => e.id)));
  const placements: Record<string, Position> = {};
  const onBoard = model.placements.framework ?? {};
  for (const id of Object.keys(onBoard).sort()) {
    if (ids.has(id)) placements[id] = { x: onBoard[id].x, y: onBoard[id].y };
  }
  return { entities, placements };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Every card of a snapshot, in the order of FRAMEWORK_KINDS, then by id. */
export function snapshotEntities(snapshot: FrameworkSnapshot): FrameworkEntity[] {
  return FRAMEWORK_KINDS.flatMap((kind) => (snapshot.entities[kind] ?? []) as FrameworkEntity[]);
}

/** The main words of a card: a name, a title, a statement, a description or an approach. */
function wordsOf(entity: FrameworkEntity): string {
  const e = entity as unknown as Record<string, unknown>;
  for (const field of ['name', 'title', 'statement', 'description', 'approach']) {
    if (typeof e[field] === 'string' && (e[field] as string).trim()) return (e[field] as string).trim();
  }
  return '';
}

/**
 * Whether a card holds anything: the one problem description, goal and
 * evaluation approach always exist, empty until someone writes them.
 */
export function hasContent(entity: FrameworkEntity): boolean {
  return !isSingletonKind(entity.kind) || wordsOf(entity) !== '';
}

/**
 * The words that name a card in a comparison: the kind's name for the one
 * problem description, goal and evaluation approach ("Goal"); otherwise the
 * card's name or first words, cut at LABEL_MAX_LENGTH characters, or the
 * kind's name when it has none ("Strategy").
 */
export function cardLabel(entity: FrameworkEntity): string {
  const kindLabel = ENTITY_KIND_LABELS[entity.kind];
  if (isSingletonKind(entity.kind)) return kindLabel;
  const words = wordsOf(entity).replace(/\s+/g, ' ');
  if (!words) return kindLabel;
  return words.length > LABEL_MAX_LENGTH ? `${words.slice(0, LABEL_MAX_LENGTH - 1).trimEnd()}…` : words;
}

/**
 * How many cards of each kind a snapshot holds (every kind named, 0 when none);
 * the problem description, goal and evaluation approach count once written.
 */
export function snapshotCounts(snapshot: FrameworkSnapshot): Record<FrameworkKind, number> {
  return Object.fromEntries(
    FRAMEWORK_KINDS.map((kind) => [kind, ((snapshot.entities[kind] ?? []) as FrameworkEntity[]).filter(hasContent).length]),
  ) as Record<FrameworkKind, number>;
}
