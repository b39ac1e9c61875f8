// The first points of the grid's default order, kept between calls. Choosing them buckets every point: 4–10 ms
// at 50,000 points when warm, 80–160 ms measured while a page loads (cold code, or caught by a collection of the
// garbage it makes), and every page load asks. They are chosen again only when the network's layout changed.
import { firstPointsInGridOrder } from '../../../common/naturalOrder.js';
import type { Point } from '../../../common/model.js';
import type { NetworkCache } from './networkCache.js';

export class FirstScreenOrder {
  private kept: { layout: number; limit: number; ids: string[] } | null = null;

  constructor(private readonly cache: NetworkCache) {}

  /** Whether the points for this limit are chosen for the network's layout as it is. */
  isCurrent(limit: number): boolean {
    return this.kept !== null && this.kept.layout === this.cache.layoutVersion() && this.kept.limit === limit;
  }

  points(limit: number): Point[] {
    if (this.kept && this.isCurrent(limit)) {
      return this.kept.ids.flatMap((id) => this.cache.point(id) ?? []);
    }
    const chosen = firstPointsInGridOrder(this.cache.points(), this.cache.sites(), limit);
    this.kept = { layout: this.cache.layoutVersion(), limit, ids: chosen.map((p) => p.id) };
    return chosen;
  }
}
