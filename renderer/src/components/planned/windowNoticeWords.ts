// A window request kept on this computer that took effect at once when it reached the backend, in words: "Planned
// while offline: ‘Firmware update’ (3 points) reached the backend after its start — started at once: its start had
// passed."
import type { WindowOpNotice } from '../../../../common/consoleApi.js';

const WORDS: Record<WindowOpNotice['kind'], { title: string; late: string }> = {
  plan: { title: 'Planned while offline', late: 'after its start' },
  change: { title: 'Changed while offline', late: 'after its new end' },
  cancel: { title: 'Cancelled while offline', late: 'later' },
};

/** `pointName` names the window's one point ("Bay 2, Central Park"); several are counted. */
export function noticeSentence(n: WindowOpNotice, pointName: (id: string) => string): string {
  const points =
    n.pointCount === 1 && n.firstPointId
      ? pointName(n.firstPointId)
      : `${n.pointCount} point${n.pointCount === 1 ? '' : 's'}`;
  const message = /[.!?]$/.test(n.message) ? n.message : `${n.message}.`;
  return `${WORDS[n.kind].title}: ‘${n.reason}’ (${points}) reached the backend ${WORDS[n.kind].late} — ${message}`;
}
