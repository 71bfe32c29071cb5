import type { ReactNode } from 'react';
import { ApiError } from './api.ts';
import { Link } from './Link.tsx';

/** A centred message page: loading, errors, sign-in hints. */
export function Notice({
  title,
  children,
  tone = 'neutral',
}: {
  title: string;
  children?: ReactNode;
  tone?: 'neutral' | 'error';
}) {
  return (
    <section className={`notice-page notice-page--${tone}`} aria-labelledby="notice-title">
      <h1 id="notice-title">{title}</h1>
      {children}
    </section>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function NotFound() {
  return (
    <Notice title="Page not found">
      <p>
        There is nothing at this address. <Link to="/">Go to your initiatives</Link>.
      </p>
    </Notice>
  );
}

/**
 * Why an initiative's page could not be opened: not signed in (how to get in),
 * unknown, or the server's own sentence, with a way home.
 */
export function InitiativeUnavailable({ error }: { error: Error }) {
  const status = error instanceof ApiError ? error.status : 0;
  if (status === 401) {
    return (
      <Notice title="Open your invite link to sign in">
        <p>
          This initiative is only open to its members. Open the invite link you were sent to join it; if you already
          used it, on another device for example, ask the backbone lead for a new sign-in link.
        </p>
      </Notice>
    );
  }
  return (
    <Notice title={status === 404 ? 'Initiative not found' : 'This initiative could not be opened'} tone="error">
      <p>{error.message}</p>
      <p>
        <Link to="/">Back to your initiatives</Link>
      </p>
    </Notice>
  );
}
