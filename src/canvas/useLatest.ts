import { useLayoutEffect, useRef, type RefObject } from 'react';

/**
 * A ref holding the latest committed `value`, for callbacks and listeners that
 * must keep their identity while what they read changes. On the board this
 * matters for speed: React Flow copies every
 * changed prop into its store, and each copy runs every node's and edge's
 * store selector; a callback that changed on each drag frame cost a full pass
 * of those per frame (docs/performance.md, "Canvas").
 */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value);
  useLayoutEffect(() => {
    ref.current = value;
  });
  return ref;
}
