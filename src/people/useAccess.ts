/**
 * This page's access to an initiative, live: the `access` events of the
 * initiative's event stream (contract `AccessEvent`, shared with the workflow
 * on the page's one EventSource) change the role in place, or say that the
 * access was removed.
 */
import { useEffect, useState } from 'react';
import type { AccessEvent } from '../contract/answers.ts';
import { ROLE_LABELS, isViewerRole, type ViewerRole } from '../contract/roles.ts';
import { listenToStream } from '../kit/eventStream.ts';

export interface Access {
  /** The role now: the one the page loaded with until the server says otherwise. */
  role: ViewerRole;
  /** A short sentence after the role changed while the page was open ("Your role is now Observer."), until dismissed. */
  changed: string | null;
  /** Why the access ended, once it has; null while it lasts. */
  removed: string | null;
  dismiss: () => void;
}

interface State {
  role: ViewerRole;
  changed: string | null;
  removed: string | null;
}

/** Said when the access ended without a reason from the server (e.g. the sync socket closed with 4401). */
export const ACCESS_REMOVED = 'Your access to this initiative was removed.';

/** Reads one `access` frame; null for one this page cannot read. */
export function readAccessEvent(data: string): AccessEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const event = value as Record<string, unknown>;
  if (event.removed === true) {
    return { removed: true, reason: typeof event.reason === 'string' && event.reason ? event.reason : ACCESS_REMOVED };
  }
  return isViewerRole(event.role) ? { role: event.role } : null;
}

export function useAccess(initiativeId: string, initialRole: ViewerRole): Access {
  const [state, setState] = useState<State>({ role: initialRole, changed: null, removed: null });
  useEffect(
    () =>
      listenToStream(initiativeId, 'access', (data) => {
        const event = readAccessEvent(data);
        if (!event) return;
        if ('removed' in event) setState((now) => ({ ...now, removed: event.reason }));
        else {
          setState((now) =>
            now.role === event.role
              ? now
              : { ...now, role: event.role, changed: `Your role is now ${ROLE_LABELS[event.role]}.` },
          );
        }
      }),
    [initiativeId],
  );
  return { ...state, dismiss: () => setState((now) => ({ ...now, changed: null })) };
}
