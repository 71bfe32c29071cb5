/**
 * The public report's links, for whoever may publish it (the backbone lead):
 * publish a new link, copy it, and revoke any link (its page then says the
 * report is no longer published).
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { ReportLink } from '../contract/measureAccess.ts';
import { api } from '../kit/api.ts';
import { formatDay } from '../kit/when.ts';
import { ConfirmButton } from '../people/ConfirmButton.tsx';

export function ReportLinks({ initiativeId }: { initiativeId: string }) {
  const [links, setLinks] = useState<ReportLink[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const load = useCallback(() => {
    api.listReportLinks(initiativeId).then(setLinks, (problem: unknown) => setError(messageOf(problem)));
  }, [initiativeId]);
  useEffect(load, [load]);

  async function publish() {
    setBusy(true);
    setError(null);
    try {
      const link = await api.createReportLink(initiativeId);
      setLinks((now) => [link, ...(now ?? []).filter((l) => l.id !== link.id)]);
    } catch (problem) {
      setError(messageOf(problem));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(link: ReportLink) {
    setError(null);
    try {
      await api.revokeReportLink(initiativeId, link.id);
      setLinks((now) => (now ?? []).filter((l) => l.id !== link.id));
    } catch (problem) {
      setError(messageOf(problem));
    }
  }

  return (
    <div className="report-links">
      <p className="muted">
        A public report shows the goal, the strategies, and the curves and report card of the indicators whose access is
        Public (approved values only), to anyone with the link, without signing in. Revoke a link to end it.
      </p>
      <button type="button" className="button button--primary" onClick={() => void publish()} disabled={busy}>
        Publish a public report link
      </button>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {links && links.length === 0 && <p className="muted">No published links.</p>}
      {links && links.length > 0 && (
        <ul className="report-links__list" aria-label="Published report links">
          {links.map((link) => (
            <ReportLinkRow key={link.id} link={link} onRevoke={() => void revoke(link)} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ReportLinkRow({ link, onRevoke }: { link: ReportLink; onRevoke: () => void }) {
  const id = useId();
  const url = new URL(link.url, location.origin).href;
  const [copied, setCopied] = useState<string | null>(null);
  async function copy() {
    try {
      await navigator.clipboard.writeText(url);
      setCopied('Copied.');
    } catch {
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('This browser did not allow copying: the link is selected, copy it with Ctrl+C (⌘C).');
    }
  }
  return (
    <li className="report-links__item">
      <label htmlFor={id}>
        Published {formatDay(link.createdAt)} by {link.createdBy}
      </label>
      <div className="copy-link__row">
        <input id={id} readOnly value={url} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button" onClick={() => void copy()}>
          Copy
        </button>
        <ConfirmButton
          name={`Revoke the link published ${formatDay(link.createdAt)}`}
          title="Revoke this public report link?"
          description="Whoever opens it will read that the report is no longer published. Other links keep working."
          confirm="Revoke the link"
          onConfirm={onRevoke}
        >
          Revoke
        </ConfirmButton>
      </div>
      <p className="muted" role="status">
        {copied}
      </p>
    </li>
  );
}

export function messageOf(problem: unknown): string {
  return problem instanceof Error ? problem.message : String(problem);
}
