// Turns the store's changes into what partners must be told: after every commit it reads the points and sites changed
// since its durable cursor, works out each EVSE's OCPI status and layout, and queues (in one transaction with the
// cursor) a status PATCH per changed EVSE and a location PUT per new or re-laid-out site, for every partner.
import type { Clock } from '../../common/clock.js';
import type { Point } from '../../common/model.js';
import type { Store } from '../store/index.js';
import { ocpiIdOf, type EvseRow, type OcpiRepo } from '../store/ocpi.js';
import { CoalescedRun } from './coalescedRun.js';
import { layoutKey } from './locations.js';
import { readParty } from './settings.js';
import { ocpiStatusOfPoint } from './statusMapping.js';

const CURSOR = 'seq';
/** Points handled in one slice of a catch-up (about 60 ms of work). */
const SLICE_POINTS = 2000;

export class OcpiPublisher {
  private readonly passes = new CoalescedRun(
    () => this.pass(),
    (error) => this.log(`ocpi: could not queue pushes: ${error.message}`),
  );
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly repo: OcpiRepo,
    private readonly clock: Clock,
    private readonly queued: () => void,
    private readonly log: (line: string) => void,
  ) {
    this.unsubscribe = store.changes.onChange(() => this.schedule());
  }

  /** Catches up on what changed while the backend was down, or while OCPI was not set up. */
  poke(): void {
    this.schedule();
  }

  stop(): void {
    this.passes.stop();
    this.unsubscribe();
  }

  /**
   * Changes of one turn (a burst of station reports) are read together, once. A large catch-up (the first after OCPI
   * is set up, or every point going offline at a restart) is done in slices with a turn of the event loop between
   * them, so stations and consoles are not kept waiting behind it.
   */
  private schedule(): void {
    this.passes.kick();
  }

  private async pass(): Promise<void> {
    const pending = this.pendingChanges();
    if (!pending) return;
    for (let i = 0; i < pending.points.length || i === 0; i += SLICE_POINTS) {
      if (this.passes.isStopped) return;
      const slice = pending.points.slice(i, i + SLICE_POINTS);
      const last = i + SLICE_POINTS >= pending.points.length;
      const queued = this.publish(slice, last ? pending.latest : slice[slice.length - 1].seq);
      if (queued > 0) this.queued();
      if (!last) await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /** Processes every change after the cursor at once; returns how many pushes were queued. */
  catchUp(): number {
    const pending = this.pendingChanges();
    return pending ? this.publish(pending.points, pending.latest) : 0;
  }

  /** The points changed after the cursor, in seq order; null when there is nothing to do (or OCPI is not set up). */
  private pendingChanges(): { points: Point[]; latest: number } | null {
    if (!readParty(this.repo)) return null;
    const cursor = this.cursor();
    const latest = this.store.seq;
    if (latest <= cursor) return null;
    return { points: this.store.points.changedSince(cursor), latest };
  }

  private cursor(): number {
    return Number(this.repo.setting(CURSOR) ?? 0);
  }

  /** Works out what changed for partners in these points (and the sites changed up to `to`), then moves the cursor. */
  private publish(points: readonly Point[], to: number): number {
    const cursor = this.cursor();
    const now = new Date(this.clock.now()).toISOString();
    return this.repo.tx('publish', () => {
      const sitesToPut = new Set(
        this.store.stations
          .sitesSince(cursor)
          .filter((s) => s.seq <= to)
          .map((s) => s.id),
      );
      const evsesToPatch: EvseRow[] = [];
      for (const p of points) {
        if (p.seq <= cursor) continue; // a later pass already saw this point in a newer state
        const status = ocpiStatusOfPoint(p);
        const layout = layoutKey(p.label, p.connectors);
        const row = this.repo.evse(p.id);
        const next: EvseRow = {
          point_id: p.id,
          uid: ocpiIdOf(p.id),
          site_id: p.siteId,
          status,
          layout,
          last_updated: now,
        };
        if (!row) {
          this.repo.insertEvse(next);
          sitesToPut.add(p.siteId);
        } else if (row.layout !== layout || row.site_id !== p.siteId) {
          this.repo.updateEvse(next);
          sitesToPut.add(p.siteId);
          if (row.site_id !== p.siteId) sitesToPut.add(row.site_id);
        } else if (row.status !== status) {
          this.repo.updateEvse(next);
          evsesToPatch.push(next);
        }
      }
      const partners = this.repo.queueingPartnerIds();
      let queued = 0;
      for (const siteId of sitesToPut) {
        if (!this.repo.location(siteId)) continue;
        this.repo.touchLocation(siteId, now);
        for (const partner of partners) this.repo.enqueue(partner, 'location', siteId, now);
        queued += partners.length;
      }
      for (const e of evsesToPatch) {
        if (sitesToPut.has(e.site_id) || !this.repo.location(e.site_id)) continue;
        this.repo.touchLocation(e.site_id, now);
        for (const partner of partners) this.repo.enqueue(partner, 'evse', e.point_id, now);
        queued += partners.length;
      }
      if (to > cursor) this.repo.setSetting(CURSOR, String(to));
      return queued;
    });
  }
}
