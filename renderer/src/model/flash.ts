// The highlight of a row whose point just changed: strong, then two lighter steps, then gone. The steps follow one
// clock for the whole page, so every highlighted row steps at the same moment: one render per step however many
// rows are highlighted, and no CSS animation (a running animation keeps the browser producing frames).
export const FLASH_STEP_MS = 450;
/** The longest a highlight lasts (how long the store keeps a change's time). */
export const FLASH_MS = 4 * FLASH_STEP_MS;

export type FlashLevel = 0 | 1 | 2 | 3;

/** 1 (strong) for the rest of the step the change came in and the whole next one, then 2, then 3, then 0 (none). */
export function flashLevel(changedAt: number, nowMs: number): FlashLevel {
  const steps = Math.floor(nowMs / FLASH_STEP_MS) - Math.floor(changedAt / FLASH_STEP_MS);
  if (steps <= 1) return 1;
  if (steps === 2) return 2;
  if (steps === 3) return 3;
  return 0;
}

/** When the next step of every highlight falls. */
export function nextFlashStepAt(nowMs: number): number {
  return (Math.floor(nowMs / FLASH_STEP_MS) + 1) * FLASH_STEP_MS;
}
