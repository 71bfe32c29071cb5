/**
 * What this browser keeps of initiatives between visits: a copy of each
 * opened document in IndexedDB (for offline edits), and a localStorage mark
 * per initiative while that copy holds edits the server has not seen.
 */

const STORE_PREFIX = 'convene:';
const PENDING_PREFIX = 'convene:pending:';

/** The IndexedDB database that keeps an initiative's document on this device. */
export function offlineStoreName(initiativeId: string): string {
  return `${STORE_PREFIX}${initiativeId}`;
}

const pendingKey = (initiativeId: string) => `${PENDING_PREFIX}${initiativeId}`;

export function readPendingMark(initiativeId: string): boolean {
  try {
    return localStorage.getItem(pendingKey(initiativeId)) === '1';
  } catch {
    return false;
  }
}

export function writePendingMark(initiativeId: string, pending: boolean): void {
  try {
    if (pending) localStorage.setItem(pendingKey(initiativeId), '1');
    else localStorage.removeItem(pendingKey(initiativeId));
  } catch {
    // Storage refused (private mode, quota): the flag is then only kept for this page.
  }
}

/** Initiatives whose copy on this device holds edits the server has not seen. */
export function initiativesWithPendingEdits(): string[] {
  const ids: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (key?.startsWith(PENDING_PREFIX) && localStorage.getItem(key) === '1') ids.push(key.slice(PENDING_PREFIX.length));
    }
  } catch {
    // No localStorage: nothing was marked.
  }
  return ids;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name);
    request.onsuccess = () => resolve();
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`));
    // Another tab still has it open: it is deleted once that tab lets go.
    request.onblocked = () => resolve();
  });
}

/**
 * Deletes every initiative copy this browser keeps, and their marks: on sign
 * out, so nothing of the initiatives stays on a shared computer. Edits that
 * only the copies hold are lost; ask first (initiativesWithPendingEdits).
 */
export async function forgetOfflineCopies(): Promise<void> {
  for (const id of initiativesWithPendingEdits()) writePendingMark(id, false);
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  const databases = await indexedDB.databases();
  await Promise.all(
    databases
      .map((d) => d.name)
      .filter((name): name is string => !!name && name.startsWith(STORE_PREFIX))
      .map(deleteDatabase),
  );
}

/**
 * Deletes the copy of one initiative and its mark: when this person's access
 * to it ended, nothing of it stays on the device (edits it held could never be
 * sent now).
 */
export async function forgetOfflineCopy(initiativeId: string): Promise<void> {
  writePendingMark(initiativeId, false);
  if (typeof indexedDB === 'undefined') return;
  await deleteDatabase(offlineStoreName(initiativeId));
}
