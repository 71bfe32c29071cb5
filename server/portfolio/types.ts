/**
 * The cached portfolio figures of each initiative (docs/portfolio.md): written
 * whenever the initiative changes, read by `GET /api/portfolio` so that it never
 * loads the documents. Behind this interface so another database can take
 * SQLite's place (#14).
 */
import type { PortfolioRow } from '../../src/contract/index.ts';

/** An initiative's figures: its portfolio row without who it is and who asks. */
export type InitiativeFigures = Omit<PortfolioRow, 'id' | 'name' | 'parentId' | 'role'>;

/** Stored figures with the room's log number they were computed from (null: unknown, one process or an older row). */
export interface StoredFigures {
  figures: InitiativeFigures;
  seq: number | null;
}

export interface StatusStore {
  /** The stored figures of each of `ids` that has some (never their log number: these go to browsers). */
  get(ids: readonly string[]): Promise<Map<string, InitiativeFigures>>;
  /** The initiative's stored figures with the log number they were computed from. */
  stored(initiativeId: string): Promise<StoredFigures | undefined>;
  /** Replaces the initiative's figures; `seq`: every log entry up to it was in the document they were computed from. */
  put(initiativeId: string, figures: InitiativeFigures, updatedAt: string, seq?: number | null): Promise<void>;
}

/**
 * The stored text: the figures' JSON, with the log number beside them under a
 * key no figure has (no schema change; rows written before have none).
 */
const SEQ_KEY = '$seq';

export function encodeStatus(figures: InitiativeFigures, seq: number | null = null): string {
  return JSON.stringify(seq === null ? figures : { ...figures, [SEQ_KEY]: seq });
}

export function decodeStatus(text: string): StoredFigures {
  const { [SEQ_KEY]: seq, ...figures } = JSON.parse(text) as InitiativeFigures & { [SEQ_KEY]?: number };
  return { figures, seq: typeof seq === 'number' ? seq : null };
}
