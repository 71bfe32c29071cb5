/**
 * How the schema's values are laid out in a Yjs document and encoded in Y types
 * (the layout is described in ./model.ts and docs/schema.md): where entities,
 * singletons and placements live, and how each field type is written into and
 * read out of its Y type. Only the schema's own modules import this file.
 */
import * as Y from 'yjs';
import { BACKBONE_FUNCTIONS, SINGLETON_KINDS, type Board, type Position } from '../../machines/entities.ts';
import type { FieldSpec } from './fields.ts';

type Doc = Y.Doc;
type SingletonKind = (typeof SINGLETON_KINDS)[number];

export const entitiesOf = (doc: Doc) => doc.getMap<Y.Map<unknown>>('entities');
export const placementsOf = (doc: Doc, board: Board) => doc.getMap<Position>(`placements.${board}`);
export const singletonText = (doc: Doc, kind: SingletonKind, field: string) => doc.getText(`${kind}.${field}`);

export function isSingleton(kind: string): kind is SingletonKind {
  return (SINGLETON_KINDS as readonly string[]).includes(kind);
}

export function entryOf(doc: Doc, id: string): Y.Map<unknown> | undefined {
  const entry: unknown = entitiesOf(doc).get(id);
  return entry instanceof Y.Map ? entry : undefined;
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** Replaces a Y.Text's content with `next` by the smallest single edit, so concurrent typing merges. */
export function replaceText(ytext: Y.Text, next: string): void {
  const prev = ytext.toString();
  if (prev === next) return;
  let start = 0;
  const max = Math.min(prev.length, next.length);
  while (start < max && prev.charCodeAt(start) === next.charCodeAt(start)) start++;
  // Never split a surrogate pair (an emoji): edit the whole character.
  if (start > 0 && isHighSurrogate(prev.charCodeAt(start - 1))) start--;
  let end = 0;
  while (end < max - start && prev.charCodeAt(prev.length - 1 - end) === next.charCodeAt(next.length - 1 - end)) {
    end++;
  }
  if (end > 0 && isLowSurrogate(prev.charCodeAt(prev.length - end))) end--;
  const removed = prev.length - start - end;
  if (removed > 0) ytext.delete(start, removed);
  const inserted = next.slice(start, next.length - end);
  if (inserted) ytext.insert(start, inserted);
}

function idSet(ids: readonly string[]): Y.Map<true> {
  const set = new Y.Map<true>();
  for (const id of new Set(ids)) set.set(id, true);
  return set;
}

function syncIdSet(set: Y.Map<true>, ids: readonly string[]): void {
  const wanted = new Set(ids);
  for (const id of [...set.keys()]) if (!wanted.has(id)) set.delete(id);
  for (const id of wanted) if (!set.has(id)) set.set(id, true);
}

export function initialValue(spec: FieldSpec, value: unknown): unknown {
  switch (spec.type) {
    case 'text':
      return new Y.Text(value as string);
    case 'refs':
      return idSet(value as string[]);
    case 'labels':
      // A fresh array: Yjs stores plain values by copy, the caller's list stays its own.
      return [...(value as string[])];
    case 'functions': {
      const map = new Y.Map<Y.Map<true>>();
      for (const fn of BACKBONE_FUNCTIONS) map.set(fn, idSet((value as Record<string, string[]>)[fn] ?? []));
      return map;
    }
    default:
      return value;
  }
}

export function writeField(entry: Y.Map<unknown>, field: string, spec: FieldSpec, value: unknown): void {
  const current = entry.get(field);
  switch (spec.type) {
    case 'text':
      if (current instanceof Y.Text) replaceText(current, value as string);
      else entry.set(field, new Y.Text(value as string));
      return;
    case 'refs':
      if (current instanceof Y.Map) syncIdSet(current as Y.Map<true>, value as string[]);
      else entry.set(field, idSet(value as string[]));
      return;
    case 'functions':
      // Keep the inner sets, so a concurrent toggle of another function or stakeholder survives.
      if (current instanceof Y.Map) {
        for (const fn of BACKBONE_FUNCTIONS) {
          const ids = (value as Record<string, string[]>)[fn] ?? [];
          const set = current.get(fn);
          if (set instanceof Y.Map) syncIdSet(set as Y.Map<true>, ids);
          else current.set(fn, idSet(ids));
        }
      } else entry.set(field, initialValue(spec, value));
      return;
    case 'labels': {
      const next = value as string[];
      const same = Array.isArray(current) && current.length === next.length && current.every((v, i) => v === next[i]);
      if (!same) entry.set(field, [...next]);
      return;
    }
    default:
      if (current !== value) entry.set(field, value);
  }
}

export function readField(spec: FieldSpec, raw: unknown): unknown {
  switch (spec.type) {
    case 'text':
      return raw instanceof Y.Text ? raw.toString() : undefined;
    case 'refs':
      return raw instanceof Y.Map ? [...raw.keys()].sort() : undefined;
    case 'labels':
      // A copy: the model must not share arrays with the document.
      return Array.isArray(raw) ? [...(raw as unknown[])] : undefined;
    case 'functions': {
      if (!(raw instanceof Y.Map)) return undefined;
      return Object.fromEntries(
        BACKBONE_FUNCTIONS.map((fn) => {
          const set = raw.get(fn);
          return [fn, set instanceof Y.Map ? [...set.keys()].sort() : []];
        }),
      );
    }
    default:
      return raw;
  }
}
