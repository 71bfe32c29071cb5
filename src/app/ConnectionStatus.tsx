import '../collab/collab.css';
import type { SyncStatus } from '../sync/useInitiativeSync.ts';

const TEXT: Record<SyncStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  syncing: 'Syncing…',
  offline: 'Offline — reconnecting',
  paused: 'Saving paused — your changes are kept on this device',
  denied: 'Access denied',
};

const OFFLINE_WITH_EDITS = 'Offline — your edits are saved on this device and will sync when you reconnect';

/**
 * The live-sync state of the shared map, always visible in the header.
 * `pending` (InitiativeSync.pending): this browser holds edits the server has
 * not received yet; `data-pending` exposes it to styles and tests.
 * `paused`: the server cannot save just now (its database is unreachable);
 * edits stay on this device and are sent once it can.
 */
export function ConnectionStatus({ status, pending = false }: { status: SyncStatus; pending?: boolean }) {
  const text = status === 'offline' && pending ? OFFLINE_WITH_EDITS : TEXT[status];
  return (
    <p
      role="status"
      className={`connection-status connection-status--${status}`}
      data-status={status}
      data-pending={pending ? 'true' : undefined}
    >
      <span className="connection-status__dot" aria-hidden="true" />
      {text}
    </p>
  );
}
