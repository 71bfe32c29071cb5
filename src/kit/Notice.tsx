import type { ReactNode } from 'react';
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
