// The points that may be overdue, kept up to date from the ids each flush changed, so that finding the overdue ones
// under a live load costs the few points with an expected end, not a pass over every point of the network per flush
// (at 100,000 points that pass was one of the page's largest costs per flush; docs/performance.md).
import type { ViewPoint } from '../../../common/consoleApi.js';
import { mayBeOverdue } from './windows.js';

export class OverdueCandidates {
  private ids = new Set<string>();
  private points: ReadonlyMap<string, ViewPoint> | null = null;
  private version = Number.NaN;

  /**
   * The candidates among `points` as of `version`. `changed` is what the store's last flush changed: when it made
   * exactly this version from the one seen last, only those ids are looked at; otherwise (a reload, a skipped flush)
   * every point is.
   */
  update(
    points: ReadonlyMap<string, ViewPoint>,
    version: number,
    changed: { version: number; ids: readonly string[] } | null,
  ): Iterable<ViewPoint> {
    if (points !== this.points || version !== this.version) {
      if (points === this.points && changed?.version === version && this.version === version - 1) {
        for (const id of changed.ids) {
          const p = points.get(id);
          if (p && mayBeOverdue(p)) this.ids.add(id);
          else this.ids.delete(id);
        }
      } else {
        this.ids = new Set();
        for (const p of points.values()) if (mayBeOverdue(p)) this.ids.add(p.id);
      }
      this.points = points;
      this.version = version;
    }
    return { [Symbol.iterator]: () => this.candidates(points) };
  }

  private *candidates(points: ReadonlyMap<string, ViewPoint>): Generator<ViewPoint> {
    for (const id of this.ids) {
      const p = points.get(id);
      if (p) yield p;
    }
  }
}
