export {
  useInitiativeSync,
  colorFor,
  type SyncStatus,
  type InitiativeSync,
  type PresenceUser,
} from './useInitiativeSync.ts';
export { useModel } from './useModel.ts';
export { offlineStoreName, initiativesWithPendingEdits, forgetOfflineCopies, forgetOfflineCopy } from './offlineCopies.ts';
/** The presence channel of a sync session (who is here, cursors, selections). */
export type { Awareness } from 'y-protocols/awareness';
