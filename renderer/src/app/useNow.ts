import { useEffect, useState } from 'react';

const NOW_TICK_MS = 5_000;

/** The time the console's ages and waits are read at, moved on every few seconds. */
export function useNow(): number {
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNowMs(Date.now()), NOW_TICK_MS);
    return () => clearInterval(t);
  }, []);
  return nowMs;
}
