/**
 * What a page does with presence each time its socket connects (again).
 *
 * y-protocols drops a presence state whose clock it already holds. After a
 * reconnect the server's list of who is here repeats the clocks this browser
 * held before the drop, and the server holds ours: so forget the others that
 * went from view, and count ours up, or each side misses the other until its
 * next renewal, up to 15 s later (test/e2e/cluster.spec.ts, after a kill -9).
 */
import type { Awareness } from 'y-protocols/awareness';

export function reannounce(awareness: Awareness): void {
  for (const id of [...awareness.meta.keys()]) if (id !== awareness.clientID && !awareness.states.has(id)) awareness.meta.delete(id);
  const own = awareness.getLocalState();
  if (own === null) return;
  // Two up: a server that removed us on its side (a timeout, a dropped socket) raised our clock by one.
  const meta = awareness.meta.get(awareness.clientID);
  if (meta) meta.clock++;
  awareness.setLocalState(own);
}
