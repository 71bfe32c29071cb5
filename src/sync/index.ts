export {
  useInitiativeSync,
  colorFor,
  type SyncStatus,
  type InitiativeSync,
  type PresenceUser,
} from './useInitiativeSync.ts';
export { useInitiative } from './useInitiative.ts';
export { usePresence, type PresentPerson } from './usePresence.ts';
