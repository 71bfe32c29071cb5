/** Live bindings of text fields, for inputs where several people type at once. */
import * as Y from 'yjs';
import type { EntityKind } from '../../machines/entities.ts';
import { fieldSpec, isEntityKind } from './fields.ts';
import { entryOf, isSingleton, replaceText, singletonText } from './codec.ts';
import { checkField } from './writes.ts';

type Doc = Y.Doc;

/**
 * A live binding of one text field, for inputs where several people type at
 * once: `write` applies the smallest edit, so concurrent typing merges.
 */
export interface TextBinding {
  read(): string;
  write(next: string): void;
  /** Calls `listener` when the text changes (locally or remotely); answers the unsubscribe. */
  observe(listener: () => void): () => void;
}

export function bindText(doc: Doc, id: string, field: string): TextBinding | null {
  let ytext: Y.Text | undefined;
  if (isSingleton(id)) {
    if (fieldSpec(id, field)?.type !== 'text') return null;
    ytext = singletonText(doc, id, field);
  } else {
    const entry = entryOf(doc, id);
    const kind = entry?.get('kind');
    if (!isEntityKind(kind) || fieldSpec(kind, field)?.type !== 'text') return null;
    const value = entry!.get(field);
    if (value instanceof Y.Text) ytext = value;
  }
  if (!ytext) return null;
  const text = ytext;
  const kind = isSingleton(id) ? id : (entryOf(doc, id)!.get('kind') as EntityKind);
  return {
    read: () => text.toString(),
    write: (next) => {
      checkField(kind, field, next);
      doc.transact(() => replaceText(text, next));
    },
    observe: (listener) => {
      const handler = () => listener();
      text.observe(handler);
      return () => text.unobserve(handler);
    },
  };
}
