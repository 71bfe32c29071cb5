/**
 * Where the strategic action framework's saved versions live on the server
 * (docs/framework.md): table `framework_versions` (server/db.ts migration 5).
 * A version is written once and never changed: its content is a copy of the
 * framework as it was (machines/framework/snapshot.ts).
 *
 * Behind this interface so another database can take SQLite's place (#14):
 * test/server/version-store-contract.test.ts is the suite every implementation
 * passes. Every method answers a promise; times and authors come from the caller.
 */
import type { FrameworkSnapshot } from '../../machines/framework/types.ts';
import type { VersionKind } from '../../src/contract/portfolio.ts';

/** Who saved a version: the id and name the workflow history gives them (`admin` for the administrator; null when no person did). */
export interface VersionAuthor {
  id: string | null;
  name: string;
}

/** A version about to be stored: the store gives it its id and its number. */
export interface NewVersion {
  name: string;
  note: string;
  kind: VersionKind;
  content: FrameworkSnapshot;
  by: VersionAuthor;
  at: string;
}

/** A stored version, content included. */
export interface StoredVersion extends NewVersion {
  id: string;
  initiativeId: string;
  /** 1 for an initiative's first version, then each one more than the last. */
  number: number;
}

export interface VersionStore {
  /**
   * Stores `version` as the initiative's next one (its number one more than
   * the highest so far, even when two are saved at once) and answers it.
   */
  save(initiativeId: string, version: NewVersion): Promise<StoredVersion>;
  /** The initiative's versions, newest (highest number) first. */
  list(initiativeId: string): Promise<StoredVersion[]>;
  /** One version of this initiative, or null (also when the id is another initiative's). */
  get(initiativeId: string, versionId: string): Promise<StoredVersion | null>;
}
