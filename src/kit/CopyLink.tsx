import { useId, useRef, useState } from 'react';
import { formatDay } from './when.ts';

/**
 * A link shown once (an invite, a sign-in link) in a read-only field with a
 * Copy button. Where the clipboard is refused, the field's text is selected so
 * the person can copy it by hand.
 */
export function CopyLink({ label, url, expiresAt }: { label: string; url: string; expiresAt?: string }) {
  const id = useId();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'select' | null>(null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('yes');
    } catch {
      field.current?.select();
      setCopied('select');
    }
  }

  return (
    <div className="copy-link">
      <label htmlFor={id}>{label}</label>
      <div className="copy-link__row">
        <input id={id} ref={field} readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button button--primary" onClick={() => void copy()}>
          {copied === 'yes' ? 'Copied' : 'Copy'}
        </button>
      </div>
      <p className="copy-link__hint" role="status">
        {copied === 'select'
          ? 'This browser did not allow copying: the link is selected, copy it with Ctrl+C (⌘C).'
          : `Shown only once: send it to the person it is for. ${expiresAt ? `It works once, until ${formatDay(expiresAt)}.` : 'It works once.'}`}
      </p>
    </div>
  );
}
