export {
  useInitiativeSync,
  colorFor,
  offlineStoreName,
  type SyncStatus,
  type InitiativeSync,
  type PresenceUser,
} from './useInitiativeSync.ts';
export { useModel } from './useModel.ts';
/** The presence channel of a sync session (who is here, cursors, selections). */
export type { Awareness } from 'y-protocols/awareness';
