// Which of some points a running maintenance window holds: a person's change to such a point ends the window for it
// (the backend lets go of it: it is not restored at the window's end), so the status dialogs ask first.
import type { MaintenanceWindow } from '../../../../common/windows.js';

export interface HeldByWindows {
  /** The points a running window holds, in the order asked. */
  pointIds: string[];
  /** Those windows, each once, soonest ending first (open-ended last). */
  windows: MaintenanceWindow[];
}

export function heldByRunningWindows(pointIds: readonly string[], windows: Iterable<MaintenanceWindow>): HeldByWindows {
  const holder = new Map<string, MaintenanceWindow>();
  for (const w of windows) {
    if (w.state !== 'running') continue;
    for (const p of w.points) if (p.state === 'applied' && !holder.has(p.pointId)) holder.set(p.pointId, w);
  }
  const held: string[] = [];
  const byId = new Map<string, MaintenanceWindow>();
  for (const id of pointIds) {
    const w = holder.get(id);
    if (!w) continue;
    held.push(id);
    byId.set(w.id, w);
  }
  const end = (w: MaintenanceWindow) => (w.endsAt ? Date.parse(w.endsAt) : Infinity);
  return { pointIds: held, windows: [...byId.values()].sort((a, b) => end(a) - end(b)) };
}

/** What an action is for when the person leaves the held points in their windows. */
export function withoutHeld<T extends { pointId: string }>(items: readonly T[], held: HeldByWindows): T[] {
  const leave = new Set(held.pointIds);
  return items.filter((i) => !leave.has(i.pointId));
}
