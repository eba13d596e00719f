import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError } from './api-error';

/** State of a {@link usePolled} read. */
export interface Polled<T> {
  data: T | undefined;
  error: ApiError | undefined;
  /** Reads again now. */
  refresh: () => void;
}

/**
 * Reads `load()` now, whenever `key` changes and, with `intervalMs`, every so often while the page is
 * shown. Errors are kept beside the last good data, so a hiccup does not blank the page; data read
 * for another key is not answered, and answers that arrive after the key changed are dropped.
 */
export function usePolled<T>(load: () => Promise<T>, key: string, intervalMs?: number): Polled<T> {
  // Kept with the key it was read for: after a filter changes, the old rows are not shown as if
  // they matched it.
  const [read, setRead] = useState<{ key: string; data: T } | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);
  useEffect(() => {
    let live = true;
    load().then(
      (value) => {
        if (!live) return;
        setRead({ key, data: value });
        setError(undefined);
      },
      (e: unknown) => {
        if (live) setError(e instanceof ApiError ? e : new ApiError(String(e), 0, 'CLIENT_ERROR'));
      },
    );
    return () => {
      live = false;
    };
    // `load` is recreated each render; `key` says when what it reads changed.
  }, [key, tick]);
  useEffect(() => {
    if (intervalMs === undefined) return;
    const timer = setInterval(refresh, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, refresh]);
  return { data: read?.key === key ? read.data : undefined, error, refresh };
}
