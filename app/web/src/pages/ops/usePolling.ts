// Loads now and again every `intervalMs` after each answer. A failed refresh keeps the last good
// data on screen (marked stale) instead of blanking the board in the middle of an incident.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data: T | undefined;
  error: unknown;
  /** When `data` arrived (ms since epoch). */
  updatedAt: number | undefined;
  refresh: () => void;
}

export function usePolling<T>(
  fetcher: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
): Polled<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [updatedAt, setUpdatedAt] = useState<number>();
  const [tick, setTick] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;

  useEffect(() => {
    const ctrl = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    fetcherRef
      .current(ctrl.signal)
      .then(
        (d) => {
          if (ctrl.signal.aborted) return;
          setData(d);
          setError(undefined);
          setUpdatedAt(Date.now());
        },
        (e: unknown) => {
          if (!ctrl.signal.aborted) setError(e);
        },
      )
      .finally(() => {
        if (!ctrl.signal.aborted) timer = setTimeout(() => setTick((t) => t + 1), intervalMs);
      });
    return () => {
      ctrl.abort();
      clearTimeout(timer);
    };
  }, [tick, intervalMs]);

  const refresh = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, updatedAt, refresh };
}
