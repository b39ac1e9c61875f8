// What waits for the person in the Planned panel (pure, no React): this console's window requests the backend
// refused, and those kept here while offline that took effect at once when they got through. Both stay until
// dismissed; the Planned button shows them as a badge so nobody has to open the panel to learn of them.
import type { QueuedWindowOpView, WindowOpNotice } from '../../../common/consoleApi.js';

export interface PlannedAttention {
  /** Requests the backend refused (state 'failed'). */
  refused: number;
  /** Notices of requests answered later that took effect at once. */
  answeredLater: number;
}

export const NO_PLANNED_ATTENTION: PlannedAttention = Object.freeze({ refused: 0, answeredLater: 0 });

export function plannedAttention(
  queued: readonly QueuedWindowOpView[],
  notices: readonly WindowOpNotice[],
): PlannedAttention {
  const refused = queued.filter((op) => op.state === 'failed').length;
  if (refused === 0 && notices.length === 0) return NO_PLANNED_ATTENTION;
  return { refused, answeredLater: notices.length };
}

export function plannedAttentionTotal(a: PlannedAttention): number {
  return a.refused + a.answeredLater;
}

/** "1 planned request refused, 2 answered later: open the Planned panel"; null when nothing waits. */
export function plannedAttentionLabel(a: PlannedAttention): string | null {
  const requests = (n: number) => `${n} planned request${n === 1 ? '' : 's'}`;
  const what =
    a.refused > 0
      ? `${requests(a.refused)} refused${a.answeredLater > 0 ? `, ${a.answeredLater} answered later` : ''}`
      : a.answeredLater > 0
        ? `${requests(a.answeredLater)} answered later`
        : null;
  return what && `${what}: open the Planned panel`;
}
