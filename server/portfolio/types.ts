/**
 * The cached portfolio figures of each initiative (docs/portfolio.md): written
 * whenever the initiative changes, read by `GET /api/portfolio` so that it never
 * loads the documents. Behind this interface so another database can take
 * SQLite's place (#14).
 */
import type { PortfolioRow } from '../../src/contract/index.ts';

/** An initiative's figures: its portfolio row without who it is and who asks. */
export type InitiativeFigures = Omit<PortfolioRow, 'id' | 'name' | 'parentId' | 'role'>;

export interface StatusStore {
  /** The stored figures of each of `ids` that has some. */
  get(ids: readonly string[]): Promise<Map<string, InitiativeFigures>>;
  /** Replaces the initiative's figures. */
  put(initiativeId: string, figures: InitiativeFigures, updatedAt: string): Promise<void>;
}
