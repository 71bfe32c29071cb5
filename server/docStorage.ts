/** Kept for existing imports: the storage lives in ./storage/. */
export type { DocStorage, StoredDoc } from './storage/types.ts';
export { MemoryDocStorage } from './storage/memory.ts';
export { SqliteDocStorage } from './storage/sqlite.ts';
