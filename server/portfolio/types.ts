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
 * Rows written by the release before this one kept the log number inside the
 * figures' JSON under this key (no figure has it); it is stripped from what is
 * read. The number now has a column of its own (`doc_seq`), so the stored text
 * is the figures alone and an older process serves nothing more.
 */
const SEQ_KEY = '$seq';

export function encodeStatus(figures: InitiativeFigures): string {
  return JSON.stringify(figures);
}

/**
 * The stored figures, and their log number: `column` (`doc_seq`), unless the
 * text carries one (a process of the release before wrote the row last, and
 * left the column as it was: the text's number is the newer).
 */
export function decodeStatus(text: string, column: number | string | null = null): StoredFigures {
  const { [SEQ_KEY]: inText, ...figures } = JSON.parse(text) as InitiativeFigures & { [SEQ_KEY]?: number };
  const seq = typeof inText === 'number' ? inText : column === null ? null : Number(column);
  return { figures, seq };
}
