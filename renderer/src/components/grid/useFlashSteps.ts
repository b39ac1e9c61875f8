import { useEffect, useState } from 'react';
import { nextFlashStepAt } from '../../model/flash.js';

/** Renders the grid again at the next highlight step while a row in view is highlighted (live load renders it anyway). */
export function useFlashSteps(flashing: boolean, nowMs: number): void {
  // A counter, not the step's time: a timer that fired early (the clock set back) still sets the next one.
  const [ticks, setTicks] = useState(0);
  const nextStep = flashing ? nextFlashStepAt(nowMs) : 0;
  useEffect(() => {
    if (!nextStep) return;
    const timer = setTimeout(() => setTicks((n) => n + 1), Math.max(0, nextStep - Date.now()) + 5);
    return () => clearTimeout(timer);
  }, [nextStep, ticks]);
}
