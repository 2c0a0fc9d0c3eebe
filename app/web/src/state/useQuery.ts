// Loads data for a page with loading/error/success states and a retry. A query that failed while
// the API was down refetches by itself when the API status store sees the API come back.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useApiHealth } from './AppContext';

export type QueryState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: undefined; error: unknown }
  | { status: 'success'; data: T; error?: undefined };

export interface Query<T> {
  state: QueryState<T>;
  retry: () => void;
  /** Replace the data after a mutation without refetching. */
  setData: (t: T) => void;
}

export function useQuery<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  deps: readonly unknown[],
): Query<T> {
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const health = useApiHealth();
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  useEffect(() => {
    const ctrl = new AbortController();
    setState({ status: 'loading' });
    fetcherRef.current(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setState({ status: 'success', data });
      },
      (error: unknown) => {
        if (!ctrl.signal.aborted) setState({ status: 'error', error });
      },
    );
    return () => ctrl.abort();
  }, [...deps, attempt]);

  // Recover on our own: when the API comes back, a query that failed tries again.
  const prevHealth = useRef(health);
  useEffect(() => {
    if (prevHealth.current === 'down' && health === 'up' && state.status === 'error') {
      setAttempt((a) => a + 1);
    }
    prevHealth.current = health;
  }, [health, state.status]);

  const retry = useCallback(() => setAttempt((a) => a + 1), []);
  const setData = useCallback((data: T) => setState({ status: 'success', data }), []);
  return { state, retry, setData };
}
