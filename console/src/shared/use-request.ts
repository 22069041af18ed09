// Loads something for a screen and keeps its state: loading, loaded or failed, with a way to load again.
import { useCallback, useEffect, useRef, useState } from 'react';

export type Request<T> =
  | { state: 'loading'; data?: undefined; error?: undefined }
  | { state: 'loaded'; data: T; error?: undefined }
  | { state: 'failed'; data?: undefined; error: unknown };

/**
 * `dependencies` plays the part of useEffect's list: when it changes, the screen shows loading
 * again; a reload keeps showing what was loaded until the new answer arrives.
 */
export function useRequest<T>(load: (signal: AbortSignal) => Promise<T>, dependencies: readonly unknown[]): Request<T> & { reload: () => void; replace: (data: T) => void } {
  const [request, setRequest] = useState<Request<T>>({ state: 'loading' });
  const [generation, setGeneration] = useState(0);
  const key = JSON.stringify(dependencies);
  const loadedKey = useRef<string | null>(null);
  const latestLoad = useRef(load);
  latestLoad.current = load;

  useEffect(() => {
    const controller = new AbortController();
    if (loadedKey.current !== key) setRequest({ state: 'loading' });
    latestLoad.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        loadedKey.current = key;
        setRequest({ state: 'loaded', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        loadedKey.current = key;
        setRequest({ state: 'failed', error });
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  const replace = useCallback((data: T) => setRequest({ state: 'loaded', data }), []);
  return { ...request, reload, replace };
}
