// Asks the backend now and every `everyMs` while mounted (and again when `key` changes): partner delivery moves with
// the backend's push queue, not with the points the console hears of, so it is read, not pushed (docs/ocpi.md).
import { useCallback, useEffect, useRef, useState } from 'react';

export function usePolled<T>(
  load: () => Promise<T>,
  everyMs: number,
  key: unknown,
): { data: T | null; error: string | null; reload(): void; set(data: T): void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const alive = useRef(true);
  const reload = useCallback(() => {
    loadRef
      .current()
      .then((d) => {
        if (!alive.current) return;
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => alive.current && setError(e instanceof Error ? e.message : String(e)));
  }, []);
  useEffect(() => {
    alive.current = true;
    reload();
    const t = setInterval(reload, everyMs);
    return () => {
      alive.current = false;
      clearInterval(t);
    };
  }, [reload, everyMs, key]);
  return { data, error, reload, set: setData };
}
