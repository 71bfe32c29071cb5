import { useEffect, useState } from 'react';

export type AsyncState<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: Error };

/**
 * Runs `load` when `key` changes and answers its progress. A stale answer (the
 * key changed meanwhile, or the component unmounted) is dropped.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [result, setResult] = useState<{ key: string; value: AsyncState<T> }>({ key, value: { state: 'loading' } });
  useEffect(() => {
    let live = true;
    load().then(
      (value) => live && setResult({ key, value: { state: 'ready', value } }),
      (error: unknown) =>
        live &&
        setResult({
          key,
          value: { state: 'failed', error: error instanceof Error ? error : new Error(String(error)) },
        }),
    );
    return () => {
      live = false;
    };
    // `load` is a fresh closure on every render; `key` says when it really changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return result.key === key ? result.value : { state: 'loading' };
}
