import type { SyncStatus } from '../sync/useInitiativeSync.ts';

const TEXT: Record<SyncStatus, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  offline: 'Offline — reconnecting',
  denied: 'Access denied',
};

/** The live-sync state of the shared map, always visible in the header. */
export function ConnectionStatus({ status }: { status: SyncStatus }) {
  return (
    <p role="status" className={`connection-status connection-status--${status}`} data-status={status}>
      <span className="connection-status__dot" aria-hidden="true" />
      {TEXT[status]}
    </p>
  );
}
