import './collab.css';
import { useCallback, useEffect, useId, useRef, useState, useSyncExternalStore } from 'react';
import { SchemaError, bindText, observeInitiative, type InitiativeDoc } from '../schema/index.ts';
import { shiftSelection } from './caret.ts';

interface Props {
  doc: InitiativeDoc;
  /** The entity's id, or a singleton's kind ('problem', 'goal', 'evaluation'). */
  entityId: string;
  /** A text field of that entity (FIELDS says which are text). */
  field: string;
  label: string;
  multiline?: boolean;
  readOnly?: boolean;
  placeholder?: string;
  /** Rows of a multiline field. */
  rows?: number;
  /** Hint shown under the field (linked as its description). */
  hint?: string;
  className?: string;
  /** The schema's limit: typing stops there. */
  maxLength?: number;
}

/** "stakeholder.name is required." → "Name is required." */
function friendly(message: string, field: string, label: string): string {
  const prefix = new RegExp(`^[A-Za-z]+\\.${field.replace(/[^A-Za-z0-9_]/g, '')}\\b`);
  return message.replace(prefix, label);
}

type Field = HTMLInputElement | HTMLTextAreaElement;

/**
 * A labelled text field bound live to one text field of the document. Every
 * keystroke is written as the smallest edit, so two people typing in the same
 * field merge character by character; others' edits appear as they type, and
 * your caret and selection stay on the same characters. Input the schema
 * refuses (a required field emptied) is kept in the field with the reason
 * shown, not written, until it is fixed or cancelled with Escape, which brings
 * back the shared text: what a person typed is never silently dropped.
 *
 * Text composed with an input method is written when the composition ends.
 */
export function CollaborativeText({
  doc,
  entityId,
  field,
  label,
  multiline = false,
  readOnly = false,
  placeholder,
  rows = 3,
  hint,
  className,
  maxLength,
}: Props) {
  const id = useId();
  const ref = useRef<Field | null>(null);
  const composing = useRef(false);
  const [initial] = useState(() => bindText(doc, entityId, field)?.read() ?? '');
  const [error, setError] = useState<string | null>(null);
  /** True while the field holds a draft the schema refused: the shared text does not replace it. */
  const refused = useRef(false);

  const subscribe = useCallback((listener: () => void) => observeInitiative(doc, listener), [doc]);
  const available = useSyncExternalStore(subscribe, () => bindText(doc, entityId, field) !== null);

  /**
   * Shows the document's text in the field, keeping the caret on the same
   * characters. Answers whether the field changed.
   */
  const showShared = useCallback((): boolean => {
    const element = ref.current;
    if (!element || composing.current) return false;
    const next = bindText(doc, entityId, field)?.read() ?? '';
    const before = element.value;
    if (before === next) return false;
    const focused = element.ownerDocument.activeElement === element;
    const selection = { start: element.selectionStart ?? before.length, end: element.selectionEnd ?? before.length };
    const direction = element.selectionDirection ?? 'none';
    element.value = next;
    if (focused) {
      const moved = shiftSelection(before, next, selection);
      element.setSelectionRange(moved.start, moved.end, direction);
    }
    return true;
  }, [doc, entityId, field]);

  useEffect(() => {
    showShared();
    // A draft the schema refused stays until it is fixed or cancelled.
    return observeInitiative(doc, () => {
      if (!refused.current) showShared();
    });
  }, [doc, showShared]);

  const write = useCallback(() => {
    const element = ref.current;
    if (!element || readOnly) return;
    const binding = bindText(doc, entityId, field);
    if (!binding) return;
    try {
      binding.write(element.value);
      refused.current = false;
      setError(null);
    } catch (problem) {
      if (!(problem instanceof SchemaError)) throw problem;
      refused.current = true;
      setError(friendly(problem.message, field, label));
    }
  }, [doc, entityId, field, label, readOnly]);

  const common = {
    id,
    ref: (element: Field | null) => {
      ref.current = element;
    },
    defaultValue: initial,
    placeholder,
    readOnly,
    disabled: !available,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': [error ? `${id}-error` : '', hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined,
    onChange: () => {
      if (!composing.current) write();
    },
    onCompositionStart: () => {
      composing.current = true;
    },
    onCompositionEnd: () => {
      composing.current = false;
      write();
      showShared();
    },
    maxLength,
    onKeyDown: (event: { key: string }) => {
      if (event.key !== 'Escape' || !refused.current) return;
      refused.current = false;
      setError(null);
      showShared();
    },
  };

  return (
    <div className={`field collaborative-text${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {multiline ? <textarea {...common} rows={rows} /> : <input {...common} type="text" />}
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
